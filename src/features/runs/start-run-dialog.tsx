import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Run, RunParams } from '../../api/contract'
import { ApiError } from '../../api/http'
import { queryKeys } from '../../api/query-keys'
import { startRun } from '../../api/run-queries'
import { Dialog } from '../../components/ui/dialog'
import { formatDuration, localInputToUnix, utcOffsetLabel } from './format'

export interface RunForm {
  windowStart: string
  windowEnd: string
  deltaColumn: string
  wait: boolean
}

export type RunFormField = 'windowStart' | 'windowEnd' | 'deltaColumn'
export type RunFormProblems = Partial<Record<RunFormField, string>>

/**
 * What is wrong with the form, by field (empty when it can be sent). The window is optional and may be open
 * on either side; when both ends are given the end must come after the start ([start, end) must hold a moment).
 */
export function validateRunForm(form: RunForm): RunFormProblems {
  const problems: RunFormProblems = {}
  const start = localInputToUnix(form.windowStart)
  const end = localInputToUnix(form.windowEnd)
  if (form.windowStart && start === null) problems.windowStart = 'Enter a date and time'
  if (form.windowEnd && end === null) problems.windowEnd = 'Enter a date and time'
  if (start !== null && end !== null && end <= start)
    problems.windowEnd = 'Window end must be after window start'
  if (form.deltaColumn.trim().length > 255) problems.deltaColumn = 'At most 255 characters'
  return problems
}

/** The run's `params` from the form; a fixed delta column is not repeated (the flow already has it). */
export function runParamsOf(form: RunForm, fixedDeltaColumn: string | null): RunParams {
  const params: RunParams = {}
  const start = localInputToUnix(form.windowStart)
  const end = localInputToUnix(form.windowEnd)
  if (start !== null) params.windowStartTime = start
  if (end !== null) params.windowEndTime = end
  const column = form.deltaColumn.trim()
  if (column && fixedDeltaColumn === null) params.deltaColumn = { name: column }
  return params
}

/** The server names the field it refuses (`params.deltaColumn.name`): show its message at that field. */
function fieldOf(error: unknown): RunFormField | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null
  const { field } = error.body as { field?: unknown }
  if (typeof field !== 'string') return null
  if (field.startsWith('params.deltaColumn')) return 'deltaColumn'
  if (field.startsWith('params.windowStartTime')) return 'windowStart'
  if (field.startsWith('params.windowEndTime')) return 'windowEnd'
  return null
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError'

interface StartRunDialogProps {
  /** The flow node the run is started at (any node of the flow). */
  flowId: number
  /** The flow's delta column when a run has fixed it; the field then shows it and cannot change. */
  deltaColumn: string | null
  onClose: () => void
  /** The run was created (and, when waited for, has ended or the wait timed out). */
  onStarted: (run: Run, waited: boolean) => void
  /** The person stopped waiting: the run goes on without them. */
  onStoppedWaiting: () => void
}

