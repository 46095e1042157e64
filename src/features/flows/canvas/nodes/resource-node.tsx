import { memo, useEffect, useRef } from 'react'
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { FlowStatus } from '../../../../api/contract'
import { StatusBadge } from '../../../../components/ui/status-badge'
import { flowStatusLabel, flowStatusTone } from '../../flow-status'
import { kindLabel, type ResourceKind } from '../../flow-model'
import type { NodeCounts } from '../../latest-run'
import { useCanvasUi, type PreviewState } from '../canvas-store'

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 })
const full = new Intl.NumberFormat()

/** "1.2K read", "40 → 24", "24 written", plus failures: short enough for the node, exact in the tooltip. */
function RunCounts({ kind, counts }: { kind: ResourceKind; counts: NodeCounts }) {
  const main =
    kind === 'data_source'
      ? `${compact.format(counts.in)} read`
      : kind === 'data_sink'
        ? `${compact.format(counts.out)} written`
        : `${compact.format(counts.in)} → ${compact.format(counts.out)}`
  const title = `Latest run: ${full.format(counts.in)} in, ${full.format(counts.out)} out, ${full.format(counts.failed)} failed`
  return (
    <span className="resource-node-counts" title={title}>
      <span className="visually-hidden">Latest run: </span>
      {main}
      {counts.failed > 0 && (
        <span className="resource-node-failed"> · {compact.format(counts.failed)} failed</span>
      )}
    </span>
  )
}

export interface ResourceNodeData extends Record<string, unknown> {
  name: string
  status: FlowStatus
  /** Data is moving through the flow (the source's runtime status). */
  processing: boolean
  /** The status shown is what a call in flight expects; the server has not confirmed it yet. */
  pending: boolean
  /** What the flow's newest run moved through this node; null when it has not run (or skipped this node). */
  counts: NodeCounts | null
}

export type DataSourceNodeType = Node<ResourceNodeData, 'data_source'>
export type DataSetNodeType = Node<ResourceNodeData, 'data_set'>
export type DataSinkNodeType = Node<ResourceNodeData, 'data_sink'>
export type CanvasNode = DataSourceNodeType | DataSetNodeType | DataSinkNodeType

function KindIcon({ kind }: { kind: ResourceKind }) {
  // Simple shapes that differ at a glance and in grey-scale: a cylinder, a table, a tray.
  return (
    <svg className="kind-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {kind === 'data_source' ? (
        <path d="M3 4c0-1.1 2.2-2 5-2s5 .9 5 2v8c0 1.1-2.2 2-5 2s-5-.9-5-2zm0 0c0 1.1 2.2 2 5 2s5-.9 5-2M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" />
      ) : kind === 'data_set' ? (
        <path d="M2.5 3h11v10h-11zM2.5 6.5h11M2.5 10h11M6.5 6.5V13" />
      ) : (
        <path d="M8 2v7m-3-3 3 3 3-3M2.5 9.5V13h11V9.5" />
      )}
    </svg>
  )
}

function ResourceNodeView({
  id,
  kind,
  data,
  selected,
}: {
  id: string
  kind: ResourceKind
  data: ResourceNodeData
  selected: boolean
}) {
  const preview = useCanvasUi((s): PreviewState =>
    s.preview === null ? 'none' : s.preview.has(id) ? 'in' : 'out',
  )
  const focusRequest = useCanvasUi((s) => (s.focusRequest?.key === id ? s.focusRequest.n : 0))
  // A sink being dragged would move here if dropped now.
  const dropTarget = useCanvasUi((s) => s.dropTarget === id)
  const openMenu = useCanvasUi((s) => s.openMenu)
  const ref = useRef<HTMLDivElement>(null)

  // Keyboard focus moved here (arrow keys): focus React Flow's wrapper, the element that carries the node's name.
  useEffect(() => {
    if (focusRequest > 0) ref.current?.closest<HTMLElement>('.react-flow__node')?.focus()
  }, [focusRequest])

  const className = ['resource-node', `kind-${kind}`, `preview-${preview}`]
  if (selected) className.push('is-selected')
  if (data.pending) className.push('is-pending')
  if (dropTarget) className.push('is-drop-target')
  return (
    <div ref={ref} className={className.join(' ')}>
      {kind !== 'data_source' && <Handle type="target" position={Position.Left} isConnectable={false} />}
      <div className="resource-node-head">
        <KindIcon kind={kind} />
        <span className="resource-node-kind">{kindLabel[kind]}</span>
        <button
          type="button"
          className="node-menu-button nodrag nopan"
          title="Actions"
          aria-haspopup="menu"
          // Keyboard users open the menu with Shift+F10 or the ContextMenu key on the focused node.
          tabIndex={-1}
          onClick={(event) => {
            event.stopPropagation()
            const box = event.currentTarget.getBoundingClientRect()
            openMenu({ key: id, x: box.left, y: box.bottom + 4 })
          }}
        >
          ⋯
        </button>
      </div>
      <p className="resource-node-name" title={data.name}>
        {data.name}
      </p>
      <div className="resource-node-status">
        <StatusBadge label={flowStatusLabel[data.status]} tone={flowStatusTone[data.status]} />
        {data.processing && <StatusBadge label="Processing" tone="progress" />}
        {data.counts && <RunCounts kind={kind} counts={data.counts} />}
      </div>
      {kind !== 'data_sink' && <Handle type="source" position={Position.Right} isConnectable={false} />}
    </div>
  )
}

// One memoized component per kind, defined once at module level: React Flow re-renders a node only when its
// node object changes, and `to-flow-elements` keeps that object while the node looks the same.
export const DataSourceNode = memo(function DataSourceNode({
  id,
  data,
  selected,
}: NodeProps<DataSourceNodeType>) {
  return <ResourceNodeView id={id} kind="data_source" data={data} selected={selected} />
})
export const DataSetNode = memo(function DataSetNode({ id, data, selected }: NodeProps<DataSetNodeType>) {
  return <ResourceNodeView id={id} kind="data_set" data={data} selected={selected} />
})
export const DataSinkNode = memo(function DataSinkNode({ id, data, selected }: NodeProps<DataSinkNodeType>) {
  return <ResourceNodeView id={id} kind="data_sink" data={data} selected={selected} />
})
