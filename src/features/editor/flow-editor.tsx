import type { FlowEditorProps } from '../../api/edit-requests'
import { SinkDialog, SourceDialog } from './connector-dialogs'
import { DataSetDialog } from './data-set-dialog'
import { ChangeOwnerDialog, DuplicateFlowDialog, FlowSettingsDialog } from './flow-dialogs'
import { DeleteNodeDialog, MoveSinkDialog } from './structure-dialogs'
import './editor.css'

/**
 * The editor as the flow page uses it: the form or dialog for what was asked for on the canvas or in the header
 * (see api/edit-requests.ts). The app hands this component to the page.
 */
export function FlowEditor({ flow, request, onClose, onSelect, onDeleted }: FlowEditorProps) {
  switch (request.type) {
    case 'add-data-set':
      return (
        <DataSetDialog
          flow={flow}
          mode={{ type: 'add', parent: request.parent }}
          onClose={onClose}
          onSelect={onSelect}
        />
      )
    case 'add-sink':
      return (
        <SinkDialog
          flow={flow}
          mode={{ type: 'add', parent: request.parent }}
          onClose={onClose}
          onSelect={onSelect}
        />
      )
    case 'edit':
      if (request.node.kind === 'data_set')
        return (
          <DataSetDialog
            flow={flow}
            mode={{ type: 'edit', node: request.node }}
            onClose={onClose}
            onSelect={onSelect}
          />
        )
      if (request.node.kind === 'data_sink')
        return (
          <SinkDialog
            flow={flow}
            mode={{ type: 'edit', node: request.node }}
            onClose={onClose}
            onSelect={onSelect}
          />
        )
      return <SourceDialog flow={flow} node={request.node} onClose={onClose} />
    case 'delete':
      return <DeleteNodeDialog flow={flow} node={request.node} onClose={onClose} onDeleted={onDeleted} />
    case 'move-sink':
      return (
        <MoveSinkDialog
          flow={flow}
          sink={request.sink}
          from={request.from}
          to={request.to}
          onClose={onClose}
        />
      )
    case 'flow-settings':
      return <FlowSettingsDialog flow={flow} onClose={onClose} />
    case 'duplicate-flow':
      return <DuplicateFlowDialog flow={flow} onClose={onClose} />
    case 'change-owner':
      return <ChangeOwnerDialog flow={flow} onClose={onClose} />
  }
}
