import { memo, useCallback, useEffect, useId, useRef, useState } from 'react'
import { keepPreviousData, useIsMutating, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router-dom'
import type { Run } from '../../api/contract'
import { controlDenial } from '../../api/permissions'
import { queryKeys } from '../../api/query-keys'
import { asDetail, cancelRun, isRunActive, RUN_POLL_MS, runQueries } from '../../api/run-queries'
import { sessionQueries } from '../../api/session-queries'
import { toast } from '../../components/ui/toast'
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatShortTime,
  runDurationMs,
  shortRunId,
} from './format'
import { RunStatusBadge, triggerDescription, triggerLabel } from './run-status'
import { StartRunDialog } from './start-run-dialog'
import { useNow } from './use-now'
import { useWatchedRuns } from './use-watched-runs'
import './runs.css'

export interface RunsPanelProps {
  flowId: number
  /**
   * The flow's `updated_at`. The server bumps it when a run starts or ends (runtime status PROCESSING / IDLE),
   * so a change means the list may have changed: runs started elsewhere and streaming polls show up without
   * the list ever polling on a timer.
   */
  flowVersion?: string
  /** Why no run can start now (e.g. the data source is paused); null when one can. */
  runDenial?: string | null
}

/** The delta column a run fixed for the flow: any run that named one named the flow's (others are refused). */
function fixedDeltaColumn(runs: Run[]): string | null {
  for (const run of runs) {
    const column = (run.params.deltaColumn as { name?: unknown } | undefined)?.name
    if (typeof column === 'string' && column) return column
  }
  return null
}

/** The first page's runs and the shown page's, once each (the shown page may still be page 1's data). */
function uniqueRuns(a: Run[] = [], b: Run[] = []): Run[] {
  const seen = new Set(a.map((r) => r.id))
  return [...a, ...b.filter((r) => !seen.has(r.id))]
}

const runToast: Record<Run['status'], string> = {
  Pending: 'Run started; it waits for the run before it',
  Running: 'Run started',
  Succeeded: 'Run succeeded',
  Failed: 'Run failed',
  Cancelled: 'Run cancelled',
}

/**
 * The Runs region of a flow page (console.md "The Runs panel"): `Start run`, and the flow's runs newest first
 * with live status, duration and record counts. `?run=<id>` (set by `Run now` on the canvas, or here after a
 * start) opens the panel on that run.
 */
