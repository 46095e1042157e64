import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useIsMutating, useQuery } from '@tanstack/react-query'
import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type NodeChange,
  type Viewport,
} from '@xyflow/react'
import { useSearchParams } from 'react-router-dom'
import '@xyflow/react/dist/style.css'
import './flow-canvas.css'
import type { DeleteResponse, FlowStatus } from '../../../api/contract'
import { queryKeys } from '../../../api/query-keys'
import { editDenial } from '../../../api/permissions'
import { sessionQueries } from '../../../api/session-queries'
import { flowQueries, type FlowDetail } from '../api/flow-queries'
import { DeleteDialog } from '../delete-dialog'
import { findNode, stateOf, structureOf, type FlowState, type FlowStructure } from '../flow-model'
import { countsByNode, useLatestStartedRun } from '../latest-run'
import type { NodeAction } from '../node-actions'
import { controlCall, useFlowActions, usePendingStatuses } from '../use-flow-actions'
import { useCanvasUi } from './canvas-store'
import { editRequestFor, useRevealAdded, useSinkDrag } from './edit-requests'
import { neighbour, type Direction } from './keyboard'
import { layoutFlow, NODE_HEIGHT, NODE_WIDTH, type FlowLayout } from './layout'
import { NodeMenu } from './node-menu'
import { FlowOverview } from './overview'
import { nodeTypes } from './node-types'
import type { CanvasNode } from './nodes/resource-node'
import { StatusAnnouncer } from './status-announcer'
import { toEdges, toNodes } from './to-flow-elements'

// Module-level selectors: stable functions, so TanStack Query re-runs them only when the data changes, and its
// structural sharing keeps the previous result while the shape (or the state) is the same.
const selectStructure = (detail: FlowDetail) => structureOf(detail.flow)
const selectState = (detail: FlowDetail) => stateOf(detail.flow)

const arrows: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
}

const ariaLabelConfig = {
  'node.a11yDescription.default':
    'Arrow keys move between nodes. Enter selects and shows details. Shift+F10 or the Menu key opens actions.',
}

/** Below this zoom names are too small to read: a large flow opens at its source instead of fitting all. */
const READABLE_ZOOM = 0.6
/** Area of one layout cell (node and gaps), for bounding how many nodes a zoomed-out view can hold. */
const CELL_AREA = (NODE_WIDTH + 72) * (NODE_HEIGHT + 14)
/** React Flow mounts only visible nodes; zooming out must not make "visible" mean thousands. */
const MAX_MOUNTED = 300

function initialViewport(layout: FlowLayout, sourceKey: string, width: number, height: number): Viewport {
  const pad = 32
  const { minX, minY, maxX, maxY } = layout.bounds
  const fit = Math.min((width - 2 * pad) / (maxX - minX), (height - 2 * pad) / (maxY - minY), 1)
  if (fit >= READABLE_ZOOM)
    return {
      x: (width - (maxX - minX) * fit) / 2 - minX * fit,
      y: (height - (maxY - minY) * fit) / 2 - minY * fit,
      zoom: fit,
    }
  const zoom = 0.85
  const source = layout.position(sourceKey) ?? { x: 0, y: 0 }
  return { x: pad - source.x * zoom, y: height / 2 - (source.y + NODE_HEIGHT / 2) * zoom, zoom }
}

/** The smallest zoom at which even a densely packed view holds at most MAX_MOUNTED nodes. */
function minZoomFor(nodeCount: number, width: number, height: number) {
  if (nodeCount <= MAX_MOUNTED) return 0.1
  return Math.min(READABLE_ZOOM, Math.max(0.1, Math.sqrt((width * height) / (MAX_MOUNTED * CELL_AREA))))
}

export interface FlowCanvasProps {
  flowId: number
  selectedKey: string | null
  onSelect: (key: string | null) => void
  onDeleted: (result: DeleteResponse) => void
  /** The editor is there: offer its node menu items, and let sinks be dragged onto another data set. */
  editing?: boolean
}

export const FlowCanvas = memo(function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  )
})

