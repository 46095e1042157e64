import { useQuery } from '@tanstack/react-query'
import { getBaseUrl } from '../../../api/credentials'
import { StatusBadge } from '../../../components/ui/status-badge'
import { flowQueries } from '../api/flow-queries'
import { flowStatusLabel, flowStatusTone, flowTypeLabel } from '../flow-status'

export function FlowListPage() {
  const { data, error, isPending, isFetching, refetch } = useQuery(flowQueries.list())

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
            Create one with <code>POST /api/flows</code>, sending a data source and optionally its data sets
            and sinks; the{' '}
            <a href={`${getBaseUrl()}/openapi.json`} target="_blank" rel="noreferrer">
              API reference
            </a>{' '}
            describes the body.
          </p>
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
              </tr>
            </thead>
            <tbody>
              {data.flows.map((flow) => (
                <tr key={flow.id}>
                  <th scope="row" className="cell-name">
                    {flow.name}
                  </th>
                  <td>{flowTypeLabel[flow.flow_type] ?? flow.flow_type}</td>
                  <td>
                    <StatusBadge label={flowStatusLabel[flow.status]} tone={flowStatusTone[flow.status]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
