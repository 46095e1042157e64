import type { FlowStatus, Me } from '../../api/contract'
import { controlDenial, deleteDenial } from '../../api/permissions'
import { findNode, scopeKeys, type ActionScope, type FlowStructure } from './flow-model'

/**
 * The node context menu as data: its items in the contract's order (console.md), each with the scope it would
 * touch (highlighted while the item has the pointer or focus) and, when it cannot apply, the reason.
 */
export type NodeActionId =
  | 'activate-downstream'
  | 'activate-flow'
  | 'pause-downstream'
  | 'pause-flow'
  | 'run'
  | 'delete-downstream'
  | 'delete-flow'

export type NodeAction = {
  id: NodeActionId
  label: string
  scope: ActionScope
  /** Node keys this item would touch. */
  keys: string[]
  disabledReason: string | null
} & ({ type: 'control'; action: 'activate' | 'pause' } | { type: 'run' } | { type: 'delete' })

export interface NodeActionInput {
  structure: FlowStructure
  key: string
  ownerId: number
  me: Me | undefined
  /** The status shown for a node (server's, or the optimistic one while a call is in flight). */
  statusOf: (key: string) => FlowStatus | undefined
}

function activateReason(keys: string[], statusOf: NodeActionInput['statusOf']): string | null {
  return keys.every((k) => statusOf(k) === 'ACTIVE') ? 'Already active' : null
}

function pauseReason(keys: string[], statusOf: NodeActionInput['statusOf']): string | null {
  if (keys.some((k) => statusOf(k) === 'ACTIVE')) return null
  return keys.every((k) => statusOf(k) === 'PAUSED') ? 'Already paused' : 'Nothing active to pause'
}

export function nodeActions({ structure, key, ownerId, me, statusOf }: NodeActionInput): NodeAction[] {
  const node = findNode(structure, key)
  if (!node) return []
  const downstream = scopeKeys(structure, key, 'downstream')
  const whole = scopeKeys(structure, key, 'flow')
  const control = controlDenial(me)
  const del = deleteDenial(me, ownerId)
  const source = structure.nodes[0]

  let runReason: string | null = control
  if (node.kind === 'data_sink') runReason = 'Runs start at a data source or data set'
  else if (!runReason && source && statusOf(source.key) !== 'ACTIVE')
    runReason = 'Activate the data source first'

  return [
    {
      id: 'activate-downstream',
      label: 'Activate downstream',
      type: 'control',
      action: 'activate',
      scope: 'downstream',
      keys: downstream,
      disabledReason: control ?? activateReason(downstream, statusOf),
    },
    {
      id: 'activate-flow',
      label: 'Activate entire flow',
      type: 'control',
      action: 'activate',
      scope: 'flow',
      keys: whole,
      disabledReason: control ?? activateReason(whole, statusOf),
    },
    {
      id: 'pause-downstream',
      label: 'Pause downstream',
      type: 'control',
      action: 'pause',
      scope: 'downstream',
      keys: downstream,
      disabledReason: control ?? pauseReason(downstream, statusOf),
    },
    {
      id: 'pause-flow',
      label: 'Pause entire flow',
      type: 'control',
      action: 'pause',
      scope: 'flow',
      keys: whole,
      disabledReason: control ?? pauseReason(whole, statusOf),
    },
    { id: 'run', label: 'Run now', type: 'run', scope: 'flow', keys: whole, disabledReason: runReason },
    {
      id: 'delete-downstream',
      label: 'Delete downstream…',
      type: 'delete',
      scope: 'downstream',
      keys: downstream,
      disabledReason: del,
    },
    {
      id: 'delete-flow',
      label: 'Delete entire flow…',
      type: 'delete',
      scope: 'flow',
      keys: whole,
      disabledReason: del,
    },
  ]
}