function Canvas({ flowId, selectedKey, onSelect, onDeleted, editing = false }: FlowCanvasProps) {
  const { data: structure } = useQuery({ ...flowQueries.detail(flowId), select: selectStructure })
  const { data: state } = useQuery({ ...flowQueries.detail(flowId), select: selectState })
  const { data: me } = useQuery(sessionQueries.me())
  // Only someone who may edit the flow can pick a sink up to move it.
  const movableSinks = editing && state !== undefined && editDenial(me, state.ownerId) === null
  const pending = usePendingStatuses(flowId)
  // Each node shows what the newest started run moved through it (live while it runs).
  const latestRun = useLatestStartedRun(flowId)
  const counts = useMemo(() => countsByNode(latestRun), [latestRun])
  const layout = useMemo(() => (structure ? layoutFlow(structure) : undefined), [structure])
  const edges = useMemo(() => (structure ? toEdges(structure) : []), [structure])
  const nodes = useMemo(
    () =>
      structure && layout && state
        ? toNodes(structure, layout, state, pending, selectedKey, counts, movableSinks)
        : [],
    [structure, layout, state, pending, selectedKey, counts, movableSinks],
  )

  // One mark per commit: `npm run bench` checks that an unchanged poll (a 304) adds none.
  useEffect(() => {
    performance.mark('flow-canvas:commit')
  })

  useEffect(() => () => useCanvasUi.getState().reset(), [])

  if (!structure || !layout || !state) return null
  return (
    <CanvasView
      flowId={flowId}
      structure={structure}
      layout={layout}
      state={state}
      pending={pending}
      nodes={nodes}
      edges={edges}
      selectedKey={selectedKey}
      onSelect={onSelect}
      onDeleted={onDeleted}
      editing={editing}
    />
  )
}

interface CanvasViewProps extends FlowCanvasProps {
  structure: FlowStructure
  layout: FlowLayout
  state: FlowState
  pending: Record<string, FlowStatus> | undefined
  nodes: CanvasNode[]
  edges: ReturnType<typeof toEdges>
}

function CanvasView({
  flowId,
  structure,
  layout,
  state,
  pending,
  nodes,
  edges,
  selectedKey,
  onSelect,
  onDeleted,
  editing,
}: CanvasViewProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState<{ width: number; height: number } | null>(null)
  const { fitView, getViewport, setCenter } = useReactFlow()
  const openMenu = useCanvasUi((s) => s.openMenu)
  const focusNode = useCanvasUi((s) => s.focusNode)
  const busy = useIsMutating({ mutationKey: queryKeys.flows.control(flowId) }) > 0
  const drag = useSinkDrag(structure, layout, state, nodes)
  useRevealAdded(structure, layout, selectedKey, containerRef)

  // The dimming of everything outside a previewed scope is a class on the container, toggled without
  // re-rendering the canvas; each node subscribes to whether it is in the preview.
  useEffect(
    () =>
      useCanvasUi.subscribe((s) =>
        containerRef.current?.classList.toggle('is-previewing', s.preview !== null),
      ),
    [],
  )

  // React Flow gets its first viewport before it draws anything, so it mounts only the nodes that are visible.
  const measure = useCallback((el: HTMLDivElement | null) => {
    containerRef.current = el
    if (el) setSize((s) => s ?? { width: el.clientWidth, height: el.clientHeight })
  }, [])
  const sourceKey = structure.nodes[0]?.key ?? ''
  const [startViewport] = useState(() => ({ layout, sourceKey }))

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let next: string | null | undefined
      for (const change of changes) {
        if (change.type !== 'select') continue
        if (change.selected) next = change.id
        else if (change.id === selectedKey && next === undefined) next = null
      }
      if (next !== undefined) onSelect(next)
    },
    [onSelect, selectedKey],
  )

  const openMenuAt = useCallback(
    (key: string, element: Element) => {
      const box = element.getBoundingClientRect()
      openMenu({ key, x: box.left + 16, y: box.bottom + 4 })
    },
    [openMenu],
  )

  const moveFocus = useCallback(
    (key: string) => {
      const position = layout.position(key)
      const el = containerRef.current
      if (!position || !el) return
      const { x, y, zoom } = getViewport()
      const left = position.x * zoom + x
      const top = position.y * zoom + y
      const visible =
        left >= 0 &&
        top >= 0 &&
        left + NODE_WIDTH * zoom <= el.clientWidth &&
        top + NODE_HEIGHT * zoom <= el.clientHeight
      // An off-screen node is not mounted: bring it into view first; it takes focus when it mounts.
      if (!visible) void setCenter(position.x + NODE_WIDTH / 2, position.y + NODE_HEIGHT / 2, { zoom })
      focusNode(key)
    },
    [layout, getViewport, setCenter, focusNode],
  )

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = event.target as HTMLElement
    // Keys typed in the menu or dialog (portals that bubble through React) are theirs.
    if (!containerRef.current?.contains(target)) return
    const nodeEl = target.classList.contains('react-flow__node') ? target : null
    const key = nodeEl?.getAttribute('data-id')
    if (event.key.toLowerCase() === 'f' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      void fitView({ padding: 0.1, maxZoom: 1, duration: 200 })
      return
    }
    if (!nodeEl || !key) return
    if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
      event.preventDefault()
      openMenuAt(key, nodeEl)
      return
    }
    const direction = arrows[event.key]
    if (!direction) return
    event.preventDefault()
    const next = neighbour(structure, layout, key, direction)
    if (next) moveFocus(next)
  }

  return (
    // Keys pressed on a node (React Flow's focusable wrappers) are handled here, by delegation.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions -- the focusable nodes inside take the keys
    <div ref={measure} className="flow-canvas" onKeyDown={onKeyDown}>
      {size && (
        <ReactFlow<CanvasNode>
          nodes={drag.nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onlyRenderVisibleElements
          defaultViewport={initialViewport(
            startViewport.layout,
            startViewport.sourceKey,
            size.width,
            size.height,
          )}
          minZoom={minZoomFor(structure.nodes.length, size.width, size.height)}
          maxZoom={1.5}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          onNodesChange={onNodesChange}
          onNodeDrag={drag.onNodeDrag}
          onNodeDragStop={drag.onNodeDragStop}
          onNodeContextMenu={(event, node) => {
            event.preventDefault()
            // A keyboard-made contextmenu event has no pointer position: place the menu under the node.
            if (event.clientX === 0 && event.clientY === 0) openMenuAt(node.id, event.currentTarget)
            else openMenu({ key: node.id, x: event.clientX, y: event.clientY })
          }}
          onMoveStart={() => {
            if (useCanvasUi.getState().menu) useCanvasUi.getState().closeMenu()
          }}
          colorMode="system"
          ariaLabelConfig={ariaLabelConfig}
          aria-label="Flow canvas"
        >
          <Background gap={24} size={1} />
          <FlowOverview structure={structure} layout={layout} />
          <Controls showInteractive={false} fitViewOptions={{ padding: 0.1, maxZoom: 1 }} />
        </ReactFlow>
      )}
      <CanvasMenu flowId={flowId} structure={structure} state={state} pending={pending} editing={editing} />
      <CanvasDeleteDialog flowId={flowId} state={state} onDeleted={onDeleted} />
      <StatusAnnouncer state={state} quiet={busy} />
    </div>
  )
}

