import fs from 'node:fs'
import path from 'node:path'
import type { Database } from '../db/database.js'
import { parseJson, touchFlows } from '../db/resources.js'
import { emptyMetrics, type CancelRequest, type ResourceMetrics, type RunMetrics } from '../db/runs.js'
import type { InputEntryTable, RunRow, RunStatus } from '../db/schema.js'
import { now } from '../db/users.js'
import { confinePath } from '../domain/paths.js'
import {
  EntryReader,
  journalCopy,
  listSourceFiles,
  type EntryFilter,
  type SourceFile,
  type SourceRecord,
} from './connectors/file-source.js'
import { publish, serialize, sinkFileNames, tempFilePattern, writeTemp } from './connectors/file-sink.js'
import type { EngineOptions } from './options.js'
import { inWindow, isProblem, parseParams, type ParsedParams, type Window } from './params.js'
import { isLive, loadTopology, pathTo, type TopoSet, type TopoSink, type Topology } from './topology.js'
import { compileTransform, type Transform } from './transforms/transform.js'

export interface EngineContext {
  db: Database
  filesDir: string
  journalDir: string
  options: EngineOptions
  log: { error: (obj: unknown, msg?: string) => void }
}

/** A place in a flow's ingest log: every record before `offset` of entry `entry`, and all earlier entries. */
interface Pos {
  entry: number
  offset: number
}
const cmp = (a: Pos, b: Pos) => a.entry - b.entry || a.offset - b.offset
const maxPos = (a: Pos, b: Pos) => (cmp(a, b) >= 0 ? a : b)

type CursorType = 'data_source' | 'data_set' | 'data_sink'
const key = (type: CursorType, id: number) => `${type}:${id}`

/** Ends the run as Cancelled after the batch in flight. */
class Stop extends Error {
  constructor(readonly request: CancelRequest) {
    super(request.message)
  }
}
/** The server is shutting down: the run ends Failed/INTERRUPTED, the next one continues from the cursors. */
class Interrupted extends Error {}
/** The run row was deleted (with its flow) or ended by someone else: write nothing more. */
class RunGone extends Error {}
/** A source, sink or error stage failed (after retries): the run ends Failed with this code. */
class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

interface Item {
  value: unknown
  raw?: string
  /** The record as the source produced it, for the ORIGINAL_RECORD error policy. */
  orig: unknown
  /** Index in the batch, so its log position is batch offset + index. */
  index: number
}

interface ErrorRecord {
  /** Position in the batch: error records are written in input order. */
  index: number
  record: unknown
  stage: string
  code: string
  message: string
  at: string
}

interface Outcome {
  status: RunStatus
  error: CancelRequest | null
}

type WindowJson = [number | null, number | null]
const windowToJson = (w: Window): WindowJson => [
  Number.isFinite(w.start) ? w.start : null,
  Number.isFinite(w.end) ? w.end : null,
]
const windowFromJson = ([s, e]: WindowJson): Window => ({
  start: s ?? Number.NEGATIVE_INFINITY,
  end: e ?? Number.POSITIVE_INFINITY,
})

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })

/** One run of one flow, from claim to its end: see docs/decisions/0002-run-engine.md. */
export class RunExecution {
  private readonly abort = new AbortController()
  private interrupted = false
  private topo!: Topology
  private topoVersion = -1
  private params!: ParsedParams
  private deltaColumn: string | null = null
  /** Next entry number of the flow's log: the head. */
  private head = 1
  private readonly cursors = new Map<string, Pos>()
  private readonly transforms = new Map<number, Transform>()
  private readonly entries = new Map<number, InputEntryTable>()
  private reader: { entry: number; offset: number; r: EntryReader } | null = null
  private metrics: RunMetrics = emptyMetrics()
  /** Per entry, the record ranges this run has read, so records_read counts each record once. */
  private readonly readRanges = new Map<number, [number, number][]>()
  private sinceYield = 0
  private lastYield = performance.now()

  /** Lets timers and I/O run when this run has held the event loop for more than ~20 ms. */
  private async yieldToIo() {
    this.sinceYield = 0
    if (performance.now() - this.lastYield < 20) return
    await new Promise((resolve) => setImmediate(resolve))
    this.lastYield = performance.now()
  }
  private fileN = 0
  private samples = 0
  private lastBeat = Date.now()

