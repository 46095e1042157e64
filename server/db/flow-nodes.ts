import type { Tx } from './resources.js'
import { now } from './users.js'

interface Owned {
  id: number
  org_id: number
  owner_id: number
}

async function insertNode(
  trx: Tx,
  owner: Owned,
  link: {
    origin_node_id: number | null
    parent_node_id: number | null
    data_source_id: number | null
    data_set_id: number | null
  },
) {
  const t = now()
  const node = await trx
    .insertInto('flow_nodes')
    .values({
      org_id: owner.org_id,
      owner_id: owner.owner_id,
      ...link,
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
  return node.id
}

/** Creates the origin node of a new flow for a data source and links the source to it. */
export async function createOriginNode(trx: Tx, source: Owned) {
  const id = await insertNode(trx, source, {
    origin_node_id: null,
    parent_node_id: null,
    data_source_id: source.id,
    data_set_id: null,
  })
  // The origin is its own origin; its id exists only after the insert.
  await trx.updateTable('flow_nodes').set({ origin_node_id: id }).where('id', '=', id).execute()
  await trx
    .updateTable('data_sources')
    .set({ flow_node_id: id, origin_node_id: id })
    .where('id', '=', source.id)
    .execute()
  return id
}

/** Creates a data set's node under its upstream node and links the data set to it. */
export async function createDataSetNode(
  trx: Tx,
  set: Owned,
  parent: { flow_node_id: number | null; origin_node_id: number | null },
) {
  const id = await insertNode(trx, set, {
    origin_node_id: parent.origin_node_id,
    parent_node_id: parent.flow_node_id,
    data_source_id: null,
    data_set_id: set.id,
  })
  await trx
    .updateTable('data_sets')
    .set({ flow_node_id: id, origin_node_id: parent.origin_node_id })
    .where('id', '=', set.id)
    .execute()
  return id
}
