import { useEffect, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { flowQueries } from '../api/flow-queries'

export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s}s ago`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ago` : `${Math.floor(m / 60)}h ago`
}

/**
 * "Updated Ns ago": when the console last confirmed the flow with the server (a 304 confirms it too), so
 * freshness is always visible, and what went wrong when refreshing fails.
 */
export function UpdatedAgo({ flowId }: { flowId: number }) {
  const { dataUpdatedAt, error } = useQuery(flowQueries.detail(flowId))
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <p className="updated-ago">
      <span>Updated {ago(now - dataUpdatedAt)}</span>
      {error && <span className="refresh-error"> · Could not refresh: {error.message}</span>}
    </p>
  )
}