  constructor(
    private readonly ctx: EngineContext,
    readonly run: RunRow,
  ) {}

  get flowId() {
    return this.run.flow_id
  }

  /** Stop after the batch in flight (and abort a file copy): the server is shutting down. */
  interrupt() {
    this.interrupted = true
    this.abort.abort()
  }

  async execute(): Promise<void> {
    let outcome: Outcome | null
    try {
      await this.prepare()
      await this.ingestNewInput()
      await this.deliverPending()
      outcome = { status: 'Succeeded', error: null }
    } catch (err) {
      outcome = this.outcomeOf(err)
    }
    try {
      await this.reader?.r.close()
    } catch {
      // The reader's stream is gone either way.
    }
    if (outcome) await this.finish(outcome)
    await this.collectJournal().catch((err: unknown) => this.ctx.log.error(err, 'journal clean-up failed'))
  }

  private outcomeOf(err: unknown): Outcome | null {
    if (err instanceof RunGone) return null
    if (err instanceof Stop) return { status: 'Cancelled', error: err.request }
    if (err instanceof Interrupted || this.interrupted)
      return {
        status: 'Failed',
        error: {
          code: 'INTERRUPTED',
          message:
            'The server stopped while the run was in progress; delivered batches stay delivered and the next run continues from there',
        },
      }
    if (err instanceof PipelineError)
      return { status: 'Failed', error: { code: err.code, message: err.message } }
    this.ctx.log.error(err, `run ${this.run.id} failed`)
    return {
      status: 'Failed',
      error: { code: 'ENGINE_ERROR', message: this.clean(String((err as Error)?.message ?? err)) },
    }
  }

  /** Error messages name paths relative to the data root, as users configure them. */
  private clean(message: string) {
    return message.split(this.ctx.filesDir + path.sep).join('')
  }

  // ---- setup -------------------------------------------------------------------------------------------

  private async prepare() {
    const parsed = parseParams(parseJson(this.run.params, {}))
    if (isProblem(parsed)) throw new PipelineError('INVALID_PARAMS', `${parsed.field}: ${parsed.message}`)
    this.params = parsed
    const { db } = this.ctx
    await db
      .insertInto('flow_run_state')
      .values({ flow_id: this.flowId, delta_column: null, next_entry: 1 })
      .onConflict((oc) => oc.column('flow_id').doNothing())
      .execute()
    const state = await db
      .selectFrom('flow_run_state')
      .selectAll()
      .where('flow_id', '=', this.flowId)
      .executeTakeFirstOrThrow()
    this.head = state.next_entry
    this.deltaColumn = state.delta_column
    for (const c of await db
      .selectFrom('delivery_cursors')
      .selectAll()
      .where('flow_id', '=', this.flowId)
      .execute())
      this.cursors.set(key(c.resource_type, c.resource_id), { entry: c.entry_seq, offset: c.record_offset })
    const topo = await this.checkpoint()
    // Every resource is listed in by_resource, in flow order, even when this run moves nothing through it.
    this.resource('data_source', topo.source.id, this.metrics)
    for (const id of topo.order) this.resource('data_set', id, this.metrics)
    for (const sink of topo.sinks) this.resource('data_sink', sink.id, this.metrics)
    // Cursors of resources deleted since the last run would hold journal files forever.
    const exists = new Set([
      key('data_source', topo.source.id),
      ...[...topo.sets.keys()].map((id) => key('data_set', id)),
      ...topo.sinks.map((s) => key('data_sink', s.id)),
    ])
    for (const k of [...this.cursors.keys()].filter((k) => !exists.has(k))) {
      const [type, id] = k.split(':') as [CursorType, string]
      await db
        .deleteFrom('delivery_cursors')
        .where('resource_type', '=', type)
        .where('resource_id', '=', Number(id))
        .execute()
      this.cursors.delete(k)
    }
    await this.recoverFiles(topo)
  }

