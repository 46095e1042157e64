import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type MouseEvent as ReactMouseEvent,
  type RefObject,
} from 'react'
import { useReactFlow } from '@xyflow/react'
import type { EditNode, EditRequest } from '../../../api/edit-requests'
import { findNode, indexOf, parseNodeKey, type FlowState, type FlowStructure } from '../flow-model'
import type { NodeAction } from '../node-actions'
import { useCanvasUi } from './canvas-store'
import { NODE_HEIGHT, NODE_WIDTH, type FlowLayout, type XY } from './layout'
import type { CanvasNode } from './nodes/resource-node'

/** How the canvas asks the editor for something: from a node menu item, or by dropping a sink on a data set. */

/** A node as the editor is told about it: kind, id, and the name and status shown now. */
export function editNodeOf(key: string, state: FlowState): EditNode | null {
  const ref = parseNodeKey(key)
  if (!ref) return null
  const shown = state.resources[key]
  return { ...ref, name: shown?.name ?? key, status: shown?.status ?? 'INIT' }
}

/** The request an editing menu item makes for the node `key`; null for the other items. */
export function editRequestFor(action: NodeAction, key: string, state: FlowState): EditRequest | null {
  if (action.type !== 'edit') return null
  const node = editNodeOf(key, state)
  if (!node) return null
  switch (action.id) {
    case 'add-data-set':
      return { type: 'add-data-set', parent: node }
    case 'add-sink':
      return { type: 'add-sink', parent: node }
    case 'edit':
      return { type: 'edit', node }
    case 'delete-node':
      return { type: 'delete', node }
  }
}

type DragEvent = ReactMouseEvent | MouseEvent | TouchEvent

/**
 * Dragging a sink onto another data set of the flow to move it. The dragged node follows the pointer; the data set
 * under the pointer is highlighted; dropping there asks to confirm (the editor's move dialog), and the sink goes
 * back to its place either way until the server has moved it and the layout follows.
 */
export function useSinkDrag(
  structure: FlowStructure,
  layout: FlowLayout,
  state: FlowState,
  nodes: CanvasNode[],
) {
  const { screenToFlowPosition } = useReactFlow()
  const [drag, setDrag] = useState<{ key: string; position: XY } | null>(null)

  const shown = useMemo(
    () =>
      drag
        ? nodes.map((n) => (n.id === drag.key ? { ...n, position: drag.position, dragging: true } : n))
        : nodes,
    [nodes, drag],
  )

  /** The data set under the pointer (or under the node's centre for touch), if it is not where the sink is. */
  const targetOf = useCallback(
    (event: DragEvent, node: CanvasNode): string | null => {
      const point =
        'clientX' in event
          ? screenToFlowPosition({ x: event.clientX, y: event.clientY })
          : { x: node.position.x + NODE_WIDTH / 2, y: node.position.y + NODE_HEIGHT / 2 }
      const parent = findNode(structure, node.id)?.parent
      for (let i = 0; i < structure.nodes.length; i++) {
        const candidate = structure.nodes[i]!
        const p = layout.positions[i]
        if (candidate.kind !== 'data_set' || !p) continue
        if (point.x >= p.x && point.x <= p.x + NODE_WIDTH && point.y >= p.y && point.y <= p.y + NODE_HEIGHT)
          return candidate.key === parent ? null : candidate.key
      }
      return null
    },
    [structure, layout, screenToFlowPosition],
  )

  const onNodeDrag = useCallback(
    (event: DragEvent, node: CanvasNode) => {
      setDrag({ key: node.id, position: node.position })
      const target = targetOf(event, node)
      if (useCanvasUi.getState().dropTarget !== target) useCanvasUi.getState().setDropTarget(target)
    },
    [targetOf],
  )

  const onNodeDragStop = useCallback(
    (event: DragEvent, node: CanvasNode) => {
      const target = targetOf(event, node)
      setDrag(null)
      useCanvasUi.getState().setDropTarget(null)
      const parent = findNode(structure, node.id)?.parent
      const sink = editNodeOf(node.id, state)
      const from = parent ? editNodeOf(parent, state) : null
      const to = target ? editNodeOf(target, state) : null
      if (sink && from && to) useCanvasUi.getState().requestEdit({ type: 'move-sink', sink, from, to })
    },
    [targetOf, structure, state],
  )

  return { nodes: shown, onNodeDrag, onNodeDragStop }
}

const REVEAL_MARGIN = 24

/**
 * A node just added (the editor selects it) is brought into view by the smallest pan that shows it whole; the zoom
 * and the rest of the view stay as they were. Nodes that were already there never move the view.
 */
export function useRevealAdded(
  structure: FlowStructure,
  layout: FlowLayout,
  selectedKey: string | null,
  container: RefObject<HTMLDivElement | null>,
) {
  const { getViewport, setViewport } = useReactFlow()
  const known = useRef(structure)
  const added = useRef<Set<string>>(new Set())
  useEffect(() => {
    if (known.current !== structure) {
      const before = indexOf(known.current)
      added.current = new Set(structure.nodes.filter((n) => !before.has(n.key)).map((n) => n.key))
      known.current = structure
    }
    if (!selectedKey || !added.current.has(selectedKey)) return
    added.current.delete(selectedKey)
    const position = layout.position(selectedKey)
    const el = container.current
    if (!position || !el) return
    const { x, y, zoom } = getViewport()
    const left = position.x * zoom + x
    const top = position.y * zoom + y
    const right = left + NODE_WIDTH * zoom
    const bottom = top + NODE_HEIGHT * zoom
    const dx =
      right > el.clientWidth - REVEAL_MARGIN
        ? el.clientWidth - REVEAL_MARGIN - right
        : left < REVEAL_MARGIN
          ? REVEAL_MARGIN - left
          : 0
    const dy =
      bottom > el.clientHeight - REVEAL_MARGIN
        ? el.clientHeight - REVEAL_MARGIN - bottom
        : top < REVEAL_MARGIN
          ? REVEAL_MARGIN - top
          : 0
    if (dx !== 0 || dy !== 0) void setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 200 })
  }, [structure, layout, selectedKey, container, getViewport, setViewport])
}
