/**
 * Run parameters (seed 004): window, start time and delta column. Pure, so the API and the engine read
 * them the same way.
 */
export interface RunParamsInput {
  windowStartTime?: number | string
  windowEndTime?: number | string
  startTime?: number | string
  deltaColumn?: { name: string }
}

export interface Window {
  /** Unix seconds, inclusive; -Infinity when open. */
  start: number
  /** Unix seconds, exclusive; Infinity when open. */
  end: number
}

export interface ParsedParams {
  window: Window | null
  startTime: number | null
  deltaColumn: string | null
}

export interface ParamProblem {
  field: string
  message: string
}

const seconds = (v: number | string | undefined): number | undefined =>
  v === undefined ? undefined : typeof v === 'number' ? v : Number(v)

/** The meaning of valid params (the route schema has checked their types), or the first problem. */
export function parseParams(params: RunParamsInput | undefined): ParsedParams | ParamProblem {
  const start = seconds(params?.windowStartTime)
  const end = seconds(params?.windowEndTime)
  const startTime = seconds(params?.startTime)
  for (const [field, v] of [
    ['windowStartTime', start],
    ['windowEndTime', end],
    ['startTime', startTime],
  ] as const)
    if (v !== undefined && !Number.isFinite(v))
      return { field: `params.${field}`, message: 'must be unix seconds (a number or a string of digits)' }
  if (start !== undefined && end !== undefined && end <= start)
    return { field: 'params.windowEndTime', message: `must be after windowStartTime (${start})` }
  return {
    window:
      start === undefined && end === undefined
        ? null
        : { start: start ?? Number.NEGATIVE_INFINITY, end: end ?? Number.POSITIVE_INFINITY },
    startTime: startTime ?? null,
    deltaColumn: params?.deltaColumn?.name ?? null,
  }
}

export const isProblem = (p: ParsedParams | ParamProblem): p is ParamProblem => 'field' in p

/**
 * A delta column value as unix seconds: numbers are seconds (milliseconds when beyond year 5000), strings
 * are numbers or dates. Anything else has no time and falls in no bounded window.
 */
export function deltaSeconds(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? (value > 1e11 ? value / 1000 : value) : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const n = Number(value)
  if (Number.isFinite(n)) return n > 1e11 ? n / 1000 : n
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms / 1000
}

export const inWindow = (t: number, w: Window) => t >= w.start && t < w.end
