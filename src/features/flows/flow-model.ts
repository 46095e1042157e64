import type { Flow, FlowNode, FlowStatus, Scope } from '../../api/contract'
import type { ResourcePlural } from '../../api/query-keys'

/**
 * The flow as the console works with it: the tree's shape (what the layout depends on) kept apart from what
 * changes without moving anything (names, statuses), and the scope rule the server applies to an action.
 */

export type ResourceKind = 'data_source' | 'data_set' | 'data_sink'
/** An action on a node touches its downstream, or the entire flow. */
export type ActionScope = 'downstream' | 'flow'

export const pluralOf: Record<ResourceKind, ResourcePlural> = {
  data_source: 'data_sources',
  data_set: 'data_sets',
  data_sink: 'data_sinks',
}
export const kindLabel: Record<ResourceKind, string> = {
  data_source: 'Data source',
  data_set: 'Data set',
  data_sink: 'Data sink',
}

export interface ResourceRef {
  kind: ResourceKind
  id: number
}

/** `data_set-20001`: a node's id on the canvas and in `?node=`. */
export const nodeKey = (kind: ResourceKind, id: number) => `${kind}-${id}`

export function parseNodeKey(key: string | null | undefined): ResourceRef | null {
  const match = /^(data_source|data_set|data_sink)-(\d+)$/.exec(key ?? '')
  if (!match) return null
  return { kind: match[1] as ResourceKind, id: Number(match[2]) }
}

export interface StructureNode {
  key: string
  kind: ResourceKind
  id: number
  /** The upstream node's key; null for the data source. */
  parent: string | null
  /** The upstream node's position in `FlowStructure.nodes`; -1 for the data source. */
  parentIndex: number
  depth: number
  /** The flow node a source or data set lives on (what `POST /flows/{id}/runs` takes); null for sinks. */
  flowNodeId: number | null
}

/**
 * The tree's shape only, in pre-order (every node after its parent, each subtree contiguous). Plain arrays and
 * objects, so TanStack Query's structural sharing hands back the very same object while the shape is unchanged,
 * and everything keyed on it (the layout) is computed once per shape.
 */
export interface FlowStructure {
  flowId: number
  nodes: StructureNode[]
}

export interface ResourceState {
  name: string
  status: FlowStatus
}

/** What can change without moving a node. */
export interface FlowState {
  flowId: number
  name: string
  description: string | null
  status: FlowStatus
  flowType: Flow['flow_type']
  processing: boolean
  ownerId: number
  updatedAt: string
  resources: Record<string, ResourceState>
}

/**
 * Called once per node, in pre-order (`index` counts from 0); positional arguments so a 10,000-node walk
 * allocates nothing extra.
 */
type Visit = (
  kind: ResourceKind,
  id: number,
  name: string,
  status: FlowStatus,
  parent: string | null,
  parentIndex: number,
  depth: number,
  flowNodeId: number | null,
) => void

/** Walks the flow response in pre-order without recursion (a long chain of data sets is a deep tree). */
function walk(flow: Flow, visit: Visit) {
  const sourceId = flow.data_source?.id ?? flow.data_source_id ?? flow.id
  const sourceKey = nodeKey('data_source', sourceId)
  let index = 0
  visit(
    'data_source',
    sourceId,
    flow.data_source?.name ?? flow.name,
    flow.data_source?.status ?? flow.status,
    null,
    -1,
    0,
    flow.id,
  )
  index++
  for (const sink of flow.data_sinks) {
    visit('data_sink', sink.id, sink.name, sink.status, sourceKey, 0, 1, null)
    index++
  }
  const stack: { node: FlowNode; parent: string; parentIndex: number; depth: number }[] = []
  const pushChildren = (children: FlowNode[], parent: string, parentIndex: number, depth: number) => {
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i]!, parent, parentIndex, depth })
  }
  pushChildren(flow.children as FlowNode[], sourceKey, 0, 1)
  while (stack.length > 0) {
    const { node, parent, parentIndex, depth } = stack.pop()!
    const id = node.data_set_id ?? node.id
    const key = nodeKey('data_set', id)
    const at = index++
    visit('data_set', id, node.name ?? `Data set ${id}`, node.status, parent, parentIndex, depth, node.id)
    for (const sink of node.data_sinks) {
      visit('data_sink', sink.id, sink.name, sink.status, key, at, depth + 1, null)
      index++
    }
    pushChildren(node.children, key, at, depth + 1)
  }
}

