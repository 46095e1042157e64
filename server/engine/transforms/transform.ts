import jsonata from 'jsonata'
import { compileFast, FALLBACK } from './fast-jsonata.js'

/** What one record becomes: zero or more records, or an error. */
export type Outcome = { ok: true; values: unknown[] } | { ok: false; code: string; message: string }

export interface Transform {
  /** The empty transform: records pass through unchanged. */
  readonly passThrough: boolean
  /** Synchronous when the fast evaluator handles the record, a promise when jsonata evaluates it. */
  apply(record: unknown): Outcome | Promise<Outcome>
}

// Guardrails so a runaway expression makes error records instead of stalling the engine.
const options = { timeout: 5000, stack: 500 }

const dropped: Outcome = { ok: true, values: [] }

/** undefined drops the record, an array emits each element, anything else is the one output record. */
function outcomeOf(result: unknown): Outcome {
  if (result === undefined) return dropped
  if (Array.isArray(result)) return { ok: true, values: result.filter((v) => v !== undefined) }
  return { ok: true, values: [result] }
}

function errorOutcome(err: unknown): Outcome {
  const e = err as { code?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : undefined
  const message = typeof e.message === 'string' ? e.message : String(err)
  // $error("...") (D3137) carries the author's own message; other codes say which JSONata rule failed.
  return {
    ok: false,
    code: 'TRANSFORM_ERROR',
    message: code && code !== 'D3137' ? `${code}: ${message}` : message,
  }
}

/** Compiles a data set's transform once per run. The expression has been checked on activation. */
export function compileTransform(text: string): Transform {
  if (text.trim() === '') return { passThrough: true, apply: (r) => ({ ok: true, values: [r] }) }
  const expr = jsonata(text, options)
  const slow = async (record: unknown): Promise<Outcome> => {
    try {
      return outcomeOf(await expr.evaluate(record))
    } catch (err) {
      return errorOutcome(err)
    }
  }
  const fast = compileFast(expr.ast())
  if (!fast) return { passThrough: false, apply: slow }
  return {
    passThrough: false,
    apply: (record) => {
      let result: unknown
      try {
        result = fast(record)
      } catch (err) {
        if (err === FALLBACK) return slow(record)
        throw err
      }
      return outcomeOf(result)
    },
  }
}
