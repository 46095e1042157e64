import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { create } from 'zustand'
import type { PreviewResult } from '../../api/contract'
import { ApiError } from '../../api/http'
import { editorQueries } from './editor-api'
import { useDebouncedValue } from './use-debounced-value'

/** The server allows this many sample records per preview. */
const MAX_RECORDS = 100
const DEBOUNCE_MS = 350

export const DEFAULT_SAMPLES = `{"id": 1, "customer": "Ada", "amount": 120.5, "currency": "USD"}
{"id": 2, "customer": "Grace", "amount": 42, "currency": "EUR"}
{"id": 3, "customer": "Linus", "amount": 7.25, "currency": "USD"}`

/**
 * The sample records last typed for a flow, so the next data set added to it is previewed on the same records.
 * UI state only: never sent anywhere but the preview.
 */
const useSamples = create<{ byFlow: Record<number, string>; set: (flowId: number, text: string) => void }>()(
  (set) => ({
    byFlow: {},
    set: (flowId, text) => set((s) => ({ byFlow: { ...s.byFlow, [flowId]: text } })),
  }),
)

export function useSampleRecords(flowId: number): [string, (text: string) => void] {
  const text = useSamples((s) => s.byFlow[flowId] ?? DEFAULT_SAMPLES)
  const set = useSamples((s) => s.set)
  return [text, (next: string) => set(flowId, next)]
}

export type ParsedSamples = { ok: true; json: string; count: number } | { ok: false; message: string }

/**
 * Sample records as typed: a JSON array of records, one JSON record, or one JSON record per line (NDJSON, as the
 * files are). Normalized to the JSON text of an array, which is also the preview's cache key.
 */
export function parseSamples(text: string): ParsedSamples {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, message: 'Give at least one sample record' }
  let records: unknown[]
  try {
    const value = JSON.parse(trimmed) as unknown
    records = Array.isArray(value) ? value : [value]
  } catch (error) {
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '')
    try {
      if (lines.length < 2) throw error
      records = lines.map((line) => JSON.parse(line) as unknown)
    } catch {
      return {
        ok: false,
        message: `Not valid JSON: ${(error as Error).message}. Write a JSON array of records, or one record per line.`,
      }
    }
  }
  if (records.length === 0) return { ok: false, message: 'Give at least one sample record' }
  if (records.length > MAX_RECORDS)
    return { ok: false, message: `At most ${MAX_RECORDS} sample records (there are ${records.length})` }
  return { ok: true, json: JSON.stringify(records), count: records.length }
}

export interface Preview {
  samples: ParsedSamples
  results: PreviewResult[] | undefined
  /** The transform does not compile (the server's message, without the field name). */
  compileError: string | null
  /** Any other failure of the preview call. */
  failure: string | null
  /** A preview for the latest input is on its way (the results shown may be for the previous one). */
  updating: boolean
}

/** Runs the transform on the sample records through the server (the engine's own JSONata), debounced. */
export function useTransformPreview(transform: string, samplesText: string): Preview {
  const settledTransform = useDebouncedValue(transform, DEBOUNCE_MS)
  const settledSamples = useDebouncedValue(samplesText, DEBOUNCE_MS)
  const samples = parseSamples(settledSamples)
  const query = useQuery({
    ...editorQueries.preview(settledTransform, samples.ok ? samples.json : '[]'),
    enabled: samples.ok,
    placeholderData: keepPreviousData,
  })
  const error = query.error
  const compileError =
    error instanceof ApiError &&
    error.status === 400 &&
    (error.body as { field?: unknown }).field === 'transform'
      ? error.message.replace(/^transform: /, '')
      : null
  return {
    samples,
    results: compileError || !samples.ok ? undefined : query.data?.results,
    compileError,
    failure: error && !compileError ? error.message : null,
    updating: settledTransform !== transform || settledSamples !== samplesText || query.isFetching,
  }
}

/**
 * One line of JSON with spaces to read by: `{ "id": 1, "tags": [ "a", "b" ] }`. JSON.stringify never puts a raw
 * newline inside a string, so joining its lines changes no value.
 */
const show = (value: unknown) => (JSON.stringify(value, null, 1) ?? 'undefined').replace(/\n\s*/g, ' ')

/** One line per sample record: what the transform made of it, or why it became an error record. */
export function PreviewOutput({ preview }: { preview: Preview }) {
  const { samples, results, compileError, failure, updating } = preview
  let body
  if (!samples.ok) body = <p className="hint">Fix the sample records to see the output.</p>
  else if (compileError)
    body = <p className="hint">The transform does not compile yet: see the message under it.</p>
  else if (failure) body = <p className="field-problem">Could not preview: {failure}</p>
  else if (!results) body = <p className="hint">Running the transform…</p>
  else
    body = (
      <ol className="preview-results">
        {results.map((result, i) => (
          <li
            key={i}
            className={
              !result.ok ? 'preview-error' : result.output.length === 0 ? 'preview-dropped' : 'preview-ok'
            }
          >
            <span className="preview-index">
              <span className="visually-hidden">Record </span>
              {i + 1}
              <span className="visually-hidden">: </span>
            </span>
            {result.ok ? (
              result.output.length === 0 ? (
                <span className="hint">Dropped (no output)</span>
              ) : (
                <span className="preview-values">
                  {result.output.map((value, j) => (
                    <code key={j}>{show(value)}</code>
                  ))}
                </span>
              )
            ) : (
              <span>
                <strong>Error record:</strong> {result.error.message}{' '}
                <span className="hint">({result.error.code})</span>
              </span>
            )}
          </li>
        ))}
      </ol>
    )
  const errors = results?.filter((r) => !r.ok).length ?? 0
  return (
    <div className="preview-output" aria-busy={updating || undefined}>
      <div className="preview-head">
        <h3>Output</h3>
        {results && (
          <span className="hint" role="status">
            {results.length} {results.length === 1 ? 'record' : 'records'}
            {errors > 0 && `, ${errors} ${errors === 1 ? 'error' : 'errors'}`}
            {updating && ' · updating…'}
          </span>
        )}
      </div>
      {body}
    </div>
  )
}
