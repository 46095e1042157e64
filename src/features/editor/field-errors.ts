import { ApiError } from '../../api/http'

/**
 * The server's validation answer mapped onto a form. Every 400 is `{status, message, field, errors: [{field,
 * message}]}`; field names are dotted paths such as `source_config.path`, `data_sets[0].transform` or
 * `configuration.error_stage.directory`. A form names the fields it shows; each gets its first message, and
 * anything the form does not show (or an error that is not about a field: 403, 405, 409) becomes the form's
 * general message, so nothing the server said is lost.
 */
export interface FormProblems {
  /** Message by field, in the form's own names (without `prefix`). */
  fields: Record<string, string>
  /** What is not about a field the form shows; null when every problem has its place. */
  general: string | null
}

export const noProblems: FormProblems = { fields: {}, general: null }

interface Problem {
  field: string
  message: string
}

/** `data_sets[0].transform` and `data_sets.0.transform` name the same field. */
export const normalizeField = (field: string) => field.replace(/\[(\d+)\]/g, '.$1')

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).field === 'string' &&
    typeof (value as Problem).message === 'string'
  )
}

/** "name: must not …" → "must not …" when the message starts with its own field. */
function withoutField(message: string, field: string) {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message
}

/** The problems of a 400, with full field names. */
export function problemsOf(body: Record<string, unknown>): Problem[] {
  const field = typeof body.field === 'string' ? normalizeField(body.field) : null
  const message = typeof body.message === 'string' ? body.message : ''
  let problems = (Array.isArray(body.errors) ? body.errors.filter(isProblem) : []).map((p) => ({
    field: normalizeField(p.field),
    message: p.message,
  }))
  if (problems.length === 0)
    return field ? [{ field, message: withoutField(message, body.field as string) }] : []
  // A nested part of POST /api/flows names its field in full (`data_source.source_config.path`) while its
  // `errors` keep the inner names (`source_config.path`): put the outer part back on every one of them.
  if (field && !problems.some((p) => p.field === field)) {
    const inner = problems.find((p) => field.endsWith(`.${p.field}`))
    if (inner) {
      const outer = field.slice(0, field.length - inner.field.length - 1)
      problems = problems.map((p) => ({ ...p, field: `${outer}.${p.field}` }))
    }
  }
  // A union that failed says so once for itself and once per branch field; the fields say more.
  return problems.filter(
    (p) =>
      !(
        /must match a schema in (anyOf|oneOf)/.test(p.message) &&
        problems.some((o) => o.field.startsWith(`${p.field}.`))
      ),
  )
}

/**
 * Maps an error from a save onto the form: `shown` are the fields the form displays (as the server names them,
 * after `prefix`, e.g. prefix `data_source` and field `source_config.path`).
 */
export function formProblems(error: unknown, shown: readonly string[], prefix = ''): FormProblems {
  if (!(error instanceof ApiError))
    return { fields: {}, general: error instanceof Error ? error.message : String(error) }
  const { body } = error
  if (error.status !== 400) return { fields: {}, general: body.message }
  const fields: Record<string, string> = {}
  const elsewhere: string[] = []
  const lead = prefix ? `${prefix}.` : ''
  for (const problem of problemsOf(body)) {
    const name = lead && problem.field.startsWith(lead) ? problem.field.slice(lead.length) : problem.field
    if (shown.includes(name)) fields[name] ??= problem.message
    else elsewhere.push(`${problem.field}: ${problem.message}`)
  }
  if (elsewhere.length > 0) return { fields, general: elsewhere.join('; ') }
  return { fields, general: Object.keys(fields).length > 0 ? null : body.message }
}

/** A message shown under its field reads as a sentence: "Must not contain '..'". */
export const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1)
