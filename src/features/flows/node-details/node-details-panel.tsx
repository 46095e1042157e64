import { Fragment, useCallback } from 'react'
import { useQuery } from '@tanstack/react-query'
import { StatusBadge } from '../../../components/ui/status-badge'
import { flowQueries, type FlowDetail } from '../api/flow-queries'
import { flowStatusLabel, flowStatusTone } from '../flow-status'
import { kindLabel, parseNodeKey, pluralOf, stateOf } from '../flow-model'

function formatTime(iso: string) {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString()
}

/** A config value as text: strings as they are, anything else as compact JSON. */
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * The selected node (`?node=<kind>-<id>`, so the view can be linked): what it is, its status, and the resource's
 * own fields (connector, config, transform) from `GET /api/<kind>/{id}`.
 */
export function NodeDetailsPanel({
  flowId,
  nodeKey,
  onClose,
}: {
  flowId: number
  nodeKey: string
  onClose: () => void
}) {
  const ref = parseNodeKey(nodeKey)
  const selectNode = useCallback(
    (detail: FlowDetail) => stateOf(detail.flow).resources[nodeKey] ?? null,
    [nodeKey],
  )
  const { data: node } = useQuery({ ...flowQueries.detail(flowId), select: selectNode })
  const resource = useQuery({
    ...flowQueries.resource(pluralOf[ref?.kind ?? 'data_set'], ref?.id ?? 0),
    enabled: ref !== null && node !== null,
  })

  return (
    <aside className="details-panel" aria-labelledby="node-details-title">
      <div className="details-head">
        <div>
          {ref && <p className="details-kind">{kindLabel[ref.kind]}</p>}
          <h2 id="node-details-title">{node?.name ?? 'Node details'}</h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      {!ref || node === null ? (
        <p className="hint">This node is not in the flow. It may have been deleted.</p>
      ) : (
        <dl className="details-list">
          <dt>Status</dt>
          <dd>
            {node && <StatusBadge label={flowStatusLabel[node.status]} tone={flowStatusTone[node.status]} />}
          </dd>
          <dt>ID</dt>
          <dd>{ref.id}</dd>
          {resource.error ? (
            <>
              <dt>Details</dt>
              <dd className="field-problem">{resource.error.message}</dd>
            </>
          ) : resource.data ? (
            <>
              {resource.data.description && (
                <>
                  <dt>Description</dt>
                  <dd>{resource.data.description}</dd>
                </>
              )}
              {'connector_type' in resource.data && (
                <>
                  <dt>Connector</dt>
                  <dd>{resource.data.connector_type}</dd>
                </>
              )}
              {Object.entries(
                'source_config' in resource.data
                  ? resource.data.source_config
                  : 'sink_config' in resource.data
                    ? resource.data.sink_config
                    : {},
              ).map(([name, value]) => (
                <Fragment key={name}>
                  <dt>{name}</dt>
                  <dd className="mono">{show(value)}</dd>
                </Fragment>
              ))}
              {'transform' in resource.data && (
                <>
                  <dt>Transform</dt>
                  <dd>
                    {resource.data.transform ? (
                      <pre className="code">{resource.data.transform}</pre>
                    ) : (
                      <span className="hint">None: records pass through</span>
                    )}
                  </dd>
                </>
              )}
              <dt>Updated</dt>
              <dd>{formatTime(resource.data.updated_at)}</dd>
            </>
          ) : (
            <>
              <dt>Details</dt>
              <dd className="hint">Loading…</dd>
            </>
          )}
        </dl>
      )}
    </aside>
  )
}
