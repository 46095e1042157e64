import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import type { Database } from '../db/database.js'
import { parseJson, touchFlows } from '../db/resources.js'
import { getRun, insertEngineRun, isEnded } from '../db/runs.js'
import type { RunRow } from '../db/schema.js'
import { now } from '../db/users.js'
import { fingerprintFile, listSourceFiles } from './connectors/file-source.js'
import { publish } from './connectors/file-sink.js'
import { RunExecution, setIdle, type EngineContext } from './executor.js'
import { defaultEngineOptions, type EngineOptions } from './options.js'
import { isLive, loadTopology } from './topology.js'

/** Workers (engines) alive in this process, so recovery can tell a closed one from a running one. */
const liveWorkers = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface EngineDeps {
  db: Database
  filesDir: string
  /** Where the engine keeps its journal (copies of ingested files). */
  stateDir: string
  log: EngineContext['log']
}

/**
 * The scheduler inside the server process: polls streaming flows, claims Pending runs with an atomic
 * update, executes them (one per flow at a time, in creation order) and recovers after a crash.
 */
export class Engine {
  readonly options: EngineOptions
  private readonly ctx: EngineContext
  private readonly worker = `${os.hostname()}|${process.pid}|${crypto.randomUUID().slice(0, 8)}`
  private readonly running = new Map<string, { exec: RunExecution; done: Promise<void> }>()
  private readonly events = new EventEmitter()
  private readonly waiters = new Set<() => void>()
  private timer: NodeJS.Timeout | null = null
  private ticking = false
  private again = false
  private stopped = true
  private lastPoll = 0
  private lastRecovery = 0

  constructor(
    private readonly deps: EngineDeps,
    options: Partial<EngineOptions> = {},
  ) {
    this.options = { ...defaultEngineOptions, ...options }
    this.ctx = {
      db: deps.db,
      filesDir: deps.filesDir,
      journalDir: path.join(deps.stateDir, 'journal'),
      options: this.options,
      log: deps.log,
    }
    this.events.setMaxListeners(0)
  }

  async start() {
    this.stopped = false
    liveWorkers.add(this.worker)
    await this.recover(true)
    this.schedule(0)
  }

