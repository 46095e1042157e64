import { useQuery } from '@tanstack/react-query'
import type { DeleteResponse, Scope } from '../../api/contract'
import { Dialog } from '../../components/ui/dialog'
import { StatusBadge } from '../../components/ui/status-badge'
import { flowQueries } from './api/flow-queries'
import { flowStatusLabel, flowStatusTone } from './flow-status'
import {
  nodeKey,
  parseNodeKey,
  resources,
  scopeSize,
  type ActionScope,
  type FlowState,
  type ResourceKind,
} from './flow-model'
import { useFlowActions } from './use-flow-actions'

/** More than this many names per kind are summarised ("and 950 more"): the dialog must stay readable. */
const MAX_NAMES = 50

const groups: { kind: ResourceKind; plural: keyof Scope; one: string; many: string }[] = [
  { kind: 'data_source', plural: 'data_sources', one: 'Data source', many: 'Data sources' },
  { kind: 'data_set', plural: 'data_sets', one: 'Data set', many: 'Data sets' },
  { kind: 'data_sink', plural: 'data_sinks', one: 'Data sink', many: 'Data sinks' },
]

interface DeleteDialogProps {
  flowId: number
  targetKey: string
  scope: ActionScope
  state: FlowState
  onClose: () => void
  onDeleted: (result: DeleteResponse) => void
}

/**
 * Confirms a delete after showing exactly what the server would delete (`?dry_run=1`), by kind and name. The
 * server refuses to delete active resources, so when any are active the confirmation pauses them first.
 */
export function DeleteDialog({ flowId, targetKey, scope, state, onClose, onDeleted }: DeleteDialogProps) {
  const target = parseNodeKey(targetKey)!
  const preview = useQuery(flowQueries.deletePreview(flowId, target, scope))
  const { remove } = useFlowActions(flowId)
  const title = scope === 'flow' ? 'Delete entire flow' : 'Delete downstream'
  const activeCount = preview.data ? scopeSize(preview.data.active) : 0

  function confirm() {
    remove.mutate(
      { flowId, target, scope, pauseFirst: activeCount > 0, expected: {} },
      { onSuccess: onDeleted, onSettled: onClose },
    )
  }

  return (
    <Dialog title={title} onClose={onClose} className="delete-dialog">
      {preview.isPending ? (
        <p role="status">Checking what would be deleted…</p>
      ) : preview.error ? (
        <p className="form-error" role="alert">
          Could not check what would be deleted: {preview.error.message}
        </p>
      ) : (
        <>
          <p>
            This permanently deletes {resources(scopeSize(preview.data.scope))} from{' '}
            <strong>{state.name}</strong>. It cannot be undone.
          </p>
          <div className="delete-list">
            {groups.map(({ kind, plural, one, many }) => {
              const ids = preview.data.scope[plural]
              if (ids.length === 0) return null
              return (
                <section key={kind} aria-label={ids.length === 1 ? one : many}>
                  <h3 className="delete-group">
                    {ids.length === 1 ? one : many} <span className="count">({ids.length})</span>
                  </h3>
                  <ul>
                    {ids.slice(0, MAX_NAMES).map((id) => {
                      const resource = state.resources[nodeKey(kind, id)]
                      return (
                        <li key={id}>
                          <span className="delete-name">{resource?.name ?? `${one} ${id}`}</span>
                          {resource && (
                            <StatusBadge
                              label={flowStatusLabel[resource.status]}
                              tone={flowStatusTone[resource.status]}
                            />
                          )}
                        </li>
                      )
                    })}
                    {ids.length > MAX_NAMES && <li className="hint">and {ids.length - MAX_NAMES} more</li>}
                  </ul>
                </section>
              )
            })}
          </div>
          {activeCount > 0 && (
            <p className="notice notice-warning">
              {activeCount === 1 ? '1 of them is active' : `${activeCount} of them are active`}. Active
              resources cannot be deleted: they will be paused first, then deleted.
            </p>
          )}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={!preview.data || remove.isPending}
          aria-busy={remove.isPending || undefined}
          onClick={confirm}
        >
          {activeCount > 0 ? 'Pause and delete' : 'Delete'}
        </button>
      </div>
    </Dialog>
  )
}
