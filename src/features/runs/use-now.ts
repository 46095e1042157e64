import { useEffect, useState } from 'react'

/** The current time, updated every `ms` while `ticking` (a running run's duration); frozen otherwise. */
export function useNow(ticking: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return
    // Catch up at once (the clock may have stood still since the last tick), then every `ms`.
    const first = setTimeout(() => setNow(Date.now()), 0)
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [ticking, ms])
  return now
}