export function structureOf(flow: Flow): FlowStructure {
  const nodes: StructureNode[] = []
  walk(flow, (kind, id, _name, _status, parent, parentIndex, depth, flowNodeId) =>
    nodes.push({ key: nodeKey(kind, id), kind, id, parent, parentIndex, depth, flowNodeId }),
  )
  return { flowId: flow.id, nodes }
}

export function stateOf(flow: Flow): FlowState {
  const resources: Record<string, ResourceState> = {}
  walk(flow, (kind, id, name, status) => {
    resources[nodeKey(kind, id)] = { name, status }
  })
  return {
    flowId: flow.id,
    name: flow.name,
    description: flow.description,
    status: flow.status,
    flowType: flow.flow_type,
    processing: flow.runtime_status === 'PROCESSING',
    ownerId: flow.owner_id,
    updatedAt: flow.updated_at,
    resources,
  }
}

const indexes = new WeakMap<FlowStructure, Map<string, number>>()
/** key → position in `structure.nodes`, built once per structure. */
export function indexOf(structure: FlowStructure): Map<string, number> {
  let index = indexes.get(structure)
  if (!index) {
    index = new Map(structure.nodes.map((n, i) => [n.key, i]))
    indexes.set(structure, index)
  }
  return index
}

export function findNode(structure: FlowStructure, key: string): StructureNode | undefined {
  const i = indexOf(structure).get(key)
  return i === undefined ? undefined : structure.nodes[i]
}

/**
 * The keys an action on `key` touches — the server's rule (flows-api §4): a data source or `flow` → every
 * resource; a data set → itself, every data set derived from it and all their sinks; a sink → itself.
 * In pre-order a subtree is the run of nodes after it that are deeper than it.
 */
export function scopeKeys(structure: FlowStructure, key: string, scope: ActionScope): string[] {
  const { nodes } = structure
  const start = indexOf(structure).get(key)
  if (start === undefined) return []
  const node = nodes[start]!
  if (scope === 'flow' || node.kind === 'data_source') return nodes.map((n) => n.key)
  if (node.kind === 'data_sink') return [key]
  const keys = [key]
  for (let i = start + 1; i < nodes.length && nodes[i]!.depth > node.depth; i++) keys.push(nodes[i]!.key)
  return keys
}

/** Node keys → the API's ids by kind. */
export function toScope(keys: Iterable<string>): Scope {
  const scope: Scope = { data_sources: [], data_sets: [], data_sinks: [] }
  for (const key of keys) {
    const ref = parseNodeKey(key)
    if (ref) scope[pluralOf[ref.kind]].push(ref.id)
  }
  return scope
}

/** The API's ids by kind → node keys. */
export function fromScope(scope: Scope): string[] {
  return [
    ...scope.data_sources.map((id) => nodeKey('data_source', id)),
    ...scope.data_sets.map((id) => nodeKey('data_set', id)),
    ...scope.data_sinks.map((id) => nodeKey('data_sink', id)),
  ]
}

export const scopeSize = (scope: Scope) =>
  scope.data_sources.length + scope.data_sets.length + scope.data_sinks.length

export function countByKind(structure: FlowStructure): Record<ResourceKind, number> {
  const counts: Record<ResourceKind, number> = { data_source: 0, data_set: 0, data_sink: 0 }
  for (const n of structure.nodes) counts[n.kind] += 1
  return counts
}

/** "1 resource", "4 resources". */
export const resources = (n: number) => `${n} ${n === 1 ? 'resource' : 'resources'}`
