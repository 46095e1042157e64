import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from './database.js'
import { parseJson, type Tx } from './resources.js'
import type { RunRow, RunStatus, RunTrigger } from './schema.js'
import { now } from './users.js'
import { badRequest, conflict, notFound } from '../errors.js'
import { seesOrg, type Actor } from '../domain/permissions.js'

export interface ResourceMetrics {
  resource_type: 'data_source' | 'data_set' | 'data_sink'
  resource_id: number
  records_in: number
  records_out: number
  records_failed: number
}

export interface RunMetrics {
  records_read: number
  records_written: number
  records_failed: number
  bytes_read: number
  bytes_written: number
  files_read: number
  files_written: number
  by_resource: ResourceMetrics[]
}

export const emptyMetrics = (): RunMetrics => ({
  records_read: 0,
  records_written: 0,
  records_failed: 0,
  bytes_read: 0,
  bytes_written: 0,
  files_read: 0,
  files_written: 0,
  by_resource: [],
})

export const endedStatuses: RunStatus[] = ['Succeeded', 'Failed', 'Cancelled']
export const isEnded = (status: RunStatus) => endedStatuses.includes(status)

/** A cancel asked for while the run finishes its batch: who or what asked, as the run's error later. */
export interface CancelRequest {
  code: string
  message: string
}

/** The run object of flows-api.md §6. */
export function runOut(row: RunRow) {
  return {
    id: row.id,
    flow_id: row.flow_id,
    status: row.status,
    trigger: row.trigger,
    params: parseJson<Record<string, unknown>>(row.params, {}),
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    metrics: { ...emptyMetrics(), ...parseJson<Partial<RunMetrics>>(row.metrics, {}) },
  }
}

/** The run's version as an entity tag; it changes whenever the run does. */
export const runEtag = (row: RunRow) => `"${row.version}-${row.id.slice(0, 8)}"`

const epochMs = (iso: string | null) => (iso === null ? null : Date.parse(iso))

/** Seed 004's flow run: the run object plus Adobe-style summaries inside `metrics`. */
export function flowRunOut(row: RunRow) {
  const run = runOut(row)
  const m = run.metrics
  return {
    ...run,
    flowId: String(row.flow_id),
    etag: runEtag(row),
    createdAt: Date.parse(row.created_at),
    updatedAt: Date.parse(row.completed_at ?? row.heartbeat_at ?? row.started_at ?? row.created_at),
    metrics: {
      ...m,
      durationSummary: { startedAtUTC: epochMs(row.started_at), completedAtUTC: epochMs(row.completed_at) },
      sizeSummary: { inputBytes: m.bytes_read, outputBytes: m.bytes_written },
      recordSummary: {
        inputRecordCount: m.records_read,
        outputRecordCount: m.records_written,
        failedRecordCount: m.records_failed,
      },
      fileSummary: { inputFileCount: m.files_read, outputFileCount: m.files_written },
      statusSummary: { status: row.status, errors: run.error ? [run.error] : [] },
    },
  }
}

/** Creation order across the database, computed inside the inserting statement so it cannot race. */
const nextSeq = sql<number>`(select coalesce(max(seq), 0) + 1 from runs)`

export interface NewRun {
  flowId: number
  orgId: number
  createdBy: number | null
  trigger: RunTrigger
  params: Record<string, unknown>
  /** ISO time before which the run does not start (params.startTime). */
  notBefore: string | null
  deltaColumn: string | null
}

/**
 * Creates a Pending run of a flow whose source is ACTIVE (409 otherwise), fixing the flow's delta column
 * on its first use (400 when a later run names another one).
 */
export async function createRun(db: Database, input: NewRun): Promise<RunRow> {
  return db.transaction().execute(async (trx) => {
    const source = await trx
      .selectFrom('flow_nodes as o')
      .innerJoin('data_sources as s', 's.id', 'o.data_source_id')
      .select(['s.id', 's.status'])
      .where('o.id', '=', input.flowId)
      .executeTakeFirst()
    if (!source) throw notFound(`Flow ${input.flowId}`)
    if (source.status !== 'ACTIVE')
      throw conflict(
        `Flow ${input.flowId} cannot run: its data source ${source.id} is ${source.status}; activate the ` +
          `flow first (PUT /api/flows/${input.flowId}/activate)`,
        { data_source_id: source.id, data_source_status: source.status },
      )
    if (input.deltaColumn !== null) {
      const state = await trx
        .selectFrom('flow_run_state')
        .select('delta_column')
        .where('flow_id', '=', input.flowId)
        .executeTakeFirst()
      if (state?.delta_column && state.delta_column !== input.deltaColumn)
        throw badRequest(
          'params.deltaColumn.name',
          `the flow's delta column is '${state.delta_column}', fixed by its first run that named one; ` +
            `it cannot change to '${input.deltaColumn}' (repeat it or leave it out)`,
        )
      if (!state)
        await trx
          .insertInto('flow_run_state')
          .values({ flow_id: input.flowId, delta_column: input.deltaColumn, next_entry: 1 })
          .execute()
      else if (!state.delta_column)
        await trx
          .updateTable('flow_run_state')
          .set({ delta_column: input.deltaColumn })
          .where('flow_id', '=', input.flowId)
          .execute()
    }
    const id = crypto.randomUUID()
    await trx
      .insertInto('runs')
      .values({
        id,
        flow_id: input.flowId,
        org_id: input.orgId,
        seq: nextSeq,
        status: 'Pending',
        trigger: input.trigger,
        params: JSON.stringify(input.params),
        not_before: input.notBefore,
        created_by: input.createdBy,
        created_at: now(),
        metrics: JSON.stringify(emptyMetrics()),
        version: 1,
      })
      .execute()
    return trx.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  })
}

