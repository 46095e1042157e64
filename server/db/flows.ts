import type { DataSetRow, DataSinkRow, DataSourceRow, FlowNodeRow, ResourceStatus } from './schema.js'
import { credentialOut, kindLabel, parseJson, setOut, sinkOut, sourceOut, type Tx } from './resources.js'
import { notFound } from '../errors.js'
import { runHot } from './hot-query.js'
import type { VersionedCache } from './flow-cache.js'
import { seesOrg, type Actor } from '../domain/permissions.js'
import { setsByDepth, type FlowKind, type FlowRows, type Target } from '../domain/flow-tree.js'

export type LoadedFlow = FlowRows<DataSourceRow, DataSetRow, DataSinkRow, FlowNodeRow> & {
  origin: FlowNodeRow
}

export interface FlowHead {
  originId: number
  orgId: number
  ownerId: number
  version: number
  createdAt: string
}

export const targetLabel = (t: Target) =>
  t.kind === 'flow_nodes' ? `Flow node ${t.id}` : `${kindLabel[t.kind]} ${t.id}`

/** Finds the flow a target belongs to, with just enough to authorize and to answer If-None-Match cheaply. */
export async function flowHead(
  db: Tx,
  target: Target,
  actor: Actor,
): Promise<FlowHead & { ownerOfTarget: number }> {
  const table = target.kind as 'data_sets'
  // Every flow read and poll starts here, so the query is compiled once per table (see hot-query.ts).
  const [row] = await runHot(
    db,
    `flowHead:${table}`,
    (id: number) =>
      db
        .selectFrom(`${table} as r`)
        .innerJoin('flow_nodes as o', 'o.id', 'r.origin_node_id')
        .select([
          'r.org_id',
          'r.owner_id',
          'o.id as origin',
          'o.version',
          'o.created_at',
          'o.owner_id as flow_owner',
          'o.org_id as flow_org',
        ])
        .where('r.id', '=', id),
    [-424242],
    [target.id],
  )
  if (!row || !seesOrg(actor, row.org_id)) throw notFound(targetLabel(target))
  return {
    originId: row.origin,
    orgId: row.flow_org,
    ownerId: row.flow_owner,
    version: row.version,
    createdAt: row.created_at,
    ownerOfTarget: row.owner_id,
  }
}

export function etagOf(head: Pick<FlowHead, 'originId' | 'version' | 'createdAt'>, variant: string) {
  return `W/"f${head.originId}-v${head.version}-${Date.parse(head.createdAt).toString(36)}${variant}"`
}

export async function loadFlows(db: Tx, originIds: number[]): Promise<Map<number, LoadedFlow>> {
  const flows = new Map<number, LoadedFlow>()
  if (originIds.length === 0) return flows
  const [nodes, sources, sets, sinks] = await Promise.all([
    db.selectFrom('flow_nodes').selectAll().where('origin_node_id', 'in', originIds).orderBy('id').execute(),
    db
      .selectFrom('data_sources')
      .selectAll()
      .where('origin_node_id', 'in', originIds)
      .orderBy('id')
      .execute(),
    db.selectFrom('data_sets').selectAll().where('origin_node_id', 'in', originIds).orderBy('id').execute(),
    db.selectFrom('data_sinks').selectAll().where('origin_node_id', 'in', originIds).orderBy('id').execute(),
  ])
  for (const n of nodes) {
    if (n.id === n.origin_node_id) flows.set(n.id, { origin: n, nodes: [], sources: [], sets: [], sinks: [] })
  }
  const into = (origin: number | null) => (origin === null ? undefined : flows.get(origin))
  for (const n of nodes) into(n.origin_node_id)?.nodes.push(n)
  for (const r of sources) into(r.origin_node_id)?.sources.push(r)
  for (const r of sets) into(r.origin_node_id)?.sets.push(r)
  for (const r of sinks) into(r.origin_node_id)?.sinks.push(r)
  return flows
}

export type FlowCache = VersionedCache<LoadedFlow>

/** The flow at the head's version, from the cache when it has that version (treat the result as immutable). */
export async function loadFlowCached(db: Tx, cache: FlowCache, head: Pick<FlowHead, 'originId' | 'version'>) {
  const hit = cache.get(head.originId, head.version)
  if (hit) return hit
  const flow = await loadFlow(db, head.originId)
  // Loaded in the caller's transaction, so its version is the one this state belongs to.
  cache.set(flow.origin.id, flow.origin.version, flow)
  return flow
}

export async function loadFlow(db: Tx, originId: number): Promise<LoadedFlow> {
  const flow = (await loadFlows(db, [originId])).get(originId)
  if (!flow) throw notFound(`Flow ${originId}`)
  return flow
}

export const defaultConfiguration = {
  retry_pipeline_on_error: false,
  error_record_policy: 'ORIGINAL_RECORD',
  error_stage: { type: 'DISCARD' },
}

