import { sql, type Kysely, type CreateTableBuilder } from 'kysely'

// Portable DDL: the schema builder emits the right SQL for SQLite and PostgreSQL alike, except the
// identity column, which each dialect spells differently.
type AnyDb = Kysely<unknown>

const isPostgres = (db: AnyDb) => db.getExecutor().adapter.constructor.name.startsWith('Postgres')

function withId<T extends string>(db: AnyDb, table: T): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
    : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

function owned<T extends string>(db: AnyDb, table: T) {
  return withId(db, table)
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('copied_from_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
}

export async function up(db: AnyDb): Promise<void> {
  await withId(db, 'orgs')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await withId(db, 'users')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await withId(db, 'api_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await owned(db, 'data_credentials')
    .addColumn('credentials_type', 'text', (c) => c.notNull())
    .addColumn('credentials', 'text', (c) => c.notNull())
    .addColumn('verified_status', 'text')
    .execute()
  await withId(db, 'flow_nodes')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('origin_node_id', 'integer')
    .addColumn('parent_node_id', 'integer', (c) => c.references('flow_nodes.id'))
    .addColumn('data_source_id', 'integer')
    .addColumn('data_set_id', 'integer')
    .addColumn('flow_type', 'text', (c) => c.notNull().defaultTo('streaming'))
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('configuration', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await owned(db, 'data_sources')
    .addColumn('runtime_status', 'text', (c) => c.notNull().defaultTo('IDLE'))
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('source_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('data_credentials_id', 'integer', (c) => c.references('data_credentials.id'))
    .addColumn('flow_node_id', 'integer')
    .addColumn('origin_node_id', 'integer')
    .execute()
  await owned(db, 'data_sets')
    .addColumn('data_source_id', 'integer', (c) => c.references('data_sources.id'))
    .addColumn('parent_data_set_id', 'integer', (c) => c.references('data_sets.id'))
    .addColumn('transform', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('flow_node_id', 'integer')
    .addColumn('origin_node_id', 'integer')
    .execute()
  await owned(db, 'data_sinks')
    .addColumn('data_set_id', 'integer', (c) => c.notNull().references('data_sets.id'))
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('sink_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('data_credentials_id', 'integer', (c) => c.references('data_credentials.id'))
    .addColumn('flow_node_id', 'integer')
    .addColumn('origin_node_id', 'integer')
    .execute()

  for (const table of ['flow_nodes', 'data_sources', 'data_sets', 'data_sinks']) {
    await db.schema.createIndex(`${table}_origin`).on(table).column('origin_node_id').execute()
  }
  for (const table of ['data_credentials', 'data_sources', 'data_sets', 'data_sinks', 'flow_nodes']) {
    await db.schema.createIndex(`${table}_org`).on(table).column('org_id').execute()
  }
  await db.schema.createIndex('data_sets_parent').on('data_sets').column('parent_data_set_id').execute()
  await db.schema.createIndex('data_sets_source').on('data_sets').column('data_source_id').execute()
  await db.schema.createIndex('data_sinks_set').on('data_sinks').column('data_set_id').execute()
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute()

  // Each kind of id starts in its own range (as in the seeds: sources 5001, sinks 6001, nodes 10001) so
  // a node id passed where a resource id belongs finds nothing instead of the wrong resource.
  const starts: Record<string, number> = {
    data_credentials: 1000,
    data_sources: 5000,
    data_sets: 20000,
    data_sinks: 6000,
    flow_nodes: 10000,
  }
  for (const [table, start] of Object.entries(starts)) {
    if (isPostgres(db)) await sql`select setval(${`${table}_id_seq`}, ${start})`.execute(db)
    else await sql`insert into sqlite_sequence (name, seq) values (${table}, ${start})`.execute(db)
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['data_sinks', 'data_sets', 'data_sources', 'flow_nodes', 'data_credentials', 'api_keys']) {
    await db.schema.dropTable(t).execute()
  }
  await db.schema.dropTable('users').execute()
  await db.schema.dropTable('orgs').execute()
}