/**
 * Inserts an engine-started run unless the flow already has one Pending or Running, in one statement so
 * two processes polling the same flow cannot both add one. Returns the run id, or null.
 */
export async function insertEngineRun(
  db: Database,
  flow: { id: number; orgId: number },
  trigger: RunTrigger,
): Promise<string | null> {
  const id = crypto.randomUUID()
  const result = await db
    .insertInto('runs')
    .columns(['id', 'flow_id', 'org_id', 'seq', 'status', 'trigger', 'params', 'created_at', 'metrics'])
    .expression(
      db
        .selectNoFrom((eb) => [
          eb.val(id).as('id'),
          eb.val(flow.id).as('flow_id'),
          eb.val(flow.orgId).as('org_id'),
          nextSeq.as('seq'),
          eb.val('Pending').as('status'),
          eb.val(trigger).as('trigger'),
          eb.val('{}').as('params'),
          eb.val(now()).as('created_at'),
          eb.val(JSON.stringify(emptyMetrics())).as('metrics'),
        ])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('runs')
                .select('id')
                .where('flow_id', '=', flow.id)
                .where('status', 'in', ['Pending', 'Running']),
            ),
          ),
        ),
    )
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null
}

export async function getRun(db: Tx, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A run the actor may see (its flow is in the actor's org); another org's run is reported as missing. */
export async function visibleRun(db: Tx, actor: Actor, id: string): Promise<RunRow> {
  const row = await db
    .selectFrom('runs')
    .innerJoin('flow_nodes as o', 'o.id', 'runs.flow_id')
    .selectAll('runs')
    .select('o.org_id as flow_org')
    .where('runs.id', '=', id)
    .executeTakeFirst()
  if (!row || !seesOrg(actor, row.flow_org)) throw notFound(`Run ${id}`)
  const { flow_org: _org, ...run } = row
  return run
}

export interface RunFilter {
  flowId?: number
  status?: RunStatus
  /** Only runs of flows in this org (null: every org, for super-users). */
  orgId: number | null
}

/** Runs, newest first. */
export async function listRuns(db: Database, filter: RunFilter, page: number, perPage: number) {
  const scoped = db
    .selectFrom('runs')
    .innerJoin('flow_nodes as o', 'o.id', 'runs.flow_id')
    .$if(filter.orgId !== null, (q) => q.where('o.org_id', '=', filter.orgId as number))
    .$if(filter.flowId !== undefined, (q) => q.where('runs.flow_id', '=', filter.flowId as number))
    .$if(filter.status !== undefined, (q) => q.where('runs.status', '=', filter.status as RunStatus))
  const [rows, count] = await Promise.all([
    scoped
      .selectAll('runs')
      .orderBy('runs.seq', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/**
 * Ends a Pending run as Cancelled at once; asks a Running one to stop after its batch. Returns the row
 * after the change; 409 for a run that has already ended.
 */
export async function cancelRun(db: Database, id: string, request: CancelRequest): Promise<RunRow> {
  return db.transaction().execute(async (trx) => {
    const run = await getRun(trx, id)
    if (!run) throw notFound(`Run ${id}`)
    if (isEnded(run.status))
      throw conflict(
        `Run ${id} has already ended (${run.status}); only Pending or Running runs can be cancelled`,
        {
          run_status: run.status,
        },
      )
    await cancelRows(trx, [run], request)
    return (await getRun(trx, id)) as RunRow
  })
}

async function cancelRows(trx: Tx, runs: RunRow[], request: CancelRequest) {
  const at = now()
  const pending = runs.filter((r) => r.status === 'Pending').map((r) => r.id)
  const running = runs.filter((r) => r.status === 'Running').map((r) => r.id)
  if (pending.length)
    await trx
      .updateTable('runs')
      .set((eb) => ({
        status: 'Cancelled',
        completed_at: at,
        error_code: request.code,
        error_message: request.message,
        version: eb('version', '+', 1),
      }))
      .where('id', 'in', pending)
      .where('status', '=', 'Pending')
      .execute()
  if (running.length)
    await trx
      .updateTable('runs')
      .set((eb) => ({ cancel_requested: JSON.stringify(request), version: eb('version', '+', 1) }))
      .where('id', 'in', running)
      .where('status', '=', 'Running')
      .execute()
}

/** Pausing the entire flow: Pending runs end now, the Running one after its batch. */
export async function cancelFlowRuns(trx: Tx, flowId: number, request: CancelRequest) {
  const open = await trx
    .selectFrom('runs')
    .selectAll()
    .where('flow_id', '=', flowId)
    .where('status', 'in', ['Pending', 'Running'])
    .execute()
  if (open.length) await cancelRows(trx, open, request)
}

/** Deleting a flow removes its runs and delivery state; the engine deletes the journal files it leaves. */
export async function deleteFlowRuns(trx: Tx, flowId: number) {
  const runIds = trx.selectFrom('runs').select('id').where('flow_id', '=', flowId)
  await trx.deleteFrom('run_errors').where('run_id', 'in', runIds).execute()
  await trx.deleteFrom('runs').where('flow_id', '=', flowId).execute()
  for (const table of ['flow_run_state', 'source_files', 'input_entries', 'delivery_cursors'] as const)
    await trx.deleteFrom(table).where('flow_id', '=', flowId).execute()
}

export async function runErrors(db: Database, runId: string, limit: number) {
  const rows = await db
    .selectFrom('run_errors')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('n')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    record: r.record === null ? null : parseJson<unknown>(r.record, null),
    errorStage: r.stage,
    errorCode: r.code,
    errorMessage: r.message,
    errorTimestamp: r.at,
  }))
}