  /** Finishes renames committed by an earlier run of this flow and removes its uncommitted temp files. */
  private async recoverFiles(topo: Topology) {
    const { db } = this.ctx
    const pending = await db
      .selectFrom('pending_files as p')
      .innerJoin('runs as r', 'r.id', 'p.run_id')
      .select(['p.temp_path', 'p.final_path'])
      .where('r.flow_id', '=', this.flowId)
      .where('r.status', '!=', 'Running')
      .execute()
    for (const p of pending) {
      await publish(p.temp_path, p.final_path)
      await db.deleteFrom('pending_files').where('temp_path', '=', p.temp_path).execute()
    }
    const dirs = topo.sinks.map((s) => confinePath(this.ctx.filesDir, s.config.path))
    if (topo.config.errorStage.type === 'WRITE_TO_FILE')
      dirs.push(confinePath(this.ctx.filesDir, topo.config.errorStage.directory))
    for (const dir of dirs) {
      if (!dir.ok) continue
      let names: string[]
      try {
        names = await fs.promises.readdir(dir.path)
      } catch {
        continue
      }
      for (const name of names) {
        const runId = tempFilePattern.exec(name)?.[1]
        if (!runId || runId === this.run.id) continue
        const owner = await db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst()
        if (owner?.status === 'Running') continue
        const temp = path.join(dir.path, name)
        const committed = await db
          .selectFrom('pending_files')
          .select('final_path')
          .where('temp_path', '=', temp)
          .executeTakeFirst()
        if (committed) await publish(temp, committed.final_path)
        else await fs.promises.rm(temp, { force: true })
      }
    }
  }

  /**
   * Between batches: stop when asked to, re-read the flow so pauses and activations take effect, and give
   * new sinks and data sets their cursors.
   */
  private async checkpoint(): Promise<Topology> {
    if (this.interrupted) throw new Interrupted()
    const { db } = this.ctx
    const row = await db
      .selectFrom('runs')
      .select(['status', 'cancel_requested'])
      .where('id', '=', this.run.id)
      .executeTakeFirst()
    if (!row || row.status !== 'Running') throw new RunGone()
    if (row.cancel_requested)
      throw new Stop(
        parseJson<CancelRequest>(row.cancel_requested, { code: 'CANCELLED', message: 'Cancelled' }),
      )
    // Every change to a flow bumps its version, so an unchanged version means the topology read is current.
    const head = await db
      .selectFrom('flow_nodes')
      .select('version')
      .where('id', '=', this.flowId)
      .executeTakeFirst()
    if (!head) throw new RunGone()
    const topo = head.version === this.topoVersion ? this.topo : await loadTopology(db, this.flowId)
    if (!topo) throw new RunGone()
    this.topoVersion = head.version
    if (topo.source.status !== 'ACTIVE')
      throw new Stop({
        code: 'FLOW_PAUSED',
        message: `The flow's data source ${topo.source.id} is ${topo.source.status}; the run stopped after its batch in flight`,
      })
    this.topo = topo
    await this.ensureCursors(topo)
    if (Date.now() - this.lastBeat > 5000) {
      this.lastBeat = Date.now()
      await db.updateTable('runs').set({ heartbeat_at: now() }).where('id', '=', this.run.id).execute()
    }
    return topo
  }

  /** A resource gets its cursor at the log head the first time a run sees it out of INIT. */
  private async ensureCursors(topo: Topology) {
    const wanted: [CursorType, number][] = [['data_source', topo.source.id]]
    for (const s of topo.sets.values()) if (s.status !== 'INIT') wanted.push(['data_set', s.id])
    for (const s of topo.sinks) if (s.status !== 'INIT') wanted.push(['data_sink', s.id])
    for (const [type, id] of wanted) {
      if (this.cursors.has(key(type, id))) continue
      const pos = { entry: this.head, offset: 0 }
      await this.ctx.db
        .insertInto('delivery_cursors')
        .values({
          resource_type: type,
          resource_id: id,
          flow_id: this.flowId,
          entry_seq: pos.entry,
          record_offset: pos.offset,
          updated_at: now(),
        })
        .onConflict((oc) => oc.columns(['resource_type', 'resource_id']).doNothing())
        .execute()
      this.cursors.set(key(type, id), pos)
    }
  }

  private cursor(type: CursorType, id: number): Pos {
    return this.cursors.get(key(type, id)) ?? { entry: this.head, offset: 0 }
  }

