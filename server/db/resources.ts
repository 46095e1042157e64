import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import type {
  DB,
  DataCredentialRow,
  DataSetRow,
  DataSinkRow,
  DataSourceRow,
  ResourceStatus,
} from './schema.js'
import { now } from './users.js'
import { notFound } from '../errors.js'
import { seesOrg, type Actor } from '../domain/permissions.js'

export type Kind = 'data_credentials' | 'data_sources' | 'data_sets' | 'data_sinks'
export type FlowKind = Exclude<Kind, 'data_credentials'>
export type Tx = Kysely<DB>

export const kindLabel: Record<Kind, string> = {
  data_credentials: 'Data credential',
  data_sources: 'Data source',
  data_sets: 'Data set',
  data_sinks: 'Data sink',
}

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}
const obj = (text: string) => parseJson<Record<string, unknown>>(text, {})

function ownedOut(r: DataCredentialRow | DataSourceRow | DataSetRow | DataSinkRow) {
  return {
    id: r.id,
    owner_id: r.owner_id,
    org_id: r.org_id,
    name: r.name,
    description: r.description,
    status: r.status,
    tags: parseJson<string[]>(r.tags, []),
    copied_from_id: r.copied_from_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
  }
}

/** The secret `credentials` column is never read out. */
export const credentialOut = (r: DataCredentialRow) => ({
  ...ownedOut(r),
  credentials_type: r.credentials_type,
  verified_status: r.verified_status,
})

export const sourceOut = (r: DataSourceRow) => ({
  ...ownedOut(r),
  flow_node_id: r.flow_node_id,
  origin_node_id: r.origin_node_id,
  runtime_status: r.runtime_status,
  connector_type: r.connector_type,
  source_type: r.connector_type,
  source_config: obj(r.source_config),
  data_credentials_id: r.data_credentials_id,
})

export const setOut = (r: DataSetRow) => ({
  ...ownedOut(r),
  flow_node_id: r.flow_node_id,
  origin_node_id: r.origin_node_id,
  data_source_id: r.data_source_id,
  parent_data_set_id: r.parent_data_set_id,
  transform: r.transform,
})

export const sinkOut = (r: DataSinkRow) => ({
  ...ownedOut(r),
  flow_node_id: r.flow_node_id,
  origin_node_id: r.origin_node_id,
  data_set_id: r.data_set_id,
  connector_type: r.connector_type,
  sink_type: r.connector_type,
  sink_config: obj(r.sink_config),
  data_credentials_id: r.data_credentials_id,
})

export type RowOf<K extends Kind> = K extends 'data_credentials'
  ? DataCredentialRow
  : K extends 'data_sources'
    ? DataSourceRow
    : K extends 'data_sets'
      ? DataSetRow
      : DataSinkRow

/** The row if the actor may see it; another org's row is reported exactly like a missing one. */
export async function findVisible<K extends Kind>(db: Tx, kind: K, id: number, actor: Actor, field?: string) {
  // Every kind has id and org_id; naming one table keeps Kysely's types simple for the generic lookup.
  const row = (await db
    .selectFrom(kind as 'data_sets')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as RowOf<K> | undefined
  if (!row || !seesOrg(actor, row.org_id)) {
    const what = `${kindLabel[kind]} ${id}`
    throw field ? Object.assign(notFound(what), { message: `${field}: ${what} not found` }) : notFound(what)
  }
  return row
}

export async function listPage<K extends Kind>(
  db: Database,
  kind: K,
  actor: Actor,
  page: number,
  perPage: number,
) {
  const scoped = db
    .selectFrom(kind as 'data_sets')
    .$if(actor.role !== 'super_user', (q) => q.where('org_id', '=', actor.orgId))
  const [rows, count] = await Promise.all([
    scoped
      .selectAll()
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows as unknown as RowOf<K>[], total: Number(count.n) }
}

/** Every write that changes what a flow read returns bumps the flow's version, which the ETag is built from. */
export async function touchFlows(db: Tx, originIds: Iterable<number | null>) {
  const ids = [...new Set([...originIds].filter((id): id is number => id !== null))]
  if (ids.length === 0) return
  await db
    .updateTable('flow_nodes')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now() }))
    .where('id', 'in', ids)
    .execute()
}

export async function setStatus(db: Tx, kind: FlowKind, ids: number[], status: ResourceStatus, at = now()) {
  const chunk = 10_000
  for (let i = 0; i < ids.length; i += chunk) {
    await db
      .updateTable(kind as 'data_sets')
      .set({ status, updated_at: at })
      .where('id', 'in', ids.slice(i, i + chunk))
      .where('status', '!=', status)
      .execute()
  }
}