export function RunsPanel({ flowId, flowVersion, runDenial = null }: RunsPanelProps) {
  const client = useQueryClient()
  const headingId = useId()
  const listId = useId()
  const [page, setPage] = useState(1)
  const [expanded, setExpanded] = useState(true)
  const [starting, setStarting] = useState(false)
  const [params, setParams] = useSearchParams()
  const focusedRun = params.get('run')

  // A run to focus opens the panel on its first page (where the newest runs are); derived while rendering.
  const [lastFocus, setLastFocus] = useState<string | null>(null)
  if (focusedRun !== lastFocus) {
    setLastFocus(focusedRun)
    if (focusedRun) {
      setExpanded(true)
      setPage(1)
    }
  }

  // While a start is in flight (waiting for completion holds it until the run ends) the new run is not known
  // yet: look for it every second, so it shows — and is polled — while it runs.
  const startInFlight = useIsMutating({ mutationKey: queryKeys.flows.runStart(flowId) }) > 0
  const first = useQuery({
    ...runQueries.page(flowId, 1),
    refetchInterval: startInFlight ? RUN_POLL_MS : false,
  })
  const current = useQuery({ ...runQueries.page(flowId, page), placeholderData: keepPreviousData })
  const shown = current.data
  const { data: me } = useQuery(sessionQueries.me())
  const denial = controlDenial(me) ?? runDenial

  // The flow changed (a run started or ended, here or anywhere): the list may have too.
  const seenVersion = useRef(flowVersion)
  useEffect(() => {
    if (flowVersion === seenVersion.current) return
    seenVersion.current = flowVersion
    void client.invalidateQueries({ queryKey: queryKeys.flows.runs(flowId) })
  }, [client, flowId, flowVersion])

  const announcer = useRef<HTMLDivElement>(null)
  const announce = useCallback((message: string) => {
    if (announcer.current) announcer.current.textContent = message
  }, [])
  const candidates = uniqueRuns(first.data?.runs, page === 1 ? undefined : shown?.runs)
  const { watched } = useWatchedRuns(candidates, first.dataUpdatedAt, announce)

  const deltaColumn = fixedDeltaColumn([...(first.data?.runs ?? []), ...(shown?.runs ?? [])])
  const latest = watched.find((r) => r.id === first.data?.runs[0]?.id) ?? first.data?.runs[0]

  const focus = useCallback(
    (runId: string) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous)
          next.set('run', runId)
          return next
        },
        { replace: true },
      ),
    [setParams],
  )

  return (
    <section className={`runs-panel${expanded ? '' : ' is-collapsed'}`} aria-labelledby={headingId}>
      <header className="runs-head">
        <button
          type="button"
          className="runs-toggle"
          aria-expanded={expanded}
          aria-controls={listId}
          title={expanded ? 'Hide the list of runs' : 'Show the list of runs'}
          onClick={() => setExpanded((e) => !e)}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="m4 6 4 4 4-4" />
          </svg>
          <span className="visually-hidden">{expanded ? 'Hide runs' : 'Show runs'}</span>
        </button>
        <h2 id={headingId}>Runs</h2>
        {first.data && <span className="runs-count">{formatCount(first.data.total)}</span>}
        {!expanded && latest && (
          <span className="runs-latest">
            Latest <RunStatusBadge status={latest.status} />
            <span className="hint">{formatShortTime(latest.started_at ?? latest.created_at)}</span>
          </span>
        )}
        <span className="runs-head-actions">
          {denial && (
            <span className="hint" id={`${headingId}-denial`}>
              {denial}
            </span>
          )}
          <button
            type="button"
            className="button button-small button-primary"
            aria-disabled={denial ? true : undefined}
            aria-describedby={denial ? `${headingId}-denial` : undefined}
            onClick={() => {
              if (!denial) setStarting(true)
            }}
          >
            Start run
          </button>
        </span>
      </header>

      <div id={listId} className="runs-body" hidden={!expanded}>
        {current.isPending ? (
          <p className="hint runs-state">Loading runs…</p>
        ) : current.error && !shown ? (
          <div className="runs-state form-error" role="alert">
            Could not load the runs: {current.error.message}{' '}
            <button type="button" className="button button-small" onClick={() => void current.refetch()}>
              Retry
            </button>
          </div>
        ) : shown && shown.total === 0 ? (
          <p className="hint runs-state">
            No runs yet.
            {!denial &&
              ' Start run starts one now; a streaming flow also runs by itself whenever it finds new input.'}
          </p>
        ) : shown ? (
          <>
            <div className="runs-table-wrap">
              <table className="table runs-table">
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Started</th>
                    <th scope="col">Trigger</th>
                    <th scope="col" className="num">
                      Duration
                    </th>
                    <th scope="col" className="num">
                      Read
                    </th>
                    <th scope="col" className="num">
                      Written
                    </th>
                    <th scope="col" className="num">
                      Failed
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.runs.map((run) => (
                    <RunRow
                      key={run.id}
                      run={run}
                      listUpdatedAt={current.dataUpdatedAt}
                      flowId={flowId}
                      focused={run.id === focusedRun}
                      canCancel={controlDenial(me) === null}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {shown.pages > 1 && (
              <nav className="runs-pages" aria-label="Runs pages">
                <button
                  type="button"
                  className="button button-small"
                  disabled={page <= 1}
                  onClick={() => setPage((p) => Math.max(1, p - 1))}
                >
                  Newer
                </button>
                <span className="hint" aria-live="polite">
                  Page {page} of {shown.pages}
                </span>
                <button
                  type="button"
                  className="button button-small"
                  disabled={page >= shown.pages}
                  onClick={() => setPage((p) => p + 1)}
                >
                  Older
                </button>
              </nav>
            )}
          </>
        ) : null}
      </div>

      <div ref={announcer} className="visually-hidden" aria-live="polite" aria-atomic="true" />

      {starting && (
        <StartRunDialog
          flowId={flowId}
          deltaColumn={deltaColumn}
          onClose={() => setStarting(false)}
          onStarted={(run, waited) => {
            setStarting(false)
            focus(run.id)
            if (waited && isRunActive(run.status))
              toast.success(`Run ${shortRunId(run.id)} is still ${run.status.toLowerCase()} after 60 s`)
            else toast.success(`${runToast[run.status]} (${shortRunId(run.id)})`)
          }}
          onStoppedWaiting={() => {
            setStarting(false)
            toast.success('Stopped waiting; the run goes on and shows in the list')
          }}
        />
      )}
    </section>
  )
}

interface RunRowProps {
  run: Run
  listUpdatedAt: number
  flowId: number
  focused: boolean
  canCancel: boolean
}

/** One run: read from the run's own cache entry (kept live by the panel's poller), seeded by the list. */
const RunRow = memo(function RunRow({ run: listed, listUpdatedAt, flowId, focused, canCancel }: RunRowProps) {
  const client = useQueryClient()
  const { data: run } = useQuery({
    ...runQueries.detail(listed.id),
    initialData: asDetail(listed),
    initialDataUpdatedAt: listUpdatedAt,
    select: (d) => d.run,
  })
  const cancel = useMutation({
    mutationFn: () => cancelRun(client, run.id),
    onSuccess: (after) =>
      toast.success(
        after.status === 'Cancelled'
          ? `Run ${shortRunId(after.id)} cancelled`
          : `Run ${shortRunId(after.id)} stops after its batch in flight`,
      ),
    onError: (error) => toast.error(`Could not cancel run ${shortRunId(run.id)}: ${error.message}`),
  })
  const link = useRef<HTMLAnchorElement>(null)
  useEffect(() => {
    if (!focused || !link.current) return
    link.current.scrollIntoView({ block: 'nearest' })
    link.current.focus({ preventScroll: true })
  }, [focused])

  const active = isRunActive(run.status)
  const now = useNow(run.status === 'Running')
  const duration = runDurationMs(run, now)
  const when = run.started_at ?? run.created_at
  const m = run.metrics
  return (
    <tr className={focused ? 'is-focused' : undefined} aria-current={focused ? 'true' : undefined}>
      <td>
        <RunStatusBadge status={run.status} />
        {run.status === 'Failed' && run.error && (
          <span className="run-error-code" title={run.error.message}>
            {run.error.code}
          </span>
        )}
      </td>
      <td>
        <Link
          ref={link}
          to={`/flows/${flowId}/runs/${run.id}`}
          className="run-link"
          title={`Run ${run.id} · ${formatDateTime(when)}`}
        >
          {run.started_at ? '' : 'Queued '}
          {formatShortTime(when)}
        </Link>
      </td>
      <td title={triggerDescription[run.trigger]}>{triggerLabel[run.trigger]}</td>
      <td className="num">{duration === null ? '—' : formatDuration(duration)}</td>
      <td className="num">{formatCount(m.records_read)}</td>
      <td className="num">{formatCount(m.records_written)}</td>
      <td className={`num${m.records_failed > 0 ? ' has-failed' : ''}`}>{formatCount(m.records_failed)}</td>
      <td className="cell-actions">
        {active && canCancel && (
          <button
            type="button"
            className="button button-small"
            disabled={cancel.isPending || cancel.isSuccess}
            aria-busy={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            {cancel.isPending || cancel.isSuccess ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </td>
    </tr>
  )
})
