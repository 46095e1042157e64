import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import { confinePath } from '../../domain/paths.js'
import { deltaSeconds, inWindow, type Window } from '../params.js'

export type FileFormat = 'ndjson' | 'csv' | 'json'

export interface FileSourceConfig {
  path: string
  format: FileFormat
}

export interface SourceFile {
  /** Relative to FILES_DIR, with forward slashes: the identity a fingerprint is stored under. */
  rel: string
  abs: string
  size: number
  mtimeMs: number
}

/** A record as the source produced it; `raw` is its NDJSON line, reused when it reaches a sink unchanged. */
export interface SourceRecord {
  value: unknown
  raw?: string
  /** Set when the input could not be parsed into a record: it becomes an error record at the source. */
  parseError?: string
}

/** Which records of a file an ingest-log entry holds (delta-column windows). Null: all of them. */
export interface EntryFilter {
  column: string
  /** Null: no window, everything not excluded. */
  window: Window | null
  /** Windows already ingested from the same file in earlier entries. */
  exclude: Window[]
}

const chunkSize = 1 << 20

/**
 * The files a `file` source reads now: every regular file in the folder whose name does not start with
 * '.' or '_' (not recursive), or the one file the path names; oldest first so input is taken in arrival
 * order. Throws when the path is outside FILES_DIR or cannot be read.
 */
export async function listSourceFiles(filesDir: string, config: FileSourceConfig): Promise<SourceFile[]> {
  const confined = confinePath(filesDir, config.path)
  if (!confined.ok) throw new Error(`path '${config.path}' ${confined.reason}`)
  const root = confined.path
  let stat: fs.Stats
  try {
    stat = await fs.promises.stat(root)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`path '${config.path}' does not exist`)
    throw err
  }
  const rel = (abs: string) => path.relative(filesDir, abs).split(path.sep).join('/')
  if (stat.isFile()) return [{ rel: rel(root), abs: root, size: stat.size, mtimeMs: stat.mtimeMs }]
  const out: SourceFile[] = []
  for (const dirent of await fs.promises.readdir(root, { withFileTypes: true })) {
    if (!dirent.isFile() || dirent.name.startsWith('.') || dirent.name.startsWith('_')) continue
    const abs = path.join(root, dirent.name)
    try {
      const s = await fs.promises.stat(abs)
      out.push({ rel: rel(abs), abs, size: s.size, mtimeMs: s.mtimeMs })
    } catch {
      // Removed between the listing and the stat: not input any more.
    }
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

const fingerprintOf = (size: number, hash: crypto.Hash) => `${size}:${hash.digest('hex')}`

/** The content fingerprint (size + SHA-256) of a file, streamed. */
export async function fingerprintFile(abs: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash('sha256')
  let size = 0
  for await (const chunk of fs.createReadStream(abs, { highWaterMark: chunkSize, signal })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return fingerprintOf(size, hash)
}

/**
 * Copies a source file into the journal while hashing it, so the fingerprint is of exactly the bytes the
 * run will read. The copy is written under a hidden name, fsynced and then renamed.
 */
export async function journalCopy(
  abs: string,
  journalDir: string,
  signal?: AbortSignal,
): Promise<{ name: string; fingerprint: string; bytes: number }> {
  await fs.promises.mkdir(journalDir, { recursive: true })
  const name = crypto.randomUUID()
  const temp = path.join(journalDir, `.${name}.part`)
  const hash = crypto.createHash('sha256')
  let bytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      bytes += chunk.length
      done(null, chunk)
    },
  })
  try {
    await pipeline(
      fs.createReadStream(abs, { highWaterMark: chunkSize }),
      tap,
      fs.createWriteStream(temp, { flush: true }),
      { signal },
    )
    await fs.promises.rename(temp, path.join(journalDir, name))
  } catch (err) {
    await fs.promises.rm(temp, { force: true })
    throw err
  }
  return { name, fingerprint: fingerprintOf(bytes, hash), bytes }
}

function filterOf(filter: EntryFilter | null): ((r: SourceRecord) => boolean) | null {
  if (!filter) return null
  const { column, window, exclude } = filter
  return (r) => {
    const value =
      r.parseError === undefined && r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)
        ? (r.value as Record<string, unknown>)[column]
        : undefined
    const t = deltaSeconds(value)
    // A record without a usable delta value belongs to no bounded window: only an unwindowed run takes it.
    if (t === undefined) return window === null
    if (window && !inWindow(t, window)) return false
    return !exclude.some((w) => inWindow(t, w))
  }
}

function ndjsonRecord(line: string): SourceRecord {
  try {
    return { value: JSON.parse(line) as unknown, raw: line }
  } catch (err) {
    return { value: { raw: line }, parseError: `not a JSON line: ${(err as Error).message}` }
  }
}

const blank = /^\s*$/

