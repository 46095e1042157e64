import type { RunStatus, RunTrigger } from '../../api/contract'
import type { StatusTone } from '../../components/ui/status-badge'

/** How a run's status reads and looks: the word carries the meaning, the icon and colour help scanning. */
export const runStatusTone: Record<RunStatus, StatusTone> = {
  Pending: 'neutral',
  Running: 'progress',
  Succeeded: 'positive',
  Failed: 'negative',
  Cancelled: 'warning',
}

export const triggerLabel: Record<RunTrigger, string> = {
  api: 'API',
  poll: 'Poll',
  activate: 'Catch-up',
}

export const triggerDescription: Record<RunTrigger, string> = {
  api: 'Started through the API or this console',
  poll: 'The streaming flow found new input',
  activate: 'Data waiting for a data set or sink that is active again',
}

/** Shapes that differ in grey-scale too: a clock, a spinning arc, a tick, a cross, a slashed circle. */
function RunStatusIcon({ status }: { status: RunStatus }) {
  return (
    <svg
      className={`run-status-icon${status === 'Running' ? ' is-spinning' : ''}`}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      {status === 'Pending' && (
        <>
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.5V8l2.3 1.6" />
        </>
      )}
      {status === 'Running' && (
        <>
          <circle cx="8" cy="8" r="6" opacity="0.3" />
          <path d="M8 2a6 6 0 0 1 6 6" />
        </>
      )}
      {status === 'Succeeded' && (
        <>
          <circle cx="8" cy="8" r="6" />
          <path d="m5.2 8.2 2 2 3.6-4" />
        </>
      )}
      {status === 'Failed' && (
        <>
          <circle cx="8" cy="8" r="6" />
          <path d="m5.8 5.8 4.4 4.4m0-4.4-4.4 4.4" />
        </>
      )}
      {status === 'Cancelled' && (
        <>
          <circle cx="8" cy="8" r="6" />
          <path d="m3.8 12.2 8.4-8.4" />
        </>
      )}
    </svg>
  )
}

/** A run's status as icon and text (console.md: `Pending`, `Running`, `Succeeded`, `Failed`, `Cancelled`). */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`status-badge run-status status-${runStatusTone[status]}`}>
      <RunStatusIcon status={status} />
      {status}
    </span>
  )
}
