import type { Database } from '../server/db/database.js'
import { createOriginNode } from '../server/db/flow-nodes.js'

/**
 * Writes a flow of about `resources` resources straight into the database (a tree: each data set has up to
 * `fanout` derived sets and two sinks), for benchmarks that need flows far larger than a test would build.
 */
export async function generateFlow(
  db: Database,
  opts: {
    resources: number
    ownerId: number
    orgId: number
    name: string
    status?: 'ACTIVE' | 'PAUSED'
    fanout?: number
  },
) {
  const status = opts.status ?? 'ACTIVE'
  const fanout = opts.fanout ?? 3
  const t = new Date().toISOString()
  const owned = {
    owner_id: opts.ownerId,
    org_id: opts.orgId,
    description: null,
    status,
    tags: '[]',
    copied_from_id: null,
    created_at: t,
    updated_at: t,
  }
  return db.transaction().execute(async (trx) => {
    const source = await trx
      .insertInto('data_sources')
      .values({
        ...owned,
        name: opts.name,
        runtime_status: 'IDLE',
        connector_type: 'file',
        source_config: JSON.stringify({ path: 'bench/in', format: 'ndjson' }),
        data_credentials_id: null,
        flow_node_id: null,
        origin_node_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const originId = await createOriginNode(trx, source)
    // Each data set brings itself and two sinks: three resources.
    const setCount = Math.max(1, Math.floor((opts.resources - 1) / 3))
    const sets: { id: number; node: number }[] = []
    for (let i = 0; i < setCount; i++) {
      const parent = i === 0 ? undefined : sets[Math.floor((i - 1) / fanout)]
      const set = await trx
        .insertInto('data_sets')
        .values({
          ...owned,
          name: `Data set ${i + 1}`,
          data_source_id: parent ? null : source.id,
          parent_data_set_id: parent?.id ?? null,
          transform: '',
          flow_node_id: null,
          origin_node_id: originId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const node = await trx
        .insertInto('flow_nodes')
        .values({
          org_id: opts.orgId,
          owner_id: opts.ownerId,
          origin_node_id: originId,
          parent_node_id: parent?.node ?? originId,
          data_source_id: null,
          data_set_id: set.id,
          flow_type: 'streaming',
          name: null,
          description: null,
          configuration: '{}',
          version: 1,
          created_at: t,
          updated_at: t,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.updateTable('data_sets').set({ flow_node_id: node.id }).where('id', '=', set.id).execute()
      sets.push({ id: set.id, node: node.id })
    }
    const sinks = sets.flatMap((s, i) =>
      [1, 2].map((n) => ({
        ...owned,
        name: `Sink ${i + 1}.${n}`,
        data_set_id: s.id,
        connector_type: 'file',
        sink_config: JSON.stringify({ path: `bench/out/${i}-${n}`, format: 'ndjson' }),
        data_credentials_id: null,
        flow_node_id: s.node,
        origin_node_id: originId,
      })),
    )
    for (let i = 0; i < sinks.length; i += 500)
      await trx
        .insertInto('data_sinks')
        .values(sinks.slice(i, i + 500))
        .execute()
    return { originId, sourceId: source.id, resources: 1 + sets.length + sinks.length }
  })
}
