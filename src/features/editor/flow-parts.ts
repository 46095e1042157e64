import type { Flow, FlowNode, FlowStatus } from '../../api/contract'
import type { EditNodeKind } from '../../api/edit-requests'
import type { ResourcePlural } from '../../api/query-keys'

/** What the editor reads from a flow response: its data sets, and how nodes are named on the canvas. */

export const pluralOf: Record<EditNodeKind, ResourcePlural> = {
  data_source: 'data_sources',
  data_set: 'data_sets',
  data_sink: 'data_sinks',
}

export const kindWord: Record<EditNodeKind, string> = {
  data_source: 'data source',
  data_set: 'data set',
  data_sink: 'data sink',
}

/** `data_set-20001`, as the canvas and `?node=` name a node. */
export const nodeKey = (kind: EditNodeKind, id: number) => `${kind}-${id}`

export interface DataSetEntry {
  id: number
  name: string
  status: FlowStatus
  /** 0 for a data set reading the source, 1 for one derived from it, … */
  depth: number
}

/** Every data set of the flow, in tree order (each after the one it derives from). */
export function dataSetsOf(flow: Flow): DataSetEntry[] {
  const out: DataSetEntry[] = []
  const stack: { node: FlowNode; depth: number }[] = []
  const push = (children: FlowNode[], depth: number) => {
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth })
  }
  push(flow.children as FlowNode[], 0)
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!
    const id = node.data_set_id ?? node.id
    out.push({ id, name: node.name ?? `Data set ${id}`, status: node.status, depth })
    push(node.children, depth + 1)
  }
  return out
}
