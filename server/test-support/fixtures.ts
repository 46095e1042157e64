import { expect } from 'vitest'
import type { App } from '../app.js'
import type { TestApp } from './app.js'

const tables = [
  'orgs',
  'users',
  'api_keys',
  'data_credentials',
  'flow_nodes',
  'data_sources',
  'data_sets',
  'data_sinks',
] as const

/** Every row of every table, so a test can assert that a refused request wrote nothing at all. */
export async function snapshot(app: App): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of tables) out[t] = await app.db.selectFrom(t).selectAll().orderBy('id').execute()
  return out
}

/** Asserts a 200 and returns the body, showing the error body when it is not. */
export async function ok<T = any>(res: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await res
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body
}

export const sourceBody = (over: Record<string, unknown> = {}) => ({
  name: 'Orders in',
  connector_type: 'file',
  source_config: { path: 'orders/in', format: 'ndjson' },
  ...over,
})

export const sinkBody = (dataSetId: number, over: Record<string, unknown> = {}) => ({
  name: 'Orders out',
  data_set_id: dataSetId,
  connector_type: 'file',
  sink_config: { path: 'orders/out', format: 'ndjson' },
  ...over,
})

/** A source, its first data set, a data set derived from that, and a sink on each data set. */
export async function buildFlow(t: TestApp, key?: string) {
  const as = key === undefined ? {} : { key }
  const source = await ok(t.call('POST', '/api/data_sources', { ...as, body: sourceBody() }))
  const set = await ok(
    t.call('POST', '/api/data_sets', { ...as, body: { name: 'Orders', data_source_id: source.id } }),
  )
  const derived = await ok(
    t.call('POST', '/api/data_sets', {
      ...as,
      body: { name: 'Big orders', parent_data_set_id: set.id, transform: '$[amount > 100]' },
    }),
  )
  const sink = await ok(t.call('POST', '/api/data_sinks', { ...as, body: sinkBody(set.id) }))
  const derivedSink = await ok(
    t.call('POST', '/api/data_sinks', {
      ...as,
      body: sinkBody(derived.id, { name: 'Big orders out', sink_config: { path: 'big', format: 'csv' } }),
    }),
  )
  return { source, set, derived, sink, derivedSink }
}

/** Creates an org as the super-user. */
export async function newOrg(t: TestApp, name = 'Org B'): Promise<number> {
  return (await ok(t.call('POST', '/api/orgs', { body: { name } }))).id
}
