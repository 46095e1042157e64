import { useCallback, useId, type ComponentType } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { DeleteResponse } from '../../../api/contract'
import type { EditRequest, FlowEditorProps } from '../../../api/edit-requests'
import { canChangeOwner, editDenial } from '../../../api/permissions'
import { sessionQueries } from '../../../api/session-queries'
import { flowQueries, type FlowDetail } from '../api/flow-queries'
import { useCanvasUi } from '../canvas/canvas-store'
import { nodeKey } from '../flow-model'

/**
 * The flow page's side of editing: the header's buttons, and the place where the editor (handed over by the app;
 * features do not import each other) shows the dialog for what was asked for.
 */

const selectOwner = ({ flow }: FlowDetail) => flow.owner_id

export function FlowHeaderActions({ flowId }: { flowId: number }) {
  const id = useId()
  const { data: me } = useQuery(sessionQueries.me())
  const { data: ownerId } = useQuery({ ...flowQueries.detail(flowId), select: selectOwner })
  const requestEdit = useCanvasUi((s) => s.requestEdit)
  const copyDenial = ownerId === undefined ? null : editDenial(me, ownerId)
  return (
    <div className="flow-actions">
      <button
        type="button"
        className="button button-small"
        onClick={() => requestEdit({ type: 'flow-settings' })}
      >
        Flow settings
      </button>
      <button
        type="button"
        className="button button-small"
        // aria-disabled keeps the button focusable, so its reason can be read.
        aria-disabled={copyDenial ? true : undefined}
        aria-describedby={copyDenial ? `${id}-copy` : undefined}
        title={copyDenial ?? undefined}
        onClick={() => !copyDenial && requestEdit({ type: 'duplicate-flow' })}
      >
        Duplicate flow
      </button>
      {copyDenial && (
        <span id={`${id}-copy`} className="visually-hidden">
          {copyDenial}
        </span>
      )}
      {canChangeOwner(me) && (
        <button
          type="button"
          className="button button-small"
          onClick={() => requestEdit({ type: 'change-owner' })}
        >
          Change owner…
        </button>
      )}
    </div>
  )
}

/** The node a request is about, to give focus back to when its dialog closes (the menu it came from is gone). */
function nodeOf(request: EditRequest): string | null {
  switch (request.type) {
    case 'add-data-set':
    case 'add-sink':
      return nodeKey(request.parent.kind, request.parent.id)
    case 'edit':
    case 'delete':
      return nodeKey(request.node.kind, request.node.id)
    case 'move-sink':
      return nodeKey(request.sink.kind, request.sink.id)
    default:
      return null
  }
}

interface EditorHostProps {
  flowId: number
  editor: ComponentType<FlowEditorProps>
  onSelect: (key: string | null) => void
  onDeleted: (result: DeleteResponse) => void
}

export function EditorHost({ flowId, editor: Editor, onSelect, onDeleted }: EditorHostProps) {
  const request = useCanvasUi((s) => s.editRequest)
  const { data } = useQuery({ ...flowQueries.detail(flowId), enabled: false })
  const onClose = useCallback(() => {
    const current = useCanvasUi.getState().editRequest
    useCanvasUi.getState().requestEdit(null)
    const key = current && nodeOf(current)
    // After the dialog has closed: closing it hands focus back to what had it before (the gone menu item).
    if (key)
      setTimeout(() =>
        document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(key)}"]`)?.focus(),
      )
  }, [])
  if (!request || !data) return null
  return (
    <Editor flow={data.flow} request={request} onClose={onClose} onSelect={onSelect} onDeleted={onDeleted} />
  )
}
