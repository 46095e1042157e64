import { useQuery } from '@tanstack/react-query'
import type { Run } from '../../api/contract'
import { asDetail, isRunActive, runQueries, type RunPage } from '../../api/run-queries'
import { nodeKey } from './flow-model'

const selectNewest = (page: RunPage): Run | null => page.runs[0] ?? null
/** The newest run that has started: a Pending run behind it has moved nothing yet. */
const selectStarted = (page: RunPage): Run | null => page.runs.find((r) => r.started_at !== null) ?? null

/**
 * A run from the first page of the flow's runs (shared with the runs panel), live: while it is active, its own
 * cache entry, which the panel polls every second. Only reads: nothing here polls, so the canvas and the header
 * never add requests of their own.
 */
function useLiveRun(flowId: number, select: (page: RunPage) => Run | null): Run | null {
  const { data: listed, dataUpdatedAt } = useQuery({ ...runQueries.page(flowId, 1), select })
  const active = isRunActive(listed?.status)
  const { data: live } = useQuery({
    ...runQueries.detail(listed?.id ?? ''),
    enabled: active,
    ...(listed && { initialData: asDetail(listed), initialDataUpdatedAt: dataUpdatedAt }),
    select: (d) => d.run,
  })
  if (!listed) return null
  return active && live?.id === listed.id ? live : listed
}

/** The flow's newest run (Pending, Running or ended), or null when it has never run. */
export const useLatestRun = (flowId: number) => useLiveRun(flowId, selectNewest)

/** The newest run that has started, whose counts the canvas shows (live while it runs). */
export const useLatestStartedRun = (flowId: number) => useLiveRun(flowId, selectStarted)

export interface NodeCounts {
  in: number
  out: number
  failed: number
}

/** Record counts of a run by node key (`data_set-20001`), from its `metrics.by_resource`. */
export function countsByNode(run: Run | null): Record<string, NodeCounts> | null {
  if (!run) return null
  const counts: Record<string, NodeCounts> = {}
  for (const r of run.metrics.by_resource)
    counts[nodeKey(r.resource_type, r.resource_id)] = {
      in: r.records_in,
      out: r.records_out,
      failed: r.records_failed,
    }
  return counts
}
