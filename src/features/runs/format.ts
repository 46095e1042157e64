import type { Run } from '../../api/contract'

/** Formatting of run times, durations and counts, in the reader's locale and time zone. */

const count = new Intl.NumberFormat()
export const formatCount = (n: number) => count.format(n)

const bytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${bytes.format(value)} ${units[unit]}`
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const dayOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

/** A full local date and time ("Nov 30, 2026, 01:51:08"). */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

/** Today's times as a time only; older ones with their day ("Nov 29, 23:10:02"). */
export function formatShortTime(iso: string, now = Date.now()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const today = new Date(now).toDateString() === date.toDateString()
  return today ? timeOnly.format(date) : `${dayOnly.format(date)}, ${timeOnly.format(date)}`
}

/** "<1 s", "42 s", "3 min 05 s", "2 h 04 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return '<1 s'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** How long the run has taken: from its start to its end, or to `now` while it runs; null before it starts. */
export function runDurationMs(run: Pick<Run, 'started_at' | 'completed_at'>, now: number): number | null {
  if (!run.started_at) return null
  const start = Date.parse(run.started_at)
  const end = run.completed_at ? Date.parse(run.completed_at) : now
  return Math.max(0, end - start)
}

/** `<input type="datetime-local">` value (local time) → unix seconds; null when empty or not a date. */
export function localInputToUnix(value: string): number | null {
  if (!value) return null
  // "YYYY-MM-DDTHH:mm[:ss]" without a zone is read as local time, which is what the picker shows.
  const ms = new Date(value).getTime()
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000)
}

/** A unix-seconds param (number or digit string, as the API accepts) → a local date and time. */
export function formatUnix(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  if (!Number.isFinite(n)) return String(value)
  return dateTime.format(new Date(n * 1000))
}

/** The reader's UTC offset, to say which clock the pickers use ("UTC+01:00"). */
export function utcOffsetLabel(date = new Date()): string {
  const minutes = -date.getTimezoneOffset()
  const sign = minutes >= 0 ? '+' : '−'
  const abs = Math.abs(minutes)
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** The run's short name: the first block of its UUID, as people quote it. */
export const shortRunId = (id: string) => id.slice(0, 8)
