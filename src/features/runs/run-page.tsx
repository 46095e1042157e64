import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { ResourceMetrics, Run } from '../../api/contract'
import { ApiError } from '../../api/http'
import { controlDenial } from '../../api/permissions'
import { cancelRun, isRunActive, runQueries } from '../../api/run-queries'
import { sessionQueries } from '../../api/session-queries'
import { toast } from '../../components/ui/toast'
import { ErrorRecords } from './error-records'
import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatUnix,
  runDurationMs,
  shortRunId,
} from './format'
import { ResourceChart } from './resource-chart'
import { resourceKindLabel, resourceLabel, type ResourceNames } from './resources'
import { RunStatusBadge, triggerDescription, triggerLabel } from './run-status'
import { useNow } from './use-now'
import './runs.css'

export interface RunPageProps {
  flowId: number
  runId: string
  /** The flow's name, when known (the app reads it from the flow). */
  flowName?: string
  /** Resource names by `<resource_type>-<id>`, so metrics and errors name what people named. */
  resourceNames?: ResourceNames
}

/**
 * `/flows/:flowId/runs/:runId`: one run — status, params, timings, metrics per resource (table and chart), the
 * error of a failed run and its first error records. Polled every second while active, never once ended.
 */
export function RunPage({ flowId, runId, flowName, resourceNames = {} }: RunPageProps) {
  const { data: run, error } = useQuery({ ...runQueries.watch(runId), select: (d) => d.run })
  const title = `Run ${shortRunId(runId)}`

  const crumbs = (
    <nav aria-label="Breadcrumb" className="breadcrumb run-crumbs">
      <Link to="/flows">Flows</Link>
      <span aria-hidden="true"> / </span>
      <Link to={`/flows/${flowId}`}>{flowName ?? `Flow ${flowId}`}</Link>
      <span aria-hidden="true"> / </span>
    </nav>
  )

  if (!run) {
    if (error)
      return (
        <section className="page page-narrow" role="alert">
          {crumbs}
          <h1>
            {error instanceof ApiError && error.status === 404 ? 'Run not found' : 'Could not load the run'}
          </h1>
          <p>{error.message}</p>
          <p>
            <Link to={`/flows/${flowId}`}>Go to the flow</Link>
          </p>
        </section>
      )
    return (
      <p className="state" role="status">
        Loading run…
      </p>
    )
  }

  return (
    <section className="page run-page" aria-labelledby="run-title">
      <title>{`${title} · ${flowName ?? `Flow ${flowId}`} · Flow Console`}</title>
      <header className="run-page-header">
        {crumbs}
        <h1 id="run-title">{title}</h1>
        <RunStatusBadge status={run.status} />
        <span className="pill" title={triggerDescription[run.trigger]}>
          Trigger: {triggerLabel[run.trigger]}
        </span>
        <CancelRun run={run} />
      </header>

      {run.error && <RunErrorBox run={run} />}

      <RunSummary run={run} />

      <div className="run-columns">
        <section className="run-card" aria-labelledby="run-timings">
          <h2 id="run-timings">Timings</h2>
          <RunTimings run={run} />
        </section>
        <section className="run-card" aria-labelledby="run-params">
          <h2 id="run-params">Parameters</h2>
          <RunParamsList params={run.params} />
        </section>
      </div>

      <section className="run-card" aria-labelledby="run-resources">
        <h2 id="run-resources">Records per resource</h2>
        {run.metrics.by_resource.length === 0 ? (
          <p className="hint">
            {isRunActive(run.status)
              ? 'The run has not reached any resource yet.'
              : 'This run moved no records through any resource.'}
          </p>
        ) : (
          <div className="run-resources">
            <ResourceTable rows={run.metrics.by_resource} names={resourceNames} />
            <ResourceChart rows={run.metrics.by_resource} names={resourceNames} />
          </div>
        )}
      </section>

      <ErrorRecords run={run} names={resourceNames} />
    </section>
  )
}

function CancelRun({ run }: { run: Run }) {
  const client = useQueryClient()
  const { data: me } = useQuery(sessionQueries.me())
  const cancel = useMutation({
    mutationFn: () => cancelRun(client, run.id),
    onError: (error) => toast.error(`Could not cancel the run: ${error.message}`),
  })
  if (!isRunActive(run.status) || controlDenial(me)) return null
  const busy = cancel.isPending || cancel.isSuccess
  return (
    <button
      type="button"
      className="button button-small run-page-cancel"
      disabled={busy}
      aria-busy={cancel.isPending}
      onClick={() => cancel.mutate()}
    >
      {busy ? 'Cancelling…' : 'Cancel'}
    </button>
  )
}

