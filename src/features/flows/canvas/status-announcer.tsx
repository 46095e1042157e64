import { useEffect, useRef } from 'react'
import { flowStatusLabel } from '../flow-status'
import type { FlowState } from '../flow-model'

/**
 * Says politely which resources changed status when the flow refreshes (someone else paused a sink, a run
 * activated something). Quiet while our own call is in flight: its toast already says what happened.
 * Writes into the live region directly, so announcing never re-renders anything.
 */
export function StatusAnnouncer({ state, quiet }: { state: FlowState; quiet: boolean }) {
  const region = useRef<HTMLDivElement>(null)
  const previous = useRef<FlowState | undefined>(undefined)

  useEffect(() => {
    const before = previous.current
    previous.current = state
    if (!before || before === state || quiet || !region.current) return
    const changes: string[] = []
    for (const [key, now] of Object.entries(state.resources)) {
      const then = before.resources[key]
      if (then && then !== now && then.status !== now.status)
        changes.push(`${now.name} is now ${flowStatusLabel[now.status]}`)
    }
    if (changes.length === 0) return
    region.current.textContent =
      changes.length <= 3 ? `${changes.join('. ')}.` : `${changes.length} resources changed status.`
  }, [state, quiet])

  return <div ref={region} className="visually-hidden" aria-live="polite" aria-atomic="true" />
}