  // ---- ingest ------------------------------------------------------------------------------------------

  /** Appends every new source file to the log, delivering after each so a big folder streams through. */
  private async ingestNewInput() {
    const { source } = this.topo
    if (source.connectorType !== 'file')
      throw new PipelineError(
        'SOURCE_ERROR',
        `data source ${source.id}: connector '${source.connectorType}' cannot run yet`,
      )
    const files = await this.retry('SOURCE_ERROR', `data source ${source.id}`, () =>
      listSourceFiles(this.ctx.filesDir, this.topo.source.config),
    )
    for (const file of files) {
      const topo = await this.checkpoint()
      const window = this.params.window
      // Without a delta column a window selects whole files by modification time; others stay for later.
      if (window && !this.deltaColumn && !inWindow(file.mtimeMs / 1000, window)) continue
      if (await this.ingestFile(file, topo)) await this.deliverPending()
    }
  }

  private async ingestFile(file: SourceFile, topo: Topology): Promise<boolean> {
    const { db } = this.ctx
    const known = await db
      .selectFrom('source_files')
      .selectAll()
      .where('flow_id', '=', this.flowId)
      .where('path', '=', file.rel)
      .execute()
    const window = this.deltaColumn ? this.params.window : null
    const covered = (windows: Window[]) =>
      window !== null && windows.some((w) => w.start <= window.start && w.end >= window.end)
    const windowsOf = (row: { windows: string }) =>
      parseJson<WindowJson[]>(row.windows, []).map(windowFromJson)
    const sameStat = known.find((k) => k.size === file.size && k.mtime_ms === file.mtimeMs)
    if (sameStat && (sameStat.complete || covered(windowsOf(sameStat)))) return false

    const flowJournal = path.join(this.ctx.journalDir, String(this.flowId))
    const copy = await this.retry('SOURCE_ERROR', `data source ${topo.source.id}: ${file.rel}`, () =>
      journalCopy(file.abs, flowJournal, this.abort.signal),
    )
    const row = known.find((k) => k.fingerprint === copy.fingerprint)
    const earlier = row ? windowsOf(row) : []
    if (row && (row.complete || covered(earlier))) {
      // Same content under a new modification time: remember the time so the next poll skips it unhashed.
      await fs.promises.rm(path.join(flowJournal, copy.name), { force: true })
      await db
        .updateTable('source_files')
        .set({ size: file.size, mtime_ms: file.mtimeMs })
        .where('flow_id', '=', this.flowId)
        .where('path', '=', file.rel)
        .where('fingerprint', '=', copy.fingerprint)
        .execute()
      return false
    }
    const filter: EntryFilter | null =
      this.deltaColumn && (window || earlier.length)
        ? { column: this.deltaColumn, window, exclude: earlier }
        : null
    const seq = this.head
    const at = now()
    const windows = JSON.stringify(window ? [...earlier, window].map(windowToJson) : [])
    const complete = window ? 0 : 1
    const next = structuredClone(this.metrics)
    next.files_read += 1
    next.bytes_read += copy.bytes
    await db.transaction().execute(async (trx) => {
      await this.touchRun(trx, next)
      await trx
        .updateTable('flow_run_state')
        .set({ next_entry: seq + 1 })
        .where('flow_id', '=', this.flowId)
        .execute()
      await trx
        .insertInto('input_entries')
        .values({
          flow_id: this.flowId,
          seq,
          run_id: this.run.id,
          path: file.rel,
          fingerprint: copy.fingerprint,
          format: topo.source.config.format,
          bytes: copy.bytes,
          filter:
            filter &&
            JSON.stringify({
              ...filter,
              window: filter.window && windowToJson(filter.window),
              exclude: filter.exclude.map(windowToJson),
            }),
          journal: `${this.flowId}/${copy.name}`,
          created_at: at,
        })
        .execute()
      if (row)
        await trx
          .updateTable('source_files')
          .set({ size: file.size, mtime_ms: file.mtimeMs, windows, complete })
          .where('flow_id', '=', this.flowId)
          .where('path', '=', file.rel)
          .where('fingerprint', '=', copy.fingerprint)
          .execute()
      else
        await trx
          .insertInto('source_files')
          .values({
            flow_id: this.flowId,
            path: file.rel,
            fingerprint: copy.fingerprint,
            size: file.size,
            mtime_ms: file.mtimeMs,
            windows,
            complete,
            created_at: at,
          })
          .execute()
    })
    this.metrics = next
    this.head = seq + 1
    return true
  }

