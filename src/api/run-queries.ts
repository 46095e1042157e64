import { queryOptions, type QueryClient } from '@tanstack/react-query'
import type { ErrorRecord, Run, RunParams, RunStatus } from './contract'
import { api, apiGetIfChanged, apiRequest } from './http'
import { queryKeys } from './query-keys'

/**
 * Runs as the console reads them (flows-api.md §6). Shared by the runs feature (panel, run page) and the flows
 * feature (a node's counts from the latest run, the header's failed mark, faster polling while a run is
 * active), so they live here rather than in either feature.
 *
 * Polling is decided by the data: a run is asked about every second while it is Pending or Running (each
 * answer is usually a 304: the server gives every run an ETag), and never again once it has ended — an ended
 * run cannot change, so its cached copy stays fresh forever.
 */

export const RUN_POLL_MS = 1_000
export const RUNS_PER_PAGE = 10
/** How many error records the run page asks for; the header says how many there were in all. */
export const ERROR_RECORDS_LIMIT = 50

export const isRunActive = (status: RunStatus | undefined) => status === 'Pending' || status === 'Running'

export interface RunPage {
  runs: Run[]
  /** Runs of the flow in all, from X-Total-Count. */
  total: number
  page: number
  /** Pages in all (at least 1), from X-Total-Page-Count. */
  pages: number
}

function headerNumber(headers: Headers, name: string, fallback: number): number {
  const value = headers.get(name)
  const n = value === null ? Number.NaN : Number(value)
  return Number.isFinite(n) ? n : fallback
}

async function fetchRunPage(flowId: number, page: number, signal: AbortSignal): Promise<RunPage> {
  const { data, headers } = await apiRequest<Run[]>(
    `/flows/${flowId}/runs?page=${page}&per_page=${RUNS_PER_PAGE}`,
    { signal },
  )
  return {
    runs: data,
    total: headerNumber(headers, 'X-Total-Count', data.length),
    page,
    pages: Math.max(1, headerNumber(headers, 'X-Total-Page-Count', 1)),
  }
}

/** A run with the ETag it came with, so the next poll can ask "changed since?". */
export interface RunDetail {
  run: Run
  etag: string | null
}

/**
 * A run has just ended: the flow's statuses and runtime status, its run list and the flow list changed with
 * it, and the run's error records are complete now.
 */
function runEnded(client: QueryClient, run: Run) {
  void client.invalidateQueries({ queryKey: queryKeys.flows.detail(run.flow_id), exact: true })
  void client.invalidateQueries({ queryKey: queryKeys.flows.runs(run.flow_id) })
  void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
  void client.invalidateQueries({ queryKey: queryKeys.runs.errors(run.id) })
}

/** Puts a run's new state in the cache, refreshing what depends on it when this is the moment it ended. */
function remember(client: QueryClient, previous: RunDetail | undefined, next: RunDetail): RunDetail {
  if (!isRunActive(next.run.status) && (previous === undefined || isRunActive(previous.run.status)))
    runEnded(client, next.run)
  return next
}

/**
 * `GET /runs/{id}` with our own If-None-Match: on a 304 the cached object is returned as is, so nothing that
 * shows the run re-renders.
 */
async function fetchRun(
  runId: string,
  client: QueryClient,
  signal: AbortSignal,
  retried = false,
): Promise<RunDetail> {
  const previous = client.getQueryData<RunDetail>(queryKeys.runs.detail(runId))
  const result = await apiGetIfChanged<Run>(`/runs/${runId}`, retried ? null : (previous?.etag ?? null), {
    signal,
  })
  if (!result.changed) {
    if (previous) return previous
    return fetchRun(runId, client, signal, true)
  }
  const next = { run: result.data, etag: result.etag }
  // A run seen for the first time here (a deep link) has not "just ended": nothing else needs refreshing.
  return previous ? remember(client, previous, next) : next
}