function RunErrorBox({ run }: { run: Run }) {
  if (!run.error) return null
  const failed = run.status === 'Failed'
  return (
    <section className={`run-error${failed ? '' : ' is-notice'}`} aria-labelledby="run-error-title">
      <h2 id="run-error-title">{failed ? 'Why the run failed' : 'Why the run stopped'}</h2>
      <p>
        <code className="run-error-code-large">{run.error.code}</code>
      </p>
      <p className="run-error-message">{run.error.message}</p>
    </section>
  )
}

const files = (n: number) => `${formatCount(n)} ${n === 1 ? 'file' : 'files'}`

function RunSummary({ run }: { run: Run }) {
  const m = run.metrics
  const now = useNow(run.status === 'Running')
  const duration = runDurationMs(run, now)
  const items: { label: string; value: string; note?: string; failed?: boolean }[] = [
    { label: 'Records read', value: formatCount(m.records_read) },
    { label: 'Records written', value: formatCount(m.records_written), note: 'Summed over sinks' },
    { label: 'Records failed', value: formatCount(m.records_failed), failed: m.records_failed > 0 },
    { label: 'Duration', value: duration === null ? 'Not started' : formatDuration(duration) },
    { label: 'Data read', value: formatBytes(m.bytes_read), note: files(m.files_read) },
    { label: 'Data written', value: formatBytes(m.bytes_written), note: files(m.files_written) },
  ]
  return (
    <dl className="run-summary">
      {items.map(({ label, value, note, failed }) => (
        <div key={label} className={failed ? 'has-failed' : undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
          {note && <dd className="run-summary-note">{note}</dd>}
        </div>
      ))}
    </dl>
  )
}

function RunTimings({ run }: { run: Run }) {
  const now = useNow(isRunActive(run.status))
  const queuedMs = (run.started_at ? Date.parse(run.started_at) : now) - Date.parse(run.created_at)
  return (
    <dl className="run-dl">
      <dt>Created</dt>
      <dd>{formatDateTime(run.created_at)}</dd>
      <dt>Started</dt>
      <dd>{run.started_at ? formatDateTime(run.started_at) : 'Not yet (Pending)'}</dd>
      <dt>Ended</dt>
      <dd>
        {run.completed_at ? formatDateTime(run.completed_at) : isRunActive(run.status) ? 'Not yet' : '—'}
      </dd>
      <dt>Waited</dt>
      <dd>{formatDuration(Math.max(0, queuedMs))}</dd>
      <dt>Run ID</dt>
      <dd className="run-mono">{run.id}</dd>
    </dl>
  )
}

const paramLabels: Record<string, string> = {
  windowStartTime: 'Window start',
  windowEndTime: 'Window end',
  startTime: 'Not before',
  deltaColumn: 'Delta column',
}

function deltaColumnName(value: unknown): string {
  const name = (value as { name?: unknown } | null)?.name
  return typeof name === 'string' ? name : JSON.stringify(value)
}

function RunParamsList({ params }: { params: Run['params'] }) {
  const entries = Object.entries(params)
  if (entries.length === 0) return <p className="hint">None: the run read all new input, with no window.</p>
  return (
    <dl className="run-dl">
      {entries.map(([key, value]) => (
        <div key={key} className="details-pair">
          <dt>{paramLabels[key] ?? key}</dt>
          <dd>
            {key === 'deltaColumn' ? (
              <code>{deltaColumnName(value)}</code>
            ) : key.endsWith('Time') ? (
              <>
                {formatUnix(value)} <span className="hint">({String(value)})</span>
              </>
            ) : (
              <code>{JSON.stringify(value)}</code>
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}

function ResourceTable({ rows, names }: { rows: ResourceMetrics[]; names: ResourceNames }) {
  return (
    <div className="table-wrap run-resource-table">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col" className="num">
              In
            </th>
            <th scope="col" className="num">
              Out
            </th>
            <th scope="col" className="num">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.resource_type}-${r.resource_id}`}>
              <th scope="row" className="cell-name">
                <span className={`kind-tag kind-${r.resource_type}`}>
                  {resourceKindLabel[r.resource_type]}
                </span>
                {resourceLabel(r.resource_type, r.resource_id, names)}
              </th>
              <td className="num">{formatCount(r.records_in)}</td>
              <td className="num">{formatCount(r.records_out)}</td>
              <td className={`num${r.records_failed > 0 ? ' has-failed' : ''}`}>
                {formatCount(r.records_failed)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