  // ---- delivery ----------------------------------------------------------------------------------------

  /**
   * Delivers, batch by batch, from each live sink's cursor to the head of the log. Sinks at the same
   * position share a read; the furthest-behind go first, so every sink receives the log in order.
   */
  private async deliverPending() {
    for (;;) {
      const topo = await this.checkpoint()
      const head: Pos = { entry: this.head, offset: 0 }
      const behind = topo.sinks.filter(
        (s) => isLive(topo, s) && cmp(this.cursor('data_sink', s.id), head) < 0,
      )
      if (behind.length === 0) break
      let pos = this.cursor('data_sink', behind[0]!.id)
      for (const s of behind)
        if (cmp(this.cursor('data_sink', s.id), pos) < 0) pos = this.cursor('data_sink', s.id)
      const group = behind.filter((s) => cmp(this.cursor('data_sink', s.id), pos) === 0)
      for (const s of group)
        if (s.connectorType !== 'file')
          throw new PipelineError(
            'SINK_ERROR',
            `data sink ${s.id}: connector '${s.connectorType}' cannot run yet`,
          )
      const batch = await this.read(pos)
      await this.processBatch(topo, group, pos, batch)
    }
    await this.collectJournal()
  }

  private async entry(seq: number): Promise<InputEntryTable> {
    let e = this.entries.get(seq)
    if (!e) {
      e = await this.ctx.db
        .selectFrom('input_entries')
        .selectAll()
        .where('flow_id', '=', this.flowId)
        .where('seq', '=', seq)
        .executeTakeFirst()
      if (!e) throw new PipelineError('ENGINE_ERROR', `entry ${seq} of the flow's ingest log is missing`)
      this.entries.set(seq, e)
    }
    return e
  }

  private async read(pos: Pos): Promise<{ records: SourceRecord[]; end: Pos }> {
    const e = await this.entry(pos.entry)
    return this.retry('SOURCE_ERROR', `data source ${this.topo.source.id}: ${e.path}`, async () => {
      if (!this.reader || this.reader.entry !== pos.entry || this.reader.offset !== pos.offset) {
        await this.reader?.r.close()
        this.reader = null
        if (!e.journal)
          throw new PipelineError('JOURNAL_MISSING', `the ingested copy of ${e.path} was removed`)
        const abs = path.join(this.ctx.journalDir, e.journal)
        if (!fs.existsSync(abs))
          throw new PipelineError(
            'JOURNAL_MISSING',
            `the ingested copy of ${e.path} is missing from the data folder`,
          )
        const f = e.filter
          ? parseJson<{ column: string; window: WindowJson | null; exclude: WindowJson[] }>(e.filter, {
              column: '',
              window: null,
              exclude: [],
            })
          : null
        const filter: EntryFilter | null = f && {
          column: f.column,
          window: f.window && windowFromJson(f.window),
          exclude: f.exclude.map(windowFromJson),
        }
        this.reader = {
          entry: pos.entry,
          offset: pos.offset,
          r: new EntryReader(abs, e.format as 'ndjson', filter, pos.offset, this.abort.signal),
        }
      }
      const reader = this.reader
      try {
        const { records, done } = await reader.r.take(this.ctx.options.batchRecords)
        reader.offset += records.length
        if (done) {
          await reader.r.close()
          this.reader = null
          return { records, end: { entry: pos.entry + 1, offset: 0 } }
        }
        return { records, end: { entry: pos.entry, offset: reader.offset } }
      } catch (err) {
        this.reader = null
        await reader.r.close().catch(() => undefined)
        throw err
      }
    })
  }

  private transformOf(set: TopoSet): Transform {
    let t = this.transforms.get(set.id)
    if (!t) {
      try {
        t = compileTransform(set.transform)
      } catch (err) {
        throw new PipelineError(
          'TRANSFORM_INVALID',
          `data set ${set.id}: the transform does not compile: ${(err as Error).message}`,
        )
      }
      this.transforms.set(set.id, t)
    }
    return t
  }

