import type { DeleteResponse, Flow, FlowStatus } from './contract'

/**
 * The seam between the flow page and the editor. The flows feature shows the menu items and header buttons and
 * records what was asked for; the editor feature shows the form or dialog that does it. Features do not import
 * each other, so the request is typed here, once, and the app hands the editor to the page.
 */

export type EditNodeKind = 'data_source' | 'data_set' | 'data_sink'

/** A node as the canvas shows it when the request is made. */
export interface EditNode {
  kind: EditNodeKind
  id: number
  name: string
  status: FlowStatus
}

export type EditRequest =
  | { type: 'add-data-set'; parent: EditNode }
  | { type: 'add-sink'; parent: EditNode }
  | { type: 'edit'; node: EditNode }
  | { type: 'delete'; node: EditNode }
  /** A sink dropped onto another data set: confirm, then move it there. */
  | { type: 'move-sink'; sink: EditNode; from: EditNode; to: EditNode }
  | { type: 'flow-settings' }
  | { type: 'duplicate-flow' }
  | { type: 'change-owner' }

export interface FlowEditorProps {
  /** The open flow, as the page has it now. */
  flow: Flow
  request: EditRequest
  /** The dialog closed, whether or not it changed anything. */
  onClose: () => void
  /** Select a node on the canvas (a node just added), or none. */
  onSelect: (nodeKey: string | null) => void
  /** Resources were deleted: the page clears a selection that went with them, or leaves a flow that is gone. */
  onDeleted: (result: DeleteResponse) => void
}
