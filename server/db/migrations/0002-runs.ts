import type { Kysely } from 'kysely'

// Runs and what the engine persists to deliver exactly once (docs/decisions/0002-run-engine.md).
// No foreign keys to flow rows: a flow's runs and engine state are removed with the flow explicitly, and
// a run finishing its last batch must never fail on a flow deleted under it.
type AnyDb = Kysely<unknown>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    // Creation order within the database; ids are UUIDs and timestamps can tie.
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('not_before', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('metrics', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('cancel_requested', 'text')
    .addColumn('worker', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('runs_flow').on('runs').columns(['flow_id', 'seq']).execute()
  await db.schema.createIndex('runs_status').on('runs').columns(['status', 'seq']).execute()

  // The first error records of each run, for GET /api/runs/{id}/errors.
  await db.schema
    .createTable('run_errors')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('record', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_errors_pk', ['run_id', 'n'])
    .execute()

  // Per flow: the fixed delta column and the next entry number of its ingest log.
  await db.schema
    .createTable('flow_run_state')
    .addColumn('flow_id', 'integer', (c) => c.primaryKey())
    .addColumn('delta_column', 'text')
    .addColumn('next_entry', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  // Each distinct source file (path + content fingerprint) a flow has ingested, and which part of it.
  await db.schema
    .createTable('source_files')
    .addColumn('flow_id', 'integer', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // Last seen modification time: lets a poll skip an unchanged file without hashing it.
    .addColumn('mtime_ms', 'real', (c) => c.notNull())
    // Delta-column windows already ingested ([[from, to], ...]); complete once everything is in the log.
    .addColumn('windows', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_files_pk', ['flow_id', 'path', 'fingerprint'])
    .execute()

  // The flow's ingest log: one entry per ingested file (or window of one), read from a journal copy.
  await db.schema
    .createTable('input_entries')
    .addColumn('flow_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('filter', 'text')
    // Relative to the engine's journal folder; null once every cursor has passed the entry.
    .addColumn('journal', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('input_entries_pk', ['flow_id', 'seq'])
    .execute()

  // Per sink: delivered everything before (entry, offset). Per data set: made error records up to there.
  await db.schema
    .createTable('delivery_cursors')
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'integer', (c) => c.notNull())
    .addColumn('flow_id', 'integer', (c) => c.notNull())
    .addColumn('entry_seq', 'integer', (c) => c.notNull())
    .addColumn('record_offset', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_cursors_pk', ['resource_type', 'resource_id'])
    .execute()
  await db.schema.createIndex('delivery_cursors_flow').on('delivery_cursors').column('flow_id').execute()

  // Temp files a committed batch still has to rename into place; recovery finishes them after a crash.
  await db.schema
    .createTable('pending_files')
    .addColumn('temp_path', 'text', (c) => c.primaryKey())
    .addColumn('final_path', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'pending_files',
    'delivery_cursors',
    'input_entries',
    'source_files',
    'flow_run_state',
    'run_errors',
    'runs',
  ])
    await db.schema.dropTable(t).execute()
}