const sharers = () => ({ sharers: [] as unknown[], external_sharers: [] as unknown[] })
const brief = (r: { id: number; name: string; status: ResourceStatus }) => ({
  id: r.id,
  name: r.name,
  status: r.status,
})

/** The nested flow object of seed 000 (origin node with children), plus our fields. */
export function flowTree(flow: LoadedFlow) {
  const { origin } = flow
  const source = flow.sources.find((s) => s.id === origin.data_source_id)
  const setById = new Map(flow.sets.map((s) => [s.id, s]))
  const sinksBySet = new Map<number, DataSinkRow[]>()
  for (const s of flow.sinks) {
    const list = sinksBySet.get(s.data_set_id)
    if (list) list.push(s)
    else sinksBySet.set(s.data_set_id, [s])
  }
  const childrenOf = new Map<number, FlowNodeRow[]>()
  for (const n of flow.nodes) {
    if (n.parent_node_id === null) continue
    const list = childrenOf.get(n.parent_node_id)
    if (list) list.push(n)
    else childrenOf.set(n.parent_node_id, [n])
  }
  type NodeOut = {
    id: number
    flow_node_id: number
    origin_node_id: number
    parent_flow_node_id: number | null
    parent_node_id: number | null
    data_set_id: number | null
    name: string | null
    status: ResourceStatus
    created_at: string
    updated_at: string
    data_sinks: ReturnType<typeof brief>[]
    sharers: ReturnType<typeof sharers>
    children: NodeOut[]
  }
  const node = (n: FlowNodeRow): NodeOut => {
    const set = n.data_set_id === null ? undefined : setById.get(n.data_set_id)
    return {
      id: n.id,
      flow_node_id: n.id,
      origin_node_id: n.origin_node_id ?? origin.id,
      parent_flow_node_id: n.parent_node_id,
      parent_node_id: n.parent_node_id,
      data_set_id: n.data_set_id,
      name: set?.name ?? null,
      status: set?.status ?? 'INIT',
      created_at: n.created_at,
      updated_at: set?.updated_at ?? n.updated_at,
      data_sinks: (n.data_set_id === null ? [] : (sinksBySet.get(n.data_set_id) ?? [])).map(brief),
      sharers: sharers(),
      children: (childrenOf.get(n.id) ?? []).map(node),
    }
  }
  return {
    id: origin.id,
    flow_node_id: origin.id,
    origin_node_id: origin.id,
    parent_flow_node_id: null,
    parent_node_id: null,
    data_source_id: origin.data_source_id,
    owner_id: origin.owner_id,
    org_id: origin.org_id,
    flow_type: origin.flow_type,
    name: origin.name ?? source?.name ?? `Flow ${origin.id}`,
    description: origin.description ?? source?.description ?? null,
    configuration: {
      ...defaultConfiguration,
      ...parseJson<Record<string, unknown>>(origin.configuration, {}),
    },
    status: source?.status ?? 'INIT',
    runtime_status: source?.runtime_status ?? 'IDLE',
    created_at: origin.created_at,
    updated_at: origin.updated_at,
    data_source: source ? brief(source) : null,
    data_sinks: [],
    sharers: sharers(),
    children: (childrenOf.get(origin.id) ?? []).map(node),
  }
}

/** The flow response of flows-api.md §3 for one or more flows. */
export async function flowResponse(db: Tx, flows: LoadedFlow[], flowsOnly: boolean) {
  const trees = flows.map(flowTree)
  if (flowsOnly) return { flows: trees }
  const sources = flows.flatMap((f) => f.sources)
  const sinks = flows.flatMap((f) => f.sinks)
  const credentialIds = [
    ...new Set(
      [...sources, ...sinks].map((r) => r.data_credentials_id).filter((id): id is number => id !== null),
    ),
  ]
  const credentials = credentialIds.length
    ? await db
        .selectFrom('data_credentials')
        .selectAll()
        .where('id', 'in', credentialIds)
        .orderBy('id')
        .execute()
    : []
  return {
    flows: trees,
    data_sources: sources.map(sourceOut),
    data_sets: flows.flatMap((f) => f.sets).map(setOut),
    data_sinks: sinks.map(sinkOut),
    data_credentials: credentials.map(credentialOut),
  }
}

/** Bottom-up order for deletes: sinks, then data sets deepest first, then the source. */
export function deletionOrder(flow: LoadedFlow, sets: number[]): number[][] {
  const wanted = new Set(sets)
  const levels = new Map<number, number[]>()
  for (const { id, depth } of setsByDepth(flow)) {
    if (!wanted.has(id)) continue
    const list = levels.get(depth)
    if (list) list.push(id)
    else levels.set(depth, [id])
  }
  return [...levels.entries()].sort((a, b) => b[0] - a[0]).map(([, ids]) => ids)
}

export const kindOfTarget = (t: Target): FlowKind | undefined =>
  t.kind === 'flow_nodes' ? undefined : t.kind
