import type { FlowStatus, Me } from '../../api/contract'
import { controlDenial, createDenial, deleteDenial, editDenial } from '../../api/permissions'
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
  | EditActionId

/** The editing items, after the contract's control items (console.md "Editing"). */
export type EditActionId = 'add-data-set' | 'add-sink' | 'edit' | 'delete-node'

export type NodeAction = {
  id: NodeActionId
  label: string
  scope: ActionScope
  /** Node keys this item would touch. */
  keys: string[]
  disabledReason: string | null
} & (
  | { type: 'control'; action: 'activate' | 'pause' }
  | { type: 'run' }
  | { type: 'delete' }
  | { type: 'edit'; id: EditActionId }
)

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

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/**
 * `Add data set`, `Add sink`, `Edit…` and `Delete…` (this one node). Each previews the node itself. Delete is
 * guarded as the server guards it (405 while active, 409 while something reads from the node), so the reason shows
 * before the click; the server's message still shows if it refuses anyway.
 */
export function editActions({ structure, key, ownerId, me, statusOf }: NodeActionInput): NodeAction[] {
  const node = findNode(structure, key)
  if (!node) return []
  const create = createDenial(me)
  const edit = editDenial(me, ownerId)
  const readers = structure.nodes.filter((n) => n.parent === key)
  const sets = readers.filter((n) => n.kind === 'data_set').length
  const sinks = readers.length - sets
  const dependents = [
    sets > 0 &&
      count(
        sets,
        node.kind === 'data_source' ? 'data set' : 'derived data set',
        node.kind === 'data_source' ? 'data sets' : 'derived data sets',
      ),
    sinks > 0 && count(sinks, 'data sink', 'data sinks'),
  ].filter(Boolean)
  const deleteReason =
    deleteDenial(me, ownerId) ??
    (statusOf(key) === 'ACTIVE'
      ? 'Active: pause it first'
      : dependents.length > 0
        ? `Has ${dependents.join(' and ')}: use Delete downstream…`
        : null)
  const item = (id: EditActionId, label: string, disabledReason: string | null): NodeAction => ({
    id,
    label,
    type: 'edit',
    scope: 'downstream',
    keys: [key],
    disabledReason,
  })
  return [
    item(
      'add-data-set',
      'Add data set',
      node.kind === 'data_sink' ? 'Data sets read from a data source or a data set' : create,
    ),
    item(
      'add-sink',
      'Add sink',
      node.kind === 'data_set'
        ? create
        : node.kind === 'data_source'
          ? 'Sinks read from a data set: add one first'
          : 'Sinks read from a data set',
    ),
    item('edit', 'Edit…', edit),
    item('delete-node', 'Delete…', deleteReason),
  ]
}