/** `Start run`: optional window and delta column, and `Wait for completion` (`?await=true`). */
export function StartRunDialog({
  flowId,
  deltaColumn,
  onClose,
  onStarted,
  onStoppedWaiting,
}: StartRunDialogProps) {
  const client = useQueryClient()
  const id = useId()
  const [form, setForm] = useState<RunForm>({
    windowStart: '',
    windowEnd: '',
    deltaColumn: deltaColumn ?? '',
    wait: false,
  })
  const [submitted, setSubmitted] = useState(false)
  const abort = useRef<AbortController | null>(null)
  const start = useMutation({
    mutationKey: queryKeys.flows.runStart(flowId),
    mutationFn: (variables: { params: RunParams; wait: boolean }) => {
      abort.current = new AbortController()
      return startRun(client, flowId, variables.params, {
        wait: variables.wait,
        signal: abort.current.signal,
      })
    },
    onSuccess: (run, variables) => onStarted(run, variables.wait),
    onError: (error) => {
      if (isAbort(error)) onStoppedWaiting()
    },
  })
  // Leaving the page while waiting stops the wait (the run itself goes on).
  useEffect(() => () => abort.current?.abort(), [])

  const problems: RunFormProblems = submitted ? validateRunForm(form) : {}
  const serverField = fieldOf(start.error)
  if (serverField && !problems[serverField]) problems[serverField] = start.error?.message
  const formError = start.error && !serverField && !isAbort(start.error) ? start.error.message : null
  const waiting = start.isPending && start.variables?.wait === true
  const offset = utcOffsetLabel()

  function change<K extends keyof RunForm>(key: K, value: RunForm[K]) {
    setForm((f) => ({ ...f, [key]: value }))
    if (start.error) start.reset()
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setSubmitted(true)
    const found = validateRunForm(form)
    const first = (['windowStart', 'windowEnd', 'deltaColumn'] as const).find((k) => found[k])
    if (first) {
      document.getElementById(`${id}-${first}`)?.focus()
      return
    }
    start.mutate({ params: runParamsOf(form, deltaColumn), wait: form.wait })
  }

  const described = (field: RunFormField, hint?: string) =>
    [problems[field] ? `${id}-${field}-problem` : null, hint].filter(Boolean).join(' ') || undefined

  return (
    <Dialog
      title="Start run"
      className="start-run-dialog"
      onClose={() => {
        // Escape while waiting only stops waiting; the dialog closes through onStoppedWaiting.
        if (start.isPending) abort.current?.abort()
        else onClose()
      }}
    >
      <form noValidate onSubmit={onSubmit} aria-busy={start.isPending}>
        <fieldset className="run-window" disabled={start.isPending}>
          <legend>Window (optional)</legend>
          <p className="hint" id={`${id}-window-hint`}>
            Reads only records whose delta column value — or, without one, whose file’s modification time — is
            from the start up to (not including) the end. Your local time, {offset}.
          </p>
          <div className="run-window-fields">
            <div className="field">
              <label htmlFor={`${id}-windowStart`}>Window start</label>
              <input
                id={`${id}-windowStart`}
                type="datetime-local"
                step={1}
                value={form.windowStart}
                aria-invalid={problems.windowStart ? true : undefined}
                aria-describedby={described('windowStart')}
                onChange={(e) => change('windowStart', e.target.value)}
              />
              {problems.windowStart && (
                <p className="field-problem" id={`${id}-windowStart-problem`}>
                  {problems.windowStart}
                </p>
              )}
            </div>
            <div className="field">
              <label htmlFor={`${id}-windowEnd`}>Window end</label>
              <input
                id={`${id}-windowEnd`}
                type="datetime-local"
                step={1}
                value={form.windowEnd}
                aria-invalid={problems.windowEnd ? true : undefined}
                aria-describedby={described('windowEnd')}
                onChange={(e) => change('windowEnd', e.target.value)}
              />
              {problems.windowEnd && (
                <p className="field-problem" id={`${id}-windowEnd-problem`}>
                  {problems.windowEnd}
                </p>
              )}
            </div>
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={`${id}-deltaColumn`}>Delta column</label>
          <input
            id={`${id}-deltaColumn`}
            value={form.deltaColumn}
            readOnly={deltaColumn !== null}
            disabled={start.isPending}
            placeholder={deltaColumn === null ? 'e.g. updated_at' : undefined}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problems.deltaColumn ? true : undefined}
            aria-describedby={described('deltaColumn', `${id}-deltaColumn-hint`)}
            onChange={(e) => change('deltaColumn', e.target.value)}
          />
          {problems.deltaColumn && (
            <p className="field-problem" id={`${id}-deltaColumn-problem`}>
              {problems.deltaColumn}
            </p>
          )}
          <p className="hint" id={`${id}-deltaColumn-hint`}>
            {deltaColumn !== null
              ? 'Fixed by an earlier run of this flow: every run filters its window on this column.'
              : 'Optional. The record field a window filters on; the first run that names one fixes it for the flow.'}
          </p>
        </div>

        <div className="check-field">
          <input
            id={`${id}-wait`}
            type="checkbox"
            checked={form.wait}
            disabled={start.isPending}
            aria-describedby={`${id}-wait-hint`}
            onChange={(e) => change('wait', e.target.checked)}
          />
          <div>
            <label htmlFor={`${id}-wait`}>Wait for completion</label>
            <p className="hint" id={`${id}-wait-hint`}>
              Stay here until the run ends (at most 60 s); it runs on if you stop waiting.
            </p>
          </div>
        </div>

        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        {waiting && <WaitingState />}

        <div className="dialog-actions">
          {waiting ? (
            <button type="button" className="button" onClick={() => abort.current?.abort()}>
              Stop waiting
            </button>
          ) : (
            <button type="button" className="button" onClick={onClose} disabled={start.isPending}>
              Close
            </button>
          )}
          <button
            type="submit"
            className="button button-primary"
            disabled={start.isPending}
            aria-busy={start.isPending}
          >
            {waiting ? 'Waiting…' : start.isPending ? 'Starting…' : form.wait ? 'Start and wait' : 'Start'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/**
 * "Waiting for the run to end… 12 s", counting so it is plain that something is happening. Only the words are
 * announced; the counter is hidden from screen readers, which would otherwise read it every second.
 */
function WaitingState() {
  const [since] = useState(() => Date.now())
  const [now, setNow] = useState(since)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <p className="run-waiting" role="status">
      <span className="spinner" aria-hidden="true" />
      Waiting for the run to end…
      <span aria-hidden="true" className="run-waiting-time">
        {formatDuration(now - since)}
      </span>
    </p>
  )
}
