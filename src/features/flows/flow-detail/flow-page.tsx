import { useCallback, type ComponentType, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import type { DeleteResponse } from '../../../api/contract'
import type { FlowEditorProps } from '../../../api/edit-requests'
import { ApiError } from '../../../api/http'
import { queryKeys } from '../../../api/query-keys'
import { StatusBadge } from '../../../components/ui/status-badge'
import { flowQueries, type FlowDetail } from '../api/flow-queries'
import { FlowCanvas } from '../canvas/flow-canvas'
import { fromScope } from '../flow-model'
import { useLatestRun } from '../latest-run'
import { flowStatusLabel, flowStatusTone, flowTypeLabel } from '../flow-status'
import { NodeDetailsPanel } from '../node-details/node-details-panel'
import { useFlowPollInterval } from '../use-flow-actions'
import { EditorHost, FlowHeaderActions } from './flow-editing'
import { UpdatedAgo } from './updated-ago'
import './flow-page.css'

const selectHeader = ({ flow }: FlowDetail) => ({
  name: flow.name,
  status: flow.status,
  flowType: flow.flow_type,
  description: flow.description,
})

/**
 * `/flows/:flowId`: the header (name, status, freshness), the canvas, the selected node's details and the Runs
 * region (given by the app, which composes features). This component owns the refresh interval of the flow.
 * With an `editor` (also given by the app) the menus and header offer editing, and its dialogs show here.
 */
export function FlowPage({
  flowId,
  runs,
  editor,
}: {
  flowId: number
  runs?: ReactNode
  editor?: ComponentType<FlowEditorProps>
}) {
  const client = useQueryClient()
  const navigate = useNavigate()
  const refetchInterval = useFlowPollInterval(flowId)
  const { data: header, error } = useQuery({
    ...flowQueries.detail(flowId),
    select: selectHeader,
    refetchInterval,
  })
  const [params, setParams] = useSearchParams()
  const selectedKey = params.get('node')

  const onSelect = useCallback(
    (key: string | null) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous)
          if (key) next.set('node', key)
          else next.delete('node')
          return next
        },
        { replace: true },
      ),
    [setParams],
  )

  const onDeleted = useCallback(
    (result: DeleteResponse) => {
      if (result.deleted.data_sources.length > 0) {
        // The whole flow is gone: back to the list, and forget the flow only once nothing shows it.
        void navigate('/flows', { replace: true })
        setTimeout(() => client.removeQueries({ queryKey: queryKeys.flows.detail(flowId) }))
      } else if (selectedKey && fromScope(result.deleted).includes(selectedKey)) onSelect(null)
    },
    [client, flowId, navigate, onSelect, selectedKey],
  )

  if (!header) {
    if (error)
      return (
        <section className="page page-narrow" role="alert">
          <h1>
            {error instanceof ApiError && error.status === 404 ? 'Flow not found' : 'Could not load the flow'}
          </h1>
          <p>{error.message}</p>
          <p>
            <Link to="/flows">Go to flows</Link>
          </p>
        </section>
      )
    return (
      <p className="state" role="status">
        Loading flow…
      </p>
    )
  }

  return (
    <section className="flow-page" aria-labelledby="flow-title">
      <title>{`${header.name} · Flow Console`}</title>
      <header className="flow-header">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/flows">Flows</Link>
          <span aria-hidden="true"> / </span>
        </nav>
        <h1 id="flow-title">{header.name}</h1>
        <StatusBadge label={flowStatusLabel[header.status]} tone={flowStatusTone[header.status]} />
        <span className="pill">{flowTypeLabel[header.flowType] ?? header.flowType}</span>
        <LastRunFailed flowId={flowId} />
        <UpdatedAgo flowId={flowId} />
        {editor && <FlowHeaderActions flowId={flowId} />}
      </header>
      <div className={`flow-workspace${selectedKey ? ' has-details' : ''}`}>
        <FlowCanvas
          flowId={flowId}
          selectedKey={selectedKey}
          onSelect={onSelect}
          onDeleted={onDeleted}
          editing={editor !== undefined}
        />
        {selectedKey && (
          <NodeDetailsPanel flowId={flowId} nodeKey={selectedKey} onClose={() => onSelect(null)} />
        )}
      </div>
      {runs}
      {editor && <EditorHost flowId={flowId} editor={editor} onSelect={onSelect} onDeleted={onDeleted} />}
    </section>
  )
}

/** A failed newest run marks the header, linking to that run's page (its error and error records). */
function LastRunFailed({ flowId }: { flowId: number }) {
  const latest = useLatestRun(flowId)
  if (latest?.status !== 'Failed') return null
  return (
    <Link
      to={`/flows/${flowId}/runs/${latest.id}`}
      className="last-run-failed"
      title={latest.error ? `${latest.error.code}: ${latest.error.message}` : undefined}
    >
      <StatusBadge label="Last run failed" tone="negative" />
    </Link>
  )
}