/** The open node menu, wired to the calls its items make. */
function CanvasMenu({
  flowId,
  structure,
  state,
  pending,
  editing,
}: {
  flowId: number
  structure: FlowStructure
  state: FlowState
  pending: Record<string, FlowStatus> | undefined
  editing: boolean | undefined
}) {
  const menu = useCanvasUi((s) => s.menu)
  const { closeMenu, setPreview, requestDelete, requestEdit } = useCanvasUi.getState()
  const [, setParams] = useSearchParams()
  const { data: me } = useQuery(sessionQueries.me())
  const { control, run } = useFlowActions(flowId)
  const statusOf = useCallback(
    (key: string) => pending?.[key] ?? state.resources[key]?.status,
    [pending, state],
  )
  const close = useCallback(() => {
    const key = useCanvasUi.getState().menu?.key
    closeMenu()
    // Focus goes back to the node the menu was for (when it is still on screen).
    if (key) document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(key)}"]`)?.focus()
  }, [closeMenu])

  const node = menu ? findNode(structure, menu.key) : undefined
  // The node went away while its menu was open (deleted elsewhere): close it, and its preview with it.
  useEffect(() => {
    if (menu && !node) closeMenu()
  }, [menu, node, closeMenu])
  if (!menu || !node) return null

  function onAction(action: NodeAction) {
    if (!menu) return
    const edit = editRequestFor(action, menu.key, state)
    if (edit) {
      requestEdit(edit)
      return
    }
    if (action.type === 'delete') {
      requestDelete({ key: menu.key, scope: action.scope })
      return
    }
    close()
    if (action.type === 'control')
      control.mutate(controlCall(flowId, structure, statusOf, menu.key, action.action, action.scope))
    else if (action.type === 'run' && node?.flowNodeId)
      // `?run=` opens the Runs panel on the new run (the panel is another feature; the URL joins them).
      run.mutate(node.flowNodeId, {
        onSuccess: (started) =>
          setParams(
            (previous) => {
              const next = new URLSearchParams(previous)
              next.set('run', started.id)
              return next
            },
            { replace: true },
          ),
      })
  }

  return (
    <NodeMenu
      structure={structure}
      nodeKey={menu.key}
      nodeName={state.resources[menu.key]?.name ?? menu.key}
      ownerId={state.ownerId}
      me={me}
      statusOf={statusOf}
      x={menu.x}
      y={menu.y}
      onAction={onAction}
      onPreview={setPreview}
      onClose={close}
      editing={editing}
    />
  )
}

function CanvasDeleteDialog({
  flowId,
  state,
  onDeleted,
}: {
  flowId: number
  state: FlowState
  onDeleted: (result: DeleteResponse) => void
}) {
  const request = useCanvasUi((s) => s.deleteRequest)
  const requestDelete = useCanvasUi((s) => s.requestDelete)
  if (!request) return null
  return (
    <DeleteDialog
      flowId={flowId}
      targetKey={request.key}
      scope={request.scope}
      state={state}
      onClose={() => requestDelete(null)}
      onDeleted={onDeleted}
    />
  )
}