  /** Stops polling and claiming; runs in flight stop after their batch and end INTERRUPTED. */
  async stop() {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const { exec } of this.running.values()) exec.interrupt()
    await Promise.allSettled([...this.running.values()].map((r) => r.done))
    while (this.ticking) await new Promise((r) => setTimeout(r, 10))
    liveWorkers.delete(this.worker)
    for (const w of [...this.waiters]) w()
  }

  /** Look for work now (a run was created, a flow was activated) instead of at the next poll. */
  wake() {
    if (this.stopped) return
    if (this.ticking) this.again = true
    else this.schedule(0)
  }

  /** Changes options of a running engine (tests use short intervals); takes effect at the next tick. */
  configure(options: Partial<EngineOptions>) {
    Object.assign(this.options, options)
    this.wake()
  }

  /** Resolves when the run has ended, or after `ms`, or when the engine stops. */
  async waitForEnd(runId: string, ms: number): Promise<void> {
    const ended = async () => {
      const run = await getRun(this.ctx.db, runId)
      return !run || isEnded(run.status)
    }
    if (this.stopped || (await ended())) return
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timeout)
        clearInterval(check)
        this.events.off(runId, done)
        this.waiters.delete(done)
        resolve()
      }
      const timeout = setTimeout(done, ms)
      // Another process may run it: look at the database now and then as well.
      const check = setInterval(() => {
        ended().then((yes) => yes && done(), done)
      }, 1000)
      this.events.on(runId, done)
      this.waiters.add(done)
    })
  }

  private schedule(ms: number) {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.tick(), ms)
    this.timer.unref()
  }

  private async tick() {
    this.timer = null
    if (this.stopped) return
    if (this.ticking) {
      this.again = true
      return
    }
    this.ticking = true
    this.again = false
    let next = this.options.pollIntervalMs
    try {
      if (Date.now() - this.lastRecovery > 10_000) await this.recover(false)
      if (Date.now() - this.lastPoll >= this.options.pollIntervalMs) {
        this.lastPoll = Date.now()
        await this.poll()
      }
      next = Math.min(next, await this.claim())
    } catch (err) {
      this.deps.log.error(err, 'engine tick failed')
    } finally {
      this.ticking = false
    }
    if (this.stopped) return
    const sincePoll = Date.now() - this.lastPoll
    this.schedule(this.again ? 0 : Math.max(0, Math.min(next, this.options.pollIntervalMs - sincePoll)))
  }

  // ---- claiming ----------------------------------------------------------------------------------------

  /** Starts the oldest Pending run of each flow that has none Running; returns ms until a startTime is due. */
  private async claim(): Promise<number> {
    const { db } = this.ctx
    let wait = Number.POSITIVE_INFINITY
    if (this.running.size >= this.options.maxConcurrentRuns) return wait
    const pending = await db
      .selectFrom('runs')
      .selectAll()
      .where('status', '=', 'Pending')
      .orderBy('seq')
      .limit(200)
      .execute()
    const seen = new Set<number>()
    for (const run of pending) {
      if (this.running.size >= this.options.maxConcurrentRuns || this.stopped) break
      if (seen.has(run.flow_id)) continue
      seen.add(run.flow_id)
      if (run.not_before && Date.parse(run.not_before) > Date.now()) {
        wait = Math.min(wait, Date.parse(run.not_before) - Date.now())
        continue
      }
      const claimed = await this.claimRun(run)
      if (claimed) this.launch(claimed)
    }
    return wait
  }

  private async claimRun(run: RunRow): Promise<RunRow | null> {
    const at = now()
    return this.ctx.db.transaction().execute(async (trx) => {
      const source = await trx
        .selectFrom('flow_nodes as o')
        .innerJoin('data_sources as s', 's.id', 'o.data_source_id')
        .select(['s.id', 's.status'])
        .where('o.id', '=', run.flow_id)
        .executeTakeFirst()
      if (!source || source.status !== 'ACTIVE') {
        await trx
          .updateTable('runs')
          .set((eb) => ({
            status: 'Cancelled',
            completed_at: at,
            error_code: 'FLOW_PAUSED',
            error_message: `The flow's data source is ${source?.status ?? 'gone'}; the run did not start`,
            version: eb('version', '+', 1),
          }))
          .where('id', '=', run.id)
          .where('status', '=', 'Pending')
          .execute()
        this.events.emit(run.id)
        return null
      }
      // The claim: only if still Pending and no run of the flow is Running, so two processes cannot both win.
      const res = await trx
        .updateTable('runs')
        .set((eb) => ({
          status: 'Running',
          started_at: at,
          heartbeat_at: at,
          worker: this.worker,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', run.id)
        .where('status', '=', 'Pending')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('runs as other')
                .select('other.id')
                .where('other.flow_id', '=', run.flow_id)
                .where('other.status', '=', 'Running'),
            ),
          ),
        )
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) === 0) return null
      const busy = await trx
        .updateTable('data_sources')
        .set({ runtime_status: 'PROCESSING' })
        .where('id', '=', source.id)
        .where('runtime_status', '!=', 'PROCESSING')
        .executeTakeFirst()
      if (Number(busy.numUpdatedRows) > 0) await touchFlows(trx, [run.flow_id])
      return (await getRun(trx, run.id)) ?? null
    })
  }

  private launch(run: RunRow) {
    const exec = new RunExecution(this.ctx, run)
    const done = exec
      .execute()
      .catch((err: unknown) => this.deps.log.error(err, `run ${run.id} could not be finished`))
      .finally(() => {
        this.running.delete(run.id)
        this.events.emit(run.id)
        this.wake()
      })
    this.running.set(run.id, { exec, done })
  }

  // ---- polling -----------------------------------------------------------------------------------------

  /**
   * Each ACTIVE streaming flow with no open run: a run with trigger "poll" when its source has new input,
   * or "activate" when a live sink is behind the log (it was paused and is active again). Idle: no run.
   */
  private async poll() {
    const { db } = this.ctx
    const flows = await db
      .selectFrom('flow_nodes as o')
      .innerJoin('data_sources as s', 's.id', 'o.data_source_id')
      .select(['o.id', 'o.org_id'])
      .whereRef('o.id', '=', 'o.origin_node_id')
      .where('o.flow_type', '=', 'streaming')
      .where('s.status', '=', 'ACTIVE')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('runs')
              .select('runs.id')
              .whereRef('runs.flow_id', '=', 'o.id')
              .where('runs.status', 'in', ['Pending', 'Running']),
          ),
        ),
      )
      .execute()
    let created = false
    for (const flow of flows) {
      if (this.stopped) return
      try {
        const trigger = (await this.hasNewInput(flow.id))
          ? 'poll'
          : (await this.isBehind(flow.id))
            ? 'activate'
            : null
        if (trigger && (await insertEngineRun(db, { id: flow.id, orgId: flow.org_id }, trigger)))
          created = true
      } catch (err) {
        // A folder that does not exist yet is simply no input.
        if ((err as Error).message?.includes('does not exist')) continue
        this.deps.log.error(err, `polling flow ${flow.id} failed`)
      }
    }
    if (created) this.again = true
  }

  private async hasNewInput(flowId: number): Promise<boolean> {
    const { db, filesDir } = this.ctx
    // Only the source row: loading a large flow's whole topology every poll would stall the server.
    const source = await db
      .selectFrom('flow_nodes as o')
      .innerJoin('data_sources as s', 's.id', 'o.data_source_id')
      .select(['s.connector_type', 's.source_config'])
      .where('o.id', '=', flowId)
      .executeTakeFirst()
    if (!source || source.connector_type !== 'file') return false
    const config = parseJson<{ path?: unknown; format?: unknown }>(source.source_config, {})
    if (typeof config.path !== 'string') return false
    const format = config.format === 'csv' || config.format === 'json' ? config.format : 'ndjson'
    for (const file of await listSourceFiles(filesDir, { path: config.path, format })) {
      const known = await db
        .selectFrom('source_files')
        .select(['fingerprint', 'size', 'mtime_ms', 'complete'])
        .where('flow_id', '=', flowId)
        .where('path', '=', file.rel)
        .execute()
      const same = known.find((k) => k.size === file.size && k.mtime_ms === file.mtimeMs)
      if (same) {
        if (!same.complete) return true
        continue
      }
      // Changed time or size: new only if the content is. Remember the time so it is hashed once.
      const fingerprint = await fingerprintFile(file.abs)
      const row = known.find((k) => k.fingerprint === fingerprint)
      if (!row?.complete) return true
      await db
        .updateTable('source_files')
        .set({ size: file.size, mtime_ms: file.mtimeMs })
        .where('flow_id', '=', flowId)
        .where('path', '=', file.rel)
        .where('fingerprint', '=', fingerprint)
        .execute()
    }
    return false
  }

  private async isBehind(flowId: number): Promise<boolean> {
    const { db } = this.ctx
    const [state, cursors] = await Promise.all([
      db.selectFrom('flow_run_state').select('next_entry').where('flow_id', '=', flowId).executeTakeFirst(),
      db
        .selectFrom('delivery_cursors')
        .select(['resource_id', 'entry_seq'])
        .where('flow_id', '=', flowId)
        .where('resource_type', '=', 'data_sink')
        .execute(),
    ])
    // The topology is loaded only when some sink is behind at all.
    if (!state || !cursors.some((c) => c.entry_seq < state.next_entry)) return false
    const topo = await loadTopology(db, flowId)
    if (!topo) return false
    const at = new Map(cursors.map((c) => [c.resource_id, c.entry_seq]))
    return topo.sinks.some((s) => isLive(topo, s) && (at.get(s.id) ?? state.next_entry) < state.next_entry)
  }

  // ---- recovery ----------------------------------------------------------------------------------------

  /**
   * Runs left Running by a process that is gone end Failed/INTERRUPTED (their committed batches stay);
   * then renames that were committed but not done are finished. On start also clears stale runtime
   * statuses and journal files no entry refers to.
   */
  private async recover(starting: boolean) {
    this.lastRecovery = Date.now()
    const { db } = this.ctx
    const host = os.hostname()
    const running = await db.selectFrom('runs').selectAll().where('status', '=', 'Running').execute()
    for (const run of running) {
      if (run.worker === this.worker || this.running.has(run.id)) continue
      const [wHost, wPid] = (run.worker ?? '').split('|')
      const pid = Number(wPid)
      const gone =
        (wHost === host && pid === process.pid && !liveWorkers.has(run.worker ?? '')) ||
        (wHost === host && pid !== process.pid && !isAlive(pid)) ||
        Date.now() - Date.parse(run.heartbeat_at ?? run.started_at ?? run.created_at) >
          this.options.staleHeartbeatMs
      if (!gone) continue
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('runs')
          .set((eb) => ({
            status: 'Failed',
            completed_at: now(),
            error_code: 'INTERRUPTED',
            error_message:
              'The server stopped while the run was in progress; delivered batches stay delivered and the next run continues from there',
            version: eb('version', '+', 1),
          }))
          .where('id', '=', run.id)
          .where('status', '=', 'Running')
          .executeTakeFirst()
        if (Number(res.numUpdatedRows) > 0) await setIdle(trx, run.flow_id)
      })
      this.events.emit(run.id)
    }
    const stale = await db
      .selectFrom('pending_files as p')
      .leftJoin('runs as r', 'r.id', 'p.run_id')
      .select(['p.temp_path', 'p.final_path', 'r.status'])
      .execute()
    for (const p of stale) {
      if (p.status === 'Running') continue
      try {
        await publish(p.temp_path, p.final_path)
      } catch (err) {
        this.deps.log.error(err, `could not finish writing ${p.final_path}`)
        continue
      }
      await db.deleteFrom('pending_files').where('temp_path', '=', p.temp_path).execute()
    }
    if (!starting) return
    // No run is Running in this process yet: a PROCESSING flow without a Running run is stale.
    const busy = await db
      .selectFrom('data_sources')
      .select('origin_node_id')
      .where('runtime_status', '=', 'PROCESSING')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('runs')
              .select('runs.id')
              .whereRef('runs.flow_id', '=', 'data_sources.origin_node_id')
              .where('runs.status', '=', 'Running'),
          ),
        ),
      )
      .execute()
    for (const b of busy) if (b.origin_node_id !== null) await setIdle(db, b.origin_node_id)
    await this.collectOrphanJournal()
  }

  private async collectOrphanJournal() {
    const { db, journalDir } = this.ctx
    let flows: string[]
    try {
      flows = await fs.promises.readdir(journalDir)
    } catch {
      return
    }
    for (const flow of flows) {
      const flowId = Number(flow)
      if (!Number.isInteger(flowId)) continue
      const active = await db
        .selectFrom('runs')
        .select('id')
        .where('flow_id', '=', flowId)
        .where('status', '=', 'Running')
        .executeTakeFirst()
      if (active) continue
      const keep = new Set(
        (
          await db
            .selectFrom('input_entries')
            .select('journal')
            .where('flow_id', '=', flowId)
            .where('journal', 'is not', null)
            .execute()
        ).map((e) => e.journal),
      )
      const dir = path.join(journalDir, flow)
      for (const name of await fs.promises.readdir(dir).catch(() => [] as string[]))
        if (!keep.has(`${flow}/${name}`)) await fs.promises.rm(path.join(dir, name), { force: true })
    }
  }
}
