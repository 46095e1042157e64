import { useMemo } from 'react'
import type { FlowStatus, Me } from '../../../api/contract'
import { Menu } from '../../../components/ui/menu'
import type { FlowStructure } from '../flow-model'
import { editActions, nodeActions, type NodeAction } from '../node-actions'

export interface NodeMenuProps {
  structure: FlowStructure
  nodeKey: string
  nodeName: string
  ownerId: number
  me: Me | undefined
  statusOf: (key: string) => FlowStatus | undefined
  x: number
  y: number
  onAction: (action: NodeAction) => void
  /** The keys the highlighted item would touch, or null when none is highlighted. */
  onPreview: (keys: readonly string[] | null) => void
  onClose: () => void
  /** Also offer the editor's items (Add data set, Add sink, Edit…, Delete…) after the contract's. */
  editing?: boolean
}

/** The node context menu (console.md): its items, in order, with the scope each previews. */
export function NodeMenu({
  structure,
  nodeKey,
  nodeName,
  ownerId,
  me,
  statusOf,
  x,
  y,
  onAction,
  onPreview,
  onClose,
  editing = false,
}: NodeMenuProps) {
  const actions = useMemo(() => {
    const input = { structure, key: nodeKey, ownerId, me, statusOf }
    return editing ? [...nodeActions(input), ...editActions(input)] : nodeActions(input)
  }, [structure, nodeKey, ownerId, me, statusOf, editing])
  const items = useMemo(
    () =>
      actions.map((a) => ({
        ...a,
        separatorBefore: a.id === 'run' || a.id === 'delete-downstream' || a.id === 'add-data-set',
        tone: a.type === 'delete' || a.id === 'delete-node' ? ('danger' as const) : undefined,
      })),
    [actions],
  )
  return (
    <Menu
      label={`Actions for ${nodeName}`}
      items={items}
      x={x}
      y={y}
      onSelect={(id) => {
        const action = actions.find((a) => a.id === id)
        if (action) onAction(action)
      }}
      onHighlight={(id) => onPreview(actions.find((a) => a.id === id)?.keys ?? null)}
      onClose={onClose}
    />
  )
}