async function* ndjsonChunks(
  abs: string,
  skip: number,
  signal?: AbortSignal,
): AsyncGenerator<SourceRecord[]> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  let toSkip = skip
  const take = (lines: string[]) => {
    const out: SourceRecord[] = []
    for (let line of lines) {
      if (line.endsWith('\r')) line = line.slice(0, -1)
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && blank.test(line))) continue
      // Resuming: records already delivered are counted, not parsed.
      if (toSkip > 0) {
        toSkip -= 1
        continue
      }
      out.push(ndjsonRecord(line))
    }
    return out
  }
  for await (const chunk of fs.createReadStream(abs, { highWaterMark: chunkSize, signal })) {
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n')
    rest = lines.pop() ?? ''
    const out = take(lines)
    if (out.length) yield out
  }
  const out = take([rest + decoder.end()])
  if (out.length) yield out
}

async function* csvChunks(abs: string, signal?: AbortSignal): AsyncGenerator<SourceRecord[]> {
  // Records and unparseable rows go through one queue from the parser's callbacks, so their order (and so
  // every record's position in the entry) is the same on every read.
  let queue: SourceRecord[] = []
  let header: string[] | undefined
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      queue.push({ value: { raw: raw ?? '' }, parseError: `not a CSV row: ${err?.message ?? 'unparseable'}` })
      return undefined
    },
    on_record: (fields: string[]) => {
      if (!header) {
        header = fields
        return null
      }
      if (fields.length !== header.length)
        queue.push({
          value: { raw: fields.join(',') },
          parseError: `has ${fields.length} fields where the header has ${header.length}`,
        })
      else {
        const record: Record<string, string> = {}
        for (let i = 0; i < header.length; i++) record[header[i] as string] = fields[i] as string
        queue.push({ value: record })
      }
      return null
    },
  })
  parser.resume()
  const failed = new Promise<never>((_, reject) => parser.once('error', reject))
  failed.catch(() => undefined)
  const drain = () => {
    const out = queue
    queue = []
    return out
  }
  for await (const chunk of fs.createReadStream(abs, { highWaterMark: chunkSize, signal })) {
    await Promise.race([new Promise<void>((resolve) => parser.write(chunk, () => resolve())), failed])
    const out = drain()
    if (out.length) yield out
  }
  await Promise.race([new Promise<void>((resolve) => parser.end(() => resolve())), failed])
  const out = drain()
  if (out.length) yield out
}

async function* jsonChunks(abs: string): AsyncGenerator<SourceRecord[]> {
  // A JSON document is not streamable without another parser; json sources are meant for small files.
  const text = await fs.promises.readFile(abs, 'utf8')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    yield [
      { value: { raw: text.slice(0, 10_000) }, parseError: `not a JSON document: ${(err as Error).message}` },
    ]
    return
  }
  const values: unknown[] = Array.isArray(doc) ? (doc as unknown[]) : [doc]
  for (let i = 0; i < values.length; i += 10_000)
    yield values.slice(i, i + 10_000).map((value) => ({ value }))
}

/**
 * Reads an entry's records in order, after its filter, from record `skip` on. Positions count filtered
 * records, so they are the same on every read of the same entry.
 */
export class EntryReader {
  private readonly chunks: AsyncGenerator<SourceRecord[]>
  private buffer: SourceRecord[] = []
  private done = false
  private toSkip: number
  private readonly keep: ((r: SourceRecord) => boolean) | null

  constructor(
    abs: string,
    format: FileFormat,
    filter: EntryFilter | null,
    skip: number,
    signal?: AbortSignal,
  ) {
    this.keep = filterOf(filter)
    // Without a filter an NDJSON reader can skip lines without parsing them.
    const fastSkip = format === 'ndjson' && !this.keep
    this.toSkip = fastSkip ? 0 : skip
    this.chunks =
      format === 'ndjson'
        ? ndjsonChunks(abs, fastSkip ? skip : 0, signal)
        : format === 'csv'
          ? csvChunks(abs, signal)
          : jsonChunks(abs)
  }

  /** Up to n records, and whether the entry has no more. */
  async take(n: number): Promise<{ records: SourceRecord[]; done: boolean }> {
    while (this.buffer.length < n && !this.done) {
      const next = await this.chunks.next()
      if (next.done) {
        this.done = true
        break
      }
      let chunk = this.keep ? next.value.filter(this.keep) : next.value
      if (this.toSkip > 0) {
        const skipped = Math.min(this.toSkip, chunk.length)
        this.toSkip -= skipped
        chunk = chunk.slice(skipped)
      }
      if (chunk.length) this.buffer = this.buffer.length ? this.buffer.concat(chunk) : chunk
    }
    const records = this.buffer.length <= n ? this.buffer : this.buffer.slice(0, n)
    this.buffer = this.buffer.length <= n ? [] : this.buffer.slice(n)
    return { records, done: this.done && this.buffer.length === 0 }
  }

  async close() {
    await this.chunks.return(undefined)
  }
}
