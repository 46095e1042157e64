import { useCallback, useId, useMemo, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router-dom'
import type { Flow, FlowStatus, Me } from '../../../api/contract'
import { getBaseUrl } from '../../../api/credentials'
import { sessionQueries } from '../../../api/session-queries'
import { StatusBadge } from '../../../components/ui/status-badge'
import { flowQueries } from '../api/flow-queries'
import { countByKind, stateOf, structureOf } from '../flow-model'
import { flowStatusLabel, flowStatusTone, flowTypeLabel } from '../flow-status'
import { nodeActions, type NodeAction } from '../node-actions'
import { controlCall, useFlowActions, usePendingStatuses } from '../use-flow-actions'

const statuses: FlowStatus[] = ['ACTIVE', 'PAUSED', 'INIT']

/** `/flows`. `actions` are the toolbar's buttons (the app gives the editor's `New flow`). */
export function FlowListPage({ actions }: { actions?: ReactNode } = {}) {
  const id = useId()
  const { data, error, isPending, isFetching, refetch } = useQuery(flowQueries.list())
  const { data: me } = useQuery(sessionQueries.me())
  const [params, setParams] = useSearchParams()
  const search = params.get('q') ?? ''
  const status = params.get('status') ?? ''

  const setFilter = (name: 'q' | 'status', value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        if (value) next.set(name, value)
        else next.delete(name)
        return next
      },
      { replace: true },
    )

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase()
    return (data?.flows ?? []).filter(
      (flow) => (!needle || flow.name.toLowerCase().includes(needle)) && (!status || flow.status === status),
    )
  }, [data, search, status])

  return (
    <section className="page" aria-labelledby="flows-heading">
      <title>Flows · Flow Console</title>
      <div className="page-header">
        <h1 id="flows-heading">Flows</h1>
        {data && data.flows.length > 0 && (
          <p className="page-meta">
            {data.total > data.flows.length
              ? `Showing ${data.flows.length} of ${data.total} flows`
              : `${data.total} ${data.total === 1 ? 'flow' : 'flows'}`}
          </p>
        )}
        {actions && <div className="page-actions">{actions}</div>}
      </div>

      {isPending ? (
        <p className="state" role="status">
          Loading flows…
        </p>
      ) : error ? (
        <div className="state state-error" role="alert">
          <p>Could not load the flows: {error.message}</p>
          <button type="button" className="button" onClick={() => void refetch()} disabled={isFetching}>
            Try again
          </button>
        </div>
      ) : data.flows.length === 0 ? (
        <div className="state state-empty">
          <p className="state-title">No flows yet.</p>
          <p>
            {actions && (
              <>
                Create one with <strong>New flow</strong>, or through the API:{' '}
              </>
            )}
            {!actions && 'Create one with '}
            <code>POST /api/flows</code>, sending a data source and optionally its data sets and sinks; the{' '}
            <a href={`${getBaseUrl()}/openapi.json`} target="_blank" rel="noreferrer">
              API reference
            </a>{' '}
            describes the body.
          </p>
        </div>
      ) : (
        <>
          <search className="list-toolbar">
            <div className="field field-inline">
              <label htmlFor={`${id}-q`}>Search flows</label>
              <input
                id={`${id}-q`}
                type="search"
                placeholder="Name contains…"
                value={search}
                onChange={(e) => setFilter('q', e.target.value)}
              />
            </div>
            <div className="field field-inline">
              <label htmlFor={`${id}-status`}>Status</label>
              <select
                id={`${id}-status`}
                value={status}
                onChange={(e) => setFilter('status', e.target.value)}
              >
                <option value="">All statuses</option>
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {flowStatusLabel[s]}
                  </option>
                ))}
              </select>
            </div>
          </search>
          {shown.length === 0 ? (
            <div className="state state-empty">
              <p className="state-title">No flows match these filters.</p>
              <button type="button" className="button" onClick={() => setParams({}, { replace: true })}>
                Clear filters
              </button>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Flows</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Sources
                    </th>
                    <th scope="col" className="num">
                      Data sets
                    </th>
                    <th scope="col" className="num">
                      Sinks
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((flow) => (
                    <FlowRow key={flow.id} flow={flow} me={me} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}

/** One flow: its counts, and Activate / Pause for the entire flow (the same calls as the canvas menu). */
function FlowRow({ flow, me }: { flow: Flow; me: Me | undefined }) {
  const id = useId()
  const structure = useMemo(() => structureOf(flow), [flow])
  const state = useMemo(() => stateOf(flow), [flow])
  const counts = countByKind(structure)
  const pending = usePendingStatuses(flow.id)
  const { control } = useFlowActions(flow.id)
  const statusOf = useCallback(
    (key: string) => pending?.[key] ?? state.resources[key]?.status,
    [pending, state],
  )
  const sourceKey = structure.nodes[0]?.key
  const status = (sourceKey && pending?.[sourceKey]) || flow.status

  const actions = useMemo(() => {
    if (!sourceKey) return []
    const all = nodeActions({ structure, key: sourceKey, ownerId: flow.owner_id, me, statusOf })
    return all.filter((a) => a.id === 'activate-flow' || a.id === 'pause-flow')
  }, [structure, sourceKey, flow.owner_id, me, statusOf])

  function run(action: NodeAction) {
    if (action.disabledReason || action.type !== 'control' || !sourceKey) return
    control.mutate(controlCall(flow.id, structure, statusOf, sourceKey, action.action, 'flow'))
  }

  return (
    <tr>
      <th scope="row" className="cell-name">
        <Link to={`/flows/${flow.id}`}>{flow.name}</Link>
      </th>
      <td>{flowTypeLabel[flow.flow_type] ?? flow.flow_type}</td>
      <td>
        <StatusBadge label={flowStatusLabel[status]} tone={flowStatusTone[status]} />
      </td>
      <td className="num">{counts.data_source}</td>
      <td className="num">{counts.data_set}</td>
      <td className="num">{counts.data_sink}</td>
      <td className="cell-actions">
        {actions.map((action) => (
          <span key={action.id}>
            <button
              type="button"
              className="button button-small"
              // aria-disabled keeps the button focusable, so its reason can be read.
              aria-disabled={action.disabledReason ? true : undefined}
              aria-describedby={action.disabledReason ? `${id}-${action.id}` : undefined}
              title={action.disabledReason ?? undefined}
              onClick={() => run(action)}
            >
              {action.type === 'control' && action.action === 'activate' ? 'Activate' : 'Pause'}
            </button>
            {action.disabledReason && (
              <span id={`${id}-${action.id}`} className="visually-hidden">
                {action.disabledReason}
              </span>
            )}
          </span>
        ))}
      </td>
    </tr>
  )
}
