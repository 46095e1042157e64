import { Position, type Edge, type NodeHandle } from '@xyflow/react'
import type { FlowStatus } from '../../../api/contract'
import type { FlowState, FlowStructure, ResourceKind } from '../flow-model'
import type { NodeCounts } from '../latest-run'
import { NODE_HEIGHT, NODE_WIDTH, type FlowLayout } from './layout'
import type { CanvasNode } from './nodes/resource-node'

/**
 * React Flow's nodes and edges from the layout (positions, by shape) and the state (names, statuses). Statuses
 * are merged after layout, so polling never moves a node.
 */

// React Flow's default handle is 6 × 6 px, centred on the node's edge. Giving the handles (and width and height)
// up front lets React Flow draw edges and skip off-screen nodes without mounting every node once to measure it.
const HANDLE = 6
const targetHandle: NodeHandle = {
  type: 'target',
  position: Position.Left,
  x: -HANDLE / 2,
  y: NODE_HEIGHT / 2 - HANDLE / 2,
  width: HANDLE,
  height: HANDLE,
}
const sourceHandle: NodeHandle = {
  type: 'source',
  position: Position.Right,
  x: NODE_WIDTH - HANDLE / 2,
  y: NODE_HEIGHT / 2 - HANDLE / 2,
  width: HANDLE,
  height: HANDLE,
}
const handlesOf: Record<ResourceKind, NodeHandle[]> = {
  data_source: [sourceHandle],
  data_set: [targetHandle, sourceHandle],
  data_sink: [targetHandle],
}

export function toEdges(structure: FlowStructure): Edge[] {
  const edges: Edge[] = []
  for (const n of structure.nodes)
    if (n.parent !== null)
      edges.push({
        id: `${n.parent}>${n.key}`,
        source: n.parent,
        target: n.key,
        focusable: false,
        selectable: false,
      })
  return edges
}

/** Node objects by layout and key: a node that looks the same keeps its object, so React Flow skips it. */
const cache = new WeakMap<FlowLayout, Map<string, CanvasNode>>()

export function toNodes(
  structure: FlowStructure,
  layout: FlowLayout,
  state: FlowState,
  pending: Record<string, FlowStatus> | undefined,
  selectedKey: string | null,
  /** Record counts of the newest run by node key; null when the flow has not run. */
  counts: Record<string, NodeCounts> | null = null,
  /** Sinks can be dragged onto another data set (to move them) when the editor is there. */
  movableSinks = false,
): CanvasNode[] {
  let previous = cache.get(layout)
  if (!previous) cache.set(layout, (previous = new Map<string, CanvasNode>()))
  const sourceKey = structure.nodes[0]?.key
  const nodes: CanvasNode[] = []
  for (let i = 0; i < structure.nodes.length; i++) {
    const n = structure.nodes[i]!
    const resource = state.resources[n.key]
    const name = resource?.name ?? n.key
    const expected = pending?.[n.key]
    const status = expected ?? resource?.status ?? 'INIT'
    const processing = n.key === sourceKey && state.processing
    const selected = n.key === selectedKey
    const count = counts?.[n.key] ?? null
    const draggable = movableSinks && n.kind === 'data_sink'
    const old = previous.get(n.key)
    if (
      old &&
      old.selected === selected &&
      old.draggable === draggable &&
      old.data.name === name &&
      old.data.status === status &&
      old.data.processing === processing &&
      old.data.pending === (expected !== undefined) &&
      sameCounts(old.data.counts, count)
    ) {
      nodes.push(old)
      continue
    }
    const node = {
      id: n.key,
      type: n.kind,
      position: layout.positions[i] ?? { x: 0, y: 0 },
      data: { name, status, processing, pending: expected !== undefined, counts: count },
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      handles: handlesOf[n.kind],
      selected,
      draggable,
      ariaLabel: name,
    } as CanvasNode
    previous.set(n.key, node)
    nodes.push(node)
  }
  return nodes
}

const sameCounts = (a: NodeCounts | null, b: NodeCounts | null) =>
  a === b || (a !== null && b !== null && a.in === b.in && a.out === b.out && a.failed === b.failed)