  private resource(type: ResourceMetrics['resource_type'], id: number, m: RunMetrics): ResourceMetrics {
    let r = m.by_resource.find((x) => x.resource_type === type && x.resource_id === id)
    if (!r) {
      r = { resource_type: type, resource_id: id, records_in: 0, records_out: 0, records_failed: 0 }
      m.by_resource.push(r)
    }
    return r
  }

  /** Counts records of an entry this run has not read before; keeps the ranges merged. */
  private freshRecords(entry: number, from: number, to: number): number {
    const ranges = this.readRanges.get(entry) ?? []
    let fresh = to - from
    for (const [a, b] of ranges) fresh -= Math.max(0, Math.min(b, to) - Math.max(a, from))
    const merged: [number, number][] = []
    for (const r of [...ranges, [from, to] as [number, number]].sort((x, y) => x[0] - y[0])) {
      const last = merged[merged.length - 1]
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
      else merged.push([r[0], r[1]])
    }
    this.readRanges.set(entry, merged)
    return fresh
  }

  private async processBatch(
    topo: Topology,
    group: TopoSink[],
    pos: Pos,
    batch: { records: SourceRecord[]; end: Pos },
  ) {
    const at = now()
    const m = structuredClone(this.metrics)
    const ranges = new Map(
      [...this.readRanges].map(([k, v]) => [k, v.map((r) => [...r] as [number, number])]),
    )
    const original = topo.config.policy === 'ORIGINAL_RECORD'
    const errors: ErrorRecord[] = []
    const isNew = (index: number, hwm: Pos) => cmp({ entry: pos.entry, offset: pos.offset + index }, hwm) >= 0

    // Source: records that did not parse are error records, once per position across runs.
    const sourceHwm = this.cursor('data_source', topo.source.id)
    const fresh = this.freshRecords(pos.entry, pos.offset, pos.offset + batch.records.length)
    const src = this.resource('data_source', topo.source.id, m)
    const items: Item[] = []
    batch.records.forEach((r, index) => {
      if (r.parseError === undefined) {
        items.push({ value: r.value, raw: r.raw, orig: r.value, index })
        return
      }
      if (!isNew(index, sourceHwm)) return
      errors.push({
        index,
        record: r.value,
        stage: `data_source ${topo.source.id}`,
        code: 'PARSE_ERROR',
        message: r.parseError,
        at,
      })
      src.records_failed += 1
    })
    m.records_read += fresh
    src.records_in += fresh
    src.records_out += Math.max(0, fresh - (batch.records.length - items.length))

    // Data sets on the group's paths, parents first; each transform's errors once per data set.
    const needed = new Set(group.flatMap((s) => pathTo(topo, s.setId)))
    const outputs = new Map<number, Item[]>()
    for (const setId of topo.order) {
      const set = topo.sets.get(setId)
      if (!set || !needed.has(setId)) continue
      const input = set.parentId === null ? items : (outputs.get(set.parentId) ?? [])
      const stats = this.resource('data_set', setId, m)
      const t = this.transformOf(set)
      stats.records_in += input.length
      if (t.passThrough) {
        outputs.set(setId, input)
        stats.records_out += input.length
        continue
      }
      const hwm = this.cursor('data_set', setId)
      const out: Item[] = []
      for (const item of input) {
        // A batch is up to batchRecords records; awaiting jsonata's promises never lets I/O in, so give
        // the event loop a turn now and then or every request waits for the whole batch.
        if (++this.sinceYield >= 256) await this.yieldToIo()
        const pending = t.apply(item.value)
        const o = pending instanceof Promise ? await pending : pending
        if (o.ok) {
          for (const value of o.values)
            out.push({
              value,
              raw: value === item.value ? item.raw : undefined,
              orig: item.orig,
              index: item.index,
            })
        } else if (isNew(item.index, hwm)) {
          errors.push({
            index: item.index,
            record: original ? item.orig : item.value,
            stage: `data_set ${setId}`,
            code: o.code,
            message: o.message,
            at,
          })
          stats.records_failed += 1
        }
      }
      stats.records_out += out.length
      outputs.set(setId, out)
    }

    // Sinks: one hidden file each, fsynced, renamed only after the commit below.
    const files: { temp: string; final: string }[] = []
    for (const sink of group) {
      const out = outputs.get(sink.setId) ?? []
      const stats = this.resource('data_sink', sink.id, m)
      const s = serialize(sink.config.format, out)
      for (const r of s.rejected) {
        const item = out[r.index]!
        errors.push({
          index: item.index,
          record: original ? item.orig : item.value,
          stage: `data_sink ${sink.id}`,
          code: 'UNSUPPORTED_RECORD',
          message: r.message,
          at,
        })
      }
      stats.records_in += out.length
      stats.records_out += s.written
      stats.records_failed += s.rejected.length
      if (s.written === 0) continue
      const dir = this.folder('SINK_ERROR', `data sink ${sink.id}`, sink.config.path)
      const names = sinkFileNames(dir, this.run.id, ++this.fileN, sink.config.format)
      files.push(names)
      const bytes = await this.retry('SINK_ERROR', `data sink ${sink.id}`, () =>
        writeTemp(names.temp, s.text),
      )
      m.records_written += s.written
      m.files_written += 1
      m.bytes_written += bytes
    }

    errors.sort((a, b) => a.index - b.index)
    const stage = topo.config.errorStage
    if (errors.length && stage.type === 'WRITE_TO_FILE') {
      const dir = this.folder('ERROR_STAGE_ERROR', 'error stage', stage.directory)
      const names = sinkFileNames(dir, this.run.id, ++this.fileN, 'ndjson')
      files.push(names)
      const text = errors
        .map((e) =>
          JSON.stringify({
            record: e.record,
            errorStage: e.stage,
            errorCode: e.code,
            errorMessage: e.message,
            errorTimestamp: e.at,
          }),
        )
        .join('\n')
      await this.retry('ERROR_STAGE_ERROR', `error stage ${stage.directory}`, () =>
        writeTemp(names.temp, `${text}\n`),
      )
    }
    m.records_failed += errors.length

    const moves: [CursorType, number, Pos][] = group.map((s) => ['data_sink', s.id, batch.end])
    for (const setId of needed)
      moves.push(['data_set', setId, maxPos(this.cursor('data_set', setId), batch.end)])
    moves.push(['data_source', topo.source.id, maxPos(sourceHwm, batch.end)])
    try {
      await this.commit(m, moves, files, stage.type === 'DISCARD', errors)
    } catch (err) {
      // Nothing of this batch counts: drop its files and forget its reads.
      this.readRanges.clear()
      for (const [k, v] of ranges) this.readRanges.set(k, v)
      await Promise.all(files.map((f) => fs.promises.rm(f.temp, { force: true })))
      throw err
    }
    this.metrics = m
    for (const f of files)
      await this.retry('SINK_ERROR', `publishing ${path.basename(f.final)}`, () => publish(f.temp, f.final))
    if (files.length)
      await this.ctx.db
        .deleteFrom('pending_files')
        .where(
          'temp_path',
          'in',
          files.map((f) => f.temp),
        )
        .execute()
  }

