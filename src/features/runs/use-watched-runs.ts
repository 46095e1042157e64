import { useEffect, useMemo, useRef } from 'react'
import { useQueries } from '@tanstack/react-query'
import type { Run } from '../../api/contract'
import { asDetail, isRunActive, runQueries } from '../../api/run-queries'

/**
 * Polls every active run among `runs` (each every second, through its own ETag) and no other: an ended run is
 * never asked about again. This is the one poller of those runs on the flow page; rows and the canvas only
 * read the cache. Returns the runs as they are now, and says politely (`announce`) when one of them ends.
 */
export function useWatchedRuns(runs: Run[], listUpdatedAt: number, announce: (message: string) => void) {
  const active = useMemo(() => runs.filter((r) => isRunActive(r.status)), [runs])
  const watched = useQueries({
    queries: active.map((run) => ({
      ...runQueries.watch(run.id),
      initialData: asDetail(run),
      initialDataUpdatedAt: listUpdatedAt,
    })),
    combine: (results) => results.map((r) => r.data.run),
  })

  const statuses = useRef(new Map<string, Run['status']>())
  useEffect(() => {
    for (const run of watched) {
      const before = statuses.current.get(run.id)
      statuses.current.set(run.id, run.status)
      if (before && isRunActive(before) && !isRunActive(run.status))
        announce(`Run ${run.id.slice(0, 8)} ${run.status.toLowerCase()}.`)
    }
  }, [watched, announce])

  return {
    watched,
    anyActive: watched.some((r) => isRunActive(r.status)),
  }
}
