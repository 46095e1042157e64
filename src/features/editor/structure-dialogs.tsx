import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { DeleteResponse, Flow } from '../../api/contract'
import type { EditNode } from '../../api/edit-requests'
import { queryKeys } from '../../api/query-keys'
import { Dialog } from '../../components/ui/dialog'
import { toast } from '../../components/ui/toast'
import { deleteResource, refreshFlow, updateResource } from './editor-api'
import { kindWord, pluralOf } from './flow-parts'
import { FormActions, FormError } from './form-parts'

/**
 * Restructuring a flow one node at a time: deleting a single resource and moving a sink to another data set. The
 * server guards both (405 while active, 409 while something reads from it); its message is shown as it is.
 */

interface DeleteNodeDialogProps {
  flow: Flow
  node: EditNode
  onClose: () => void
  onDeleted: (result: DeleteResponse) => void
}

export function DeleteNodeDialog({ flow, node, onClose, onDeleted }: DeleteNodeDialogProps) {
  const client = useQueryClient()
  const word = kindWord[node.kind]
  const remove = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      const result = await deleteResource(pluralOf[node.kind], node.id)
      // Deleting the source deletes the flow: there is nothing left to refresh.
      if (node.kind !== 'data_source') await refreshFlow(client, flow.id)
      else void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
      return result
    },
    onSuccess: (result) => {
      toast.success(`Deleted ${word} “${node.name}”`)
      onClose()
      onDeleted(result)
    },
  })
  return (
    <Dialog title={`Delete ${word}`} onClose={onClose}>
      <form
        className="editor-form"
        onSubmit={(event) => {
          event.preventDefault()
          remove.mutate()
        }}
      >
        <p>
          This permanently deletes the {word} <strong>{node.name}</strong>
          {node.kind === 'data_source' ? ', and with it the flow ' : ' from '}
          <strong>{flow.name}</strong>. It cannot be undone.
        </p>
        <FormError message={remove.error ? remove.error.message : null} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-danger"
            disabled={remove.isPending}
            aria-busy={remove.isPending || undefined}
          >
            Delete
          </button>
        </div>
      </form>
    </Dialog>
  )
}

interface MoveSinkDialogProps {
  flow: Flow
  sink: EditNode
  from: EditNode
  to: EditNode
  onClose: () => void
}

/** Asked when a sink is dropped onto another data set: one `PUT /data_sinks/{id}` with its new `data_set_id`. */
export function MoveSinkDialog({ flow, sink, from, to, onClose }: MoveSinkDialogProps) {
  const client = useQueryClient()
  const active = sink.status === 'ACTIVE'
  const move = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      await updateResource('data_sinks', sink.id, { data_set_id: to.id })
      await refreshFlow(client, flow.id, { plural: 'data_sinks', id: sink.id })
    },
    onSuccess: () => {
      toast.success(`Moved “${sink.name}” to “${to.name}”`)
      onClose()
    },
  })
  return (
    <Dialog title="Move data sink" onClose={onClose}>
      <form
        className="editor-form"
        onSubmit={(event) => {
          event.preventDefault()
          move.mutate()
        }}
      >
        <p>
          Move <strong>{sink.name}</strong> from <strong>{from.name}</strong> to <strong>{to.name}</strong>?
          From its next run it writes the records of {to.name}.
        </p>
        {active && (
          <p className="notice notice-warning">
            {sink.name} is active. Pause it first: an active sink cannot be moved.
          </p>
        )}
        <FormError message={move.error ? move.error.message : null} />
        <FormActions submitLabel={active ? undefined : 'Move'} busy={move.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
