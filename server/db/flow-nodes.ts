import type { Tx } from './resources.js'
import { now } from './users.js'

/** Creates the origin node of a new flow for a data source and links the source to it. */
export async function createOriginNode(trx: Tx, source: { id: number; org_id: number; owner_id: number }) {
  const t = now()
  const node = await trx
    .insertInto('flow_nodes')
    .values({
      org_id: source.org_id,
      owner_id: source.owner_id,
      origin_node_id: null,
      parent_node_id: null,
      data_source_id: source.id,
      data_set_id: null,
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
  await trx.updateTable('flow_nodes').set({ origin_node_id: node.id }).where('id', '=', node.id).execute()
  await trx
    .updateTable('data_sources')
    .set({ flow_node_id: node.id, origin_node_id: node.id })
    .where('id', '=', source.id)
    .execute()
  return node.id
}

/** Creates a data set's node under its upstream node and links the data set to it. */
export async function createDataSetNode(
  trx: Tx,
  set: { id: number; org_id: number; owner_id: number },
  parent: { flow_node_id: number | null; origin_node_id: number | null },
) {
  const t = now()
  const node = await trx
    .insertInto('flow_nodes')
    .values({
      org_id: set.org_id,
      owner_id: set.owner_id,
      origin_node_id: parent.origin_node_id,
      parent_node_id: parent.flow_node_id,
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
  await trx
    .updateTable('data_sets')
    .set({ flow_node_id: node.id, origin_node_id: parent.origin_node_id })
    .where('id', '=', set.id)
    .execute()
  return node.id
}