  private folder(code: string, what: string, given: string): string {
    const confined = confinePath(this.ctx.filesDir, given)
    if (!confined.ok) throw new PipelineError(code, `${what}: path '${given}' ${confined.reason}`)
    return confined.path
  }

  private async touchRun(trx: Database, m: RunMetrics) {
    const res = await trx
      .updateTable('runs')
      .set((eb) => ({ metrics: JSON.stringify(m), heartbeat_at: now(), version: eb('version', '+', 1) }))
      .where('id', '=', this.run.id)
      .where('status', '=', 'Running')
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw new RunGone()
  }

  /** One transaction: the run's metrics, the cursors, the renames owed and the error samples. */
  private async commit(
    m: RunMetrics,
    moves: [CursorType, number, Pos][],
    files: { temp: string; final: string }[],
    discard: boolean,
    errors: ErrorRecord[],
  ) {
    const at = now()
    const room = Math.max(0, this.ctx.options.errorSampleLimit - this.samples)
    const samples = errors.slice(0, room)
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.touchRun(trx, m)
      for (const [type, id, p] of moves)
        await trx
          .insertInto('delivery_cursors')
          .values({
            resource_type: type,
            resource_id: id,
            flow_id: this.flowId,
            entry_seq: p.entry,
            record_offset: p.offset,
            updated_at: at,
          })
          .onConflict((oc) =>
            oc
              .columns(['resource_type', 'resource_id'])
              .doUpdateSet({ entry_seq: p.entry, record_offset: p.offset, updated_at: at }),
          )
          .execute()
      if (files.length)
        await trx
          .insertInto('pending_files')
          .values(files.map((f) => ({ temp_path: f.temp, final_path: f.final, run_id: this.run.id })))
          .execute()
      for (let i = 0; i < samples.length; i += 500)
        await trx
          .insertInto('run_errors')
          .values(
            samples.slice(i, i + 500).map((e, j) => ({
              run_id: this.run.id,
              n: this.samples + i + j + 1,
              stage: e.stage,
              code: e.code,
              message: e.message,
              // DISCARD keeps no record data, only why it failed.
              record: discard ? null : JSON.stringify(e.record ?? null),
              at: e.at,
            })),
          )
          .execute()
    })
    this.samples += samples.length
    for (const [type, id, p] of moves) this.cursors.set(key(type, id), p)
  }

  /** Deletes journal copies every sink has passed. */
  private async collectJournal() {
    const { db } = this.ctx
    const min = await db
      .selectFrom('delivery_cursors')
      .select((eb) => eb.fn.min('entry_seq').as('m'))
      .where('flow_id', '=', this.flowId)
      .where('resource_type', '=', 'data_sink')
      .executeTakeFirst()
    const state = await db
      .selectFrom('flow_run_state')
      .select('next_entry')
      .where('flow_id', '=', this.flowId)
      .executeTakeFirst()
    if (!state) return
    const bound = min?.m ?? state.next_entry
    const done = await db
      .selectFrom('input_entries')
      .select(['seq', 'journal'])
      .where('flow_id', '=', this.flowId)
      .where('seq', '<', bound)
      .where('journal', 'is not', null)
      .execute()
    if (done.length === 0) return
    await db
      .updateTable('input_entries')
      .set({ journal: null })
      .where('flow_id', '=', this.flowId)
      .where('seq', '<', bound)
      .execute()
    for (const e of done)
      if (e.journal) await fs.promises.rm(path.join(this.ctx.journalDir, e.journal), { force: true })
  }

  private async retry<T>(code: string, what: string, fn: () => Promise<T>): Promise<T> {
    const { retries, retryBaseMs } = this.ctx.options
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn()
      } catch (err) {
        if (this.interrupted) throw new Interrupted()
        if (
          err instanceof Stop ||
          err instanceof RunGone ||
          err instanceof Interrupted ||
          err instanceof PipelineError
        )
          throw err
        const message = this.clean((err as Error)?.message ?? String(err))
        if (!this.topo.config.retryOnError || attempt > retries)
          throw new PipelineError(
            code,
            `${what}: ${message}${attempt > 1 ? ` (failed ${attempt} times)` : ''}`,
          )
        await sleep(retryBaseMs * 2 ** (attempt - 1), this.abort.signal)
      }
    }
  }

  // ---- end ---------------------------------------------------------------------------------------------

  private async finish(outcome: Outcome) {
    const at = now()
    await this.ctx.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('runs')
        .set((eb) => ({
          status: outcome.status,
          completed_at: at,
          heartbeat_at: at,
          error_code: outcome.error?.code ?? null,
          error_message: outcome.error?.message ?? null,
          metrics: JSON.stringify(this.metrics),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', this.run.id)
        .where('status', '=', 'Running')
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) === 0) return
      await setIdle(trx, this.flowId)
    })
  }
}

/** runtime_status back to IDLE, bumping the flow's version (its ETag) when it changes. */
export async function setIdle(trx: Database, flowId: number) {
  const res = await trx
    .updateTable('data_sources')
    .set({ runtime_status: 'IDLE' })
    .where('origin_node_id', '=', flowId)
    .where('runtime_status', '=', 'PROCESSING')
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) > 0) await touchFlows(trx, [flowId])
}
