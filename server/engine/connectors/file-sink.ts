import fs from 'node:fs'
import path from 'node:path'
import { stringify } from 'csv-stringify/sync'
import type { FileFormat } from './file-source.js'

export interface FileSinkConfig {
  path: string
  format: FileFormat
}

/** A record on its way to a sink; `raw` is its unchanged NDJSON source line when it has one. */
export interface OutRecord {
  value: unknown
  raw?: string
}

export interface Serialized {
  text: string
  written: number
  /** Records the format cannot hold, by index in the input: they become error records. */
  rejected: { index: number; message: string }[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

function cell(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** One sink file's content for a batch. CSV: one header row, the union of the records' keys in order seen. */
export function serialize(format: FileFormat, records: OutRecord[]): Serialized {
  const rejected: Serialized['rejected'] = []
  if (format === 'csv') {
    const columns: string[] = []
    const seen = new Set<string>()
    const rows: Record<string, unknown>[] = []
    records.forEach((r, index) => {
      if (!isObject(r.value)) {
        rejected.push({
          index,
          message: `a CSV sink needs a JSON object per record, not ${describe(r.value)}`,
        })
        return
      }
      for (const k of Object.keys(r.value))
        if (!seen.has(k)) {
          seen.add(k)
          columns.push(k)
        }
      rows.push(r.value)
    })
    if (rows.length === 0) return { text: '', written: 0, rejected }
    const table = rows.map((row) => columns.map((c) => cell(row[c])))
    return { text: stringify(table, { header: true, columns }), written: rows.length, rejected }
  }
  const lines: string[] = []
  records.forEach((r, index) => {
    const text = r.raw ?? JSON.stringify(r.value)
    if (typeof text !== 'string') rejected.push({ index, message: `${describe(r.value)} is not JSON` })
    else lines.push(text)
  })
  if (lines.length === 0) return { text: '', written: 0, rejected }
  const text = format === 'json' ? `[\n${lines.join(',\n')}\n]\n` : `${lines.join('\n')}\n`
  return { text, written: lines.length, rejected }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array'
  if (v === null) return 'null'
  return `a ${typeof v}`
}

export const extensionOf = (format: FileFormat) => format

/** Temp (hidden) and final paths of a file a run writes into a folder. */
export function sinkFileNames(dir: string, runId: string, n: number, ext: string) {
  const name = `${runId}-${n}.${ext}`
  return { temp: path.join(dir, `.${name}.tmp`), final: path.join(dir, name) }
}

/** Hidden temp files this engine writes: `.<run id>-<n>.<ext>.tmp`. */
export const tempFilePattern =
  /^\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-\d+\.[a-z]+\.tmp$/

/** Writes a file completely and durably under its hidden temp name; it is renamed into place after commit. */
export async function writeTemp(file: string, text: string): Promise<number> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true })
  const handle = await fs.promises.open(file, 'w')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  return Buffer.byteLength(text)
}

/** Moves a committed temp file into place; true when the final file is there afterwards. */
export async function publish(temp: string, final: string): Promise<boolean> {
  try {
    await fs.promises.rename(temp, final)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    // Already renamed (a retry after a crash between rename and bookkeeping).
    return fs.existsSync(final)
  }
}
