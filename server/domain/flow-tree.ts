/**
 * The flow as a tree, and the scope of an action on it. Pure: no I/O, so every rule here is unit-tested
 * on plain objects and the routes only load rows, call these, and write the result.
 */

export type FlowKind = 'data_sources' | 'data_sets' | 'data_sinks'

export interface SourceLike {
  id: number
  flow_node_id: number | null
}
export interface SetLike {
  id: number
  flow_node_id: number | null
  data_source_id: number | null
  parent_data_set_id: number | null
}
export interface SinkLike {
  id: number
  data_set_id: number
}
export interface NodeLike {
  id: number
  parent_node_id: number | null
  data_source_id: number | null
  data_set_id: number | null
}

export interface FlowRows<
  Src extends SourceLike = SourceLike,
  Set extends SetLike = SetLike,
  Snk extends SinkLike = SinkLike,
  Node extends NodeLike = NodeLike,
> {
  nodes: Node[]
  sources: Src[]
  sets: Set[]
  sinks: Snk[]
}

export interface Scope {
  data_sources: number[]
  data_sets: number[]
  data_sinks: number[]
}

export type Target = { kind: FlowKind; id: number } | { kind: 'flow_nodes'; id: number }

export const emptyScope = (): Scope => ({ data_sources: [], data_sets: [], data_sinks: [] })

export function wholeFlow(flow: FlowRows): Scope {
  return {
    data_sources: flow.sources.map((r) => r.id),
    data_sets: flow.sets.map((r) => r.id),
    data_sinks: flow.sinks.map((r) => r.id),
  }
}

/** Data sets in tree order (parents before children), each with its depth below the source (1 = first level). */
export function setsByDepth(flow: FlowRows): { id: number; depth: number }[] {
  const children = new Map<number | null, number[]>()
  for (const s of flow.sets) {
    const parent = s.parent_data_set_id
    const list = children.get(parent)
    if (list) list.push(s.id)
    else children.set(parent, [s.id])
  }
  const out: { id: number; depth: number }[] = []
  const visit = (parent: number | null, depth: number) => {
    for (const id of children.get(parent) ?? []) {
      out.push({ id, depth })
      visit(id, depth + 1)
    }
  }
  visit(null, 1)
  return out
}

/**
 * Which resources an action on `target` touches. A data source, or `all`, means the whole flow; a data set
 * means itself, every data set derived from it at any depth, and all their sinks; a sink means itself; a
 * flow node means the scope of the resource it holds.
 */
export function scopeOf(flow: FlowRows, target: Target, all: boolean): Scope {
  if (all) return wholeFlow(flow)
  let t: { kind: FlowKind; id: number } | undefined
  if (target.kind === 'flow_nodes') {
    const node = flow.nodes.find((n) => n.id === target.id)
    if (!node) return emptyScope()
    if (node.data_source_id !== null) t = { kind: 'data_sources', id: node.data_source_id }
    else if (node.data_set_id !== null) t = { kind: 'data_sets', id: node.data_set_id }
    else return emptyScope()
  } else t = target

  if (t.kind === 'data_sources') return wholeFlow(flow)
  if (t.kind === 'data_sinks')
    return { ...emptyScope(), data_sinks: flow.sinks.some((s) => s.id === t.id) ? [t.id] : [] }

  const children = new Map<number, number[]>()
  for (const s of flow.sets) {
    if (s.parent_data_set_id === null) continue
    const list = children.get(s.parent_data_set_id)
    if (list) list.push(s.id)
    else children.set(s.parent_data_set_id, [s.id])
  }
  if (!flow.sets.some((s) => s.id === t.id)) return emptyScope()
  const sets: number[] = []
  const stack = [t.id]
  while (stack.length) {
    const id = stack.pop() as number
    sets.push(id)
    for (const c of children.get(id) ?? []) stack.push(c)
  }
  const inScope = new Set(sets)
  return {
    data_sources: [],
    data_sets: sets.sort((a, b) => a - b),
    data_sinks: flow.sinks.filter((s) => inScope.has(s.data_set_id)).map((s) => s.id),
  }
}

export function scopeSize(scope: Scope): number {
  return scope.data_sources.length + scope.data_sets.length + scope.data_sinks.length
}

/** The part of a scope whose resources satisfy a predicate (e.g. "is ACTIVE"). */
export function filterScope(
  scope: Scope,
  flow: FlowRows<
    SourceLike & { status: string },
    SetLike & { status: string },
    SinkLike & { status: string }
  >,
  keep: (status: string) => boolean,
): Scope {
  const pick = (ids: number[], rows: { id: number; status: string }[]) => {
    const status = new Map(rows.map((r) => [r.id, r.status]))
    return ids.filter((id) => keep(status.get(id) ?? ''))
  }
  return {
    data_sources: pick(scope.data_sources, flow.sources),
    data_sets: pick(scope.data_sets, flow.sets),
    data_sinks: pick(scope.data_sinks, flow.sinks),
  }
}