export interface ErrorRecords {
  records: ErrorRecord[]
  /** Error records of the run in all (the page holds at most ERROR_RECORDS_LIMIT). */
  total: number
}

async function fetchErrorRecords(runId: string, signal: AbortSignal): Promise<ErrorRecords> {
  const { data, headers } = await apiRequest<ErrorRecord[]>(
    `/runs/${runId}/errors?limit=${ERROR_RECORDS_LIMIT}`,
    { signal },
  )
  return { records: data, total: headerNumber(headers, 'X-Total-Count', data.length) }
}

type RunQueryState = { state: { data?: RunDetail } }

/** Fresh forever once ended; while active every read asks the server (a 304 when nothing moved). */
const runStaleTime = (query: RunQueryState) =>
  isRunActive(query.state.data?.run.status) ? 0 : Number.POSITIVE_INFINITY

/** Every second while Pending or Running, then never again. */
export const runPollInterval = (query: RunQueryState) =>
  isRunActive(query.state.data?.run.status) ? RUN_POLL_MS : false

export const runQueries = {
  /** One page of a flow's runs, newest first. Refreshed by events (see the runs panel), never on a timer. */
  page: (flowId: number, page: number) =>
    queryOptions({
      queryKey: queryKeys.flows.runPage(flowId, page),
      queryFn: ({ signal }) => fetchRunPage(flowId, page, signal),
    }),
  /**
   * One run, for reading. Exactly one place on screen polls it (`watch`): every observer with an interval
   * runs its own timer, so readers (table rows, canvas counts) only subscribe.
   */
  detail: (runId: string) =>
    queryOptions({
      queryKey: queryKeys.runs.detail(runId),
      queryFn: ({ signal, client }) => fetchRun(runId, client, signal),
      staleTime: runStaleTime,
    }),
  /** The same run, polled every second while it is active. */
  watch: (runId: string) => ({ ...runQueries.detail(runId), refetchInterval: runPollInterval }),
  /** Its first error records; they only grow while the run is active, and are final once it has ended. */
  errors: (runId: string, active: boolean) =>
    queryOptions({
      queryKey: queryKeys.runs.errors(runId),
      queryFn: ({ signal }) => fetchErrorRecords(runId, signal),
      staleTime: active ? 0 : Number.POSITIVE_INFINITY,
      refetchInterval: active ? 5 * RUN_POLL_MS : false,
    }),
}

/** A run as a list shows it, in the shape the detail query keeps. */
export const asDetail = (run: Run): RunDetail => ({ run, etag: null })

export interface StartOptions {
  /** `?await=true`: answer when the run ends (or after 60 s, with its status then). */
  wait?: boolean
  signal?: AbortSignal
}

/** `POST /flows/{node_id}/runs`: a run of the flow the node belongs to. Caches the answer. */
export async function startRun(
  client: QueryClient,
  flowNodeId: number,
  params: RunParams | undefined,
  { wait = false, signal }: StartOptions = {},
): Promise<Run> {
  const run = await api<Run>(`/flows/${flowNodeId}/runs${wait ? '?await=true' : ''}`, {
    method: 'POST',
    body: params && Object.keys(params).length > 0 ? { params } : {},
    signal,
  })
  client.setQueryData(queryKeys.runs.detail(run.id), remember(client, undefined, asDetail(run)))
  void client.invalidateQueries({ queryKey: queryKeys.flows.runs(run.flow_id) })
  return run
}

/** `PUT /runs/{id}/cancel`: a Pending run ends at once, a Running one after its batch in flight. */
export async function cancelRun(client: QueryClient, runId: string): Promise<Run> {
  const run = await api<Run>(`/runs/${runId}/cancel`, { method: 'PUT' })
  const key = queryKeys.runs.detail(runId)
  client.setQueryData(key, remember(client, client.getQueryData<RunDetail>(key), asDetail(run)))
  return run
}
