import { hierarchy, tree, type HierarchyNode } from 'd3-hierarchy'
import type { FlowStructure } from '../flow-model'

/** Every node has the same size, given to React Flow up front so it can skip measuring before drawing. */
export const NODE_WIDTH = 232
export const NODE_HEIGHT = 76
const COLUMN_GAP = 72
const ROW_GAP = 14

export interface XY {
  x: number
  y: number
}

export interface FlowLayout {
  /** Top-left corner of each node, by key. */
  positions: Map<string, XY>
  bounds: { minX: number; minY: number; maxX: number; maxY: number }
  /** Node keys in the order they sit in each column, top to bottom, for moving focus up and down. */
  columns: string[][]
}

interface Branch {
  key: string
  children: Branch[]
}

/**
 * Left-to-right tidy tree (d3-hierarchy's Reingold–Tilford `tree()`): linear time, a few milliseconds for
 * thousands of nodes where dagre and elkjs take seconds. Depends on the tree's shape only, so statuses never
 * move a node.
 */
export function layoutFlow(structure: FlowStructure): FlowLayout {
  const started = performance.now()
  const branches = new Map<string, Branch>()
  let root: Branch | undefined
  for (const node of structure.nodes) {
    const branch: Branch = { key: node.key, children: [] }
    branches.set(node.key, branch)
    const parent = node.parent === null ? undefined : branches.get(node.parent)
    if (parent) parent.children.push(branch)
    else root ??= branch
  }
  const positions = new Map<string, XY>()
  const columns: string[][] = []
  const bounds = { minX: 0, minY: 0, maxX: NODE_WIDTH, maxY: NODE_HEIGHT }
  if (!root) return { positions, bounds, columns }

  const laidOut = tree<Branch>()
    .nodeSize([NODE_HEIGHT + ROW_GAP, NODE_WIDTH + COLUMN_GAP])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.2))(
    hierarchy(root, (b) => (b.children.length ? b.children : null)),
  )

  bounds.minX = bounds.minY = Infinity
  bounds.maxX = bounds.maxY = -Infinity
  laidOut.each((n: HierarchyNode<Branch> & { x?: number; y?: number }) => {
    // d3 lays trees out top-down: its x runs across a level, y down the levels. Swap them for left-to-right.
    const x = n.y ?? 0
    const y = n.x ?? 0
    positions.set(n.data.key, { x, y })
    bounds.minX = Math.min(bounds.minX, x)
    bounds.minY = Math.min(bounds.minY, y)
    bounds.maxX = Math.max(bounds.maxX, x + NODE_WIDTH)
    bounds.maxY = Math.max(bounds.maxY, y + NODE_HEIGHT)
    ;(columns[n.depth] ??= []).push(n.data.key)
  })
  for (const column of columns) column.sort((a, b) => positions.get(a)!.y - positions.get(b)!.y)
  try {
    // Visible in the browser's performance panel and read by `npm run bench`.
    performance.measure('flow-layout', { start: started, detail: { nodes: structure.nodes.length } })
  } catch {
    /* an environment without User Timing level 3 (jsdom): the figure is only informative */
  }
  return { positions, bounds, columns }
}
