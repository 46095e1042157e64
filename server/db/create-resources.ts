import type Type from 'typebox'
import { createDataSetNode, createOriginNode } from './flow-nodes.js'
import { findVisible, touchFlows, type Tx } from './resources.js'
import { now } from './users.js'
import { invalidFields } from '../errors.js'
import type { Actor } from '../domain/permissions.js'
import { connectorProblems, transformProblems, type ConnectorRole } from '../domain/validation.js'
import type { CreateDataSet, CreateDataSink, CreateDataSource } from '../schemas/resources.js'

/**
 * Creating sources, data sets and sinks, shared by the resource routes and POST /api/flows so both validate
 * and link flow nodes the same way. Callers run these inside a transaction.
 */

interface ConnectorInput {
  connector_type?: string
  source_type?: string
  sink_type?: string
  source_config?: Record<string, unknown>
  sink_config?: Record<string, unknown>
}

export const tagsText = (tags: string[] | undefined) => JSON.stringify(tags ?? [])

/** Resolves connector_type and its alias, and checks the config for what can be known before activation. */
export function connectorFrom(
  role: ConnectorRole,
  body: ConnectorInput,
  filesDir: string,
  current?: { type: string; config: Record<string, unknown> },
) {
  const alias = role === 'source' ? body.source_type : body.sink_type
  if (body.connector_type !== undefined && alias !== undefined && body.connector_type !== alias)
    invalidFields([
      {
        field: `${role}_type`,
        message: `is an alias of connector_type and must equal it ('${body.connector_type}')`,
      },
    ])
  const type = body.connector_type ?? alias ?? current?.type
  if (type === undefined) invalidFields([{ field: 'connector_type', message: 'is required' }])
  const config = (role === 'source' ? body.source_config : body.sink_config) ?? current?.config ?? {}
  const problems = connectorProblems(role, type, config, filesDir, false)
  if (problems.length) invalidFields(problems)
  return { type, config }
}

/** The credential must be visible and of the resource's own org (a super-user sees every org's). */
export async function checkCredential(trx: Tx, id: number | null | undefined, actor: Actor, orgId: number) {
  if (id === undefined || id === null) return
  const credential = await findVisible(trx, 'data_credentials', id, actor, 'data_credentials_id')
  if (credential.org_id !== orgId)
    invalidFields([{ field: 'data_credentials_id', message: 'must be data credentials of the same org' }])
}

export const newRow = (actor: Actor, orgId = actor.orgId) => {
  const t = now()
  return {
    owner_id: actor.userId,
    org_id: orgId,
    status: 'INIT' as const,
    copied_from_id: null,
    created_at: t,
    updated_at: t,
  }
}

export async function createSource(
  trx: Tx,
  actor: Actor,
  b: Type.Static<typeof CreateDataSource>,
  filesDir: string,
) {
  const { type, config } = connectorFrom('source', b, filesDir)
  await checkCredential(trx, b.data_credentials_id, actor, actor.orgId)
  const row = await trx
    .insertInto('data_sources')
    .values({
      ...newRow(actor),
      name: b.name,
      description: b.description ?? null,
      tags: tagsText(b.tags),
      runtime_status: 'IDLE',
      connector_type: type,
      source_config: JSON.stringify(config),
      data_credentials_id: b.data_credentials_id ?? null,
      flow_node_id: null,
      origin_node_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const nodeId = await createOriginNode(trx, row)
  return { ...row, flow_node_id: nodeId, origin_node_id: nodeId }
}

export async function createDataSet(trx: Tx, actor: Actor, b: Type.Static<typeof CreateDataSet>) {
  if ((b.data_source_id === undefined) === (b.parent_data_set_id === undefined))
    invalidFields([
      {
        field: 'data_source_id',
        message:
          'give exactly one of data_source_id (first data set of a source) or parent_data_set_id (derived data set)',
      },
    ])
  const transform = b.transform ?? ''
  const problems = transformProblems(transform)
  if (problems.length) invalidFields(problems)
  const parent =
    b.data_source_id !== undefined
      ? await findVisible(trx, 'data_sources', b.data_source_id, actor, 'data_source_id')
      : await findVisible(trx, 'data_sets', b.parent_data_set_id ?? 0, actor, 'parent_data_set_id')
  const row = await trx
    .insertInto('data_sets')
    .values({
      ...newRow(actor, parent.org_id),
      name: b.name,
      description: b.description ?? null,
      tags: tagsText(b.tags),
      data_source_id: b.data_source_id ?? null,
      parent_data_set_id: b.parent_data_set_id ?? null,
      transform,
      flow_node_id: null,
      origin_node_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const nodeId = await createDataSetNode(trx, row, parent)
  await touchFlows(trx, [parent.origin_node_id])
  return { ...row, flow_node_id: nodeId, origin_node_id: parent.origin_node_id }
}

export async function createSink(
  trx: Tx,
  actor: Actor,
  b: Type.Static<typeof CreateDataSink>,
  filesDir: string,
) {
  const { type, config } = connectorFrom('sink', b, filesDir)
  const set = await findVisible(trx, 'data_sets', b.data_set_id, actor, 'data_set_id')
  await checkCredential(trx, b.data_credentials_id, actor, set.org_id)
  const row = await trx
    .insertInto('data_sinks')
    .values({
      ...newRow(actor, set.org_id),
      name: b.name,
      description: b.description ?? null,
      tags: tagsText(b.tags),
      data_set_id: set.id,
      connector_type: type,
      sink_config: JSON.stringify(config),
      data_credentials_id: b.data_credentials_id ?? null,
      flow_node_id: set.flow_node_id,
      origin_node_id: set.origin_node_id,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await touchFlows(trx, [set.origin_node_id])
  return row
}
