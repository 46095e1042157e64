import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { createOriginNode, createDataSetNode } from '../db/flow-nodes.js'
import { createDataSet, createSink, createSource } from '../db/create-resources.js'
import {
  etagOf,
  flowHead,
  flowResponse,
  loadFlow,
  loadFlowCached,
  loadFlows,
  type LoadedFlow,
} from '../db/flows.js'
import { parseJson, touchFlows, type Tx } from '../db/resources.js'
import { now } from '../db/users.js'
import { HttpError, forbidden, notFound } from '../errors.js'
import { denial, type Actor } from '../domain/permissions.js'
import { scopeOf, setsByDepth, type Target } from '../domain/flow-tree.js'
import { confinePath } from '../domain/paths.js'
import { errorResponses, Id, isSet } from '../schemas/common.js'
import {
  CopyFlow,
  CreateFlow,
  FlowConfiguration,
  FlowResponse,
  ListQuery,
  ReadQuery,
  UpdateFlow,
} from '../schemas/flows.js'
import Type from 'typebox'
import { authorize } from './orgs.js'
import { flowTargets, matchesEtag } from './flow-targets.js'
import { pageOf, paginate } from './pagination.js'

const Params = Type.Object({ id: Id })
const readResponses = {
  200: FlowResponse,
  304: Type.Null({ description: 'Not modified: the ETag still matches' }),
  ...errorResponses,
}

export const flowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const bodies = app.flowBodyCache

  app.get(
    '/flows',
    {
      schema: {
        tags: ['flows'],
        summary: 'All flows the caller may see, paginated by flow (origin node)',
        querystring: ListQuery,
        response: { 200: FlowResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { actor } = request
      const { page, perPage } = pageOf(request.query)
      const origins = db
        .selectFrom('flow_nodes')
        .whereRef('id', '=', 'origin_node_id')
        .$if(actor.role !== 'super_user', (q) => q.where('org_id', '=', actor.orgId))
      const [ids, count] = await Promise.all([
        origins
          .select('id')
          .orderBy('id')
          .limit(perPage)
          .offset((page - 1) * perPage)
          .execute(),
        origins.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      const loaded = await loadFlows(
        db,
        ids.map((r) => r.id),
      )
      const flows = ids.map((r) => loaded.get(r.id)).filter((f): f is LoadedFlow => f !== undefined)
      paginate(request, reply, Number(count.n), page, perPage, flows.length)
      return flowResponse(db, flows, isSet(request.query.flows_only))
    },
  )

  /** One flow by any of its parts; ETag/If-None-Match make an unchanged poll a 304 with no body. */
  async function readFlow(request: FastifyRequest, reply: FastifyReply, target: Target, flowsOnly: boolean) {
    const head = await flowHead(db, target, request.actor)
    const variant = flowsOnly ? '-s' : ''
    const etag = etagOf(head, variant)
    reply.header('ETag', etag).header('Cache-Control', 'private, no-cache')
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send()
    let body = bodies.get(head.originId, head.version, variant)
    if (body === undefined) {
      // One read transaction, so the flow and the version it is cached under agree.
      body = await db.transaction().execute(async (trx) => {
        const current = await flowHead(trx, target, request.actor)
        const flow = await loadFlowCached(trx, app.flowCache, current)
        const text = JSON.stringify(await flowResponse(trx, [flow], flowsOnly))
        bodies.set(current.originId, current.version, text, variant)
        return text
      })
    }
    return reply.type('application/json; charset=utf-8').send(body)
  }

  for (const t of flowTargets) {
    app.get(
      t.path,
      {
        schema: {
          tags: ['flows'],
          summary:
            t.kind === 'flow_nodes'
              ? 'The whole flow that a flow node belongs to'
              : `The flow this ${t.label} belongs to`,
          params: Params,
          querystring: ReadQuery,
          response: readResponses,
        },
      },
      async (request, reply) =>
        readFlow(request, reply, { kind: t.kind, id: request.params.id }, isSet(request.query.flows_only)),
    )

    app.put(
      t.path,
      {
        schema: {
          tags: ['flows'],
          summary:
            'Update the flow: name, description, type, configuration; owner and org (super-users) over the scope',
          params: Params,
          querystring: Type.Object({
            all: ReadQuery.properties.flows_only,
            full_tree: ReadQuery.properties.flows_only,
          }),
          body: UpdateFlow,
          response: { 200: FlowResponse, ...errorResponses },
        },
      },
      async (request) => {
        const target: Target = { kind: t.kind, id: request.params.id }
        return updateFlow(
          db,
          app.config.filesDir,
          request.actor,
          target,
          request.body,
          isSet(request.query.all) || isSet(request.query.full_tree),
        )
      },
    )
  }

  app.post(
    '/flows',
    {
      schema: {
        tags: ['flows'],
        summary:
          'Create a whole flow in one call: source, data sets (by parent_index) and sinks (by data_set_index)',
        body: CreateFlow,
        response: { 200: FlowResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = request
      authorize(actor, 'create')
      const originId = await db
        .transaction()
        .execute(async (trx) => createFlow(trx, actor, request.body, app.config.filesDir))
      return flowResponse(db, [await loadFlow(db, originId)], false)
    },
  )

  app.post(
    '/flows/:id/copy',
    {
      schema: {
        tags: ['flows'],
        summary: 'Copy a whole flow: every resource copied (copied_from_id set), all PAUSED',
        params: Params,
        body: Type.Optional(CopyFlow),
        response: { 200: FlowResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = request
      const head = await flowHead(db, { kind: 'flow_nodes', id: request.params.id }, actor)
      authorize(actor, 'copy', head.ownerId)
      const originId = await db
        .transaction()
        .execute(async (trx) => copyFlow(trx, actor, await loadFlow(trx, head.originId), request.body ?? {}))
      return flowResponse(db, [await loadFlow(db, originId)], false)
    },
  )
}

type UpdateBody = Type.Static<typeof UpdateFlow>

async function updateFlow(
  db: Tx & { transaction: Tx['transaction'] },
  filesDir: string,
  actor: Actor,
  target: Target,
  body: UpdateBody,
  all: boolean,
) {
  const changesOwner = body.owner_id !== undefined || body.org_id !== undefined
  const changesFlow =
    body.name !== undefined ||
    body.description !== undefined ||
    body.flow_type !== undefined ||
    body.configuration !== undefined
  if (changesOwner && actor.role !== 'super_user')
    throw forbidden('Super-user role required to change the owner or org of a flow')
  checkErrorDirectory(body.configuration, filesDir)
  return db.transaction().execute(async (trx) => {
    const head = await flowHead(trx, target, actor)
    if (changesFlow) {
      const reason = denial(actor, 'edit', head.ownerId)
      if (reason) throw forbidden(reason)
    }
    const flow = await loadFlow(trx, head.originId)
    const at = now()
    if (changesFlow) {
      const configuration = {
        ...parseJson<Record<string, unknown>>(flow.origin.configuration, {}),
        ...body.configuration,
      }
      await trx
        .updateTable('flow_nodes')
        .set({
          ...(body.name !== undefined && { name: body.name }),
          ...(body.description !== undefined && { description: body.description }),
          ...(body.flow_type !== undefined && { flow_type: body.flow_type }),
          configuration: JSON.stringify(configuration),
          updated_at: at,
        })
        .where('id', '=', head.originId)
        .execute()
    }
    if (changesOwner) await changeOwner(trx, flow, scopeOf(flow, target, all), body, at)
    await touchFlows(trx, [head.originId])
    return flowResponse(trx, [await loadFlow(trx, head.originId)], false)
  })
}

async function changeOwner(
  trx: Tx,
  flow: LoadedFlow,
  scope: ReturnType<typeof scopeOf>,
  body: UpdateBody,
  at: string,
) {
  const ownerId = body.owner_id
  let orgId = body.org_id
  if (ownerId !== undefined) {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'org_id'])
      .where('id', '=', ownerId)
      .executeTakeFirst()
    if (!user) throw new HttpError(400, `owner_id: user ${ownerId} does not exist`, { field: 'owner_id' })
    if (orgId !== undefined && user.org_id !== orgId)
      throw new HttpError(400, `owner_id: user ${ownerId} is not a member of org ${orgId}`, {
        field: 'owner_id',
      })
    orgId = user.org_id
  } else if (orgId !== undefined) {
    throw new HttpError(
      400,
      'owner_id: is required when org_id changes (the new owner must belong to the new org)',
      { field: 'owner_id' },
    )
  }
  if (ownerId === undefined || orgId === undefined) return
  const org = await trx.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst()
  if (!org) throw new HttpError(400, `org_id: org ${orgId} does not exist`, { field: 'org_id' })
  const set = { owner_id: ownerId, org_id: orgId, updated_at: at }
  const inIds = async (table: 'data_sources' | 'data_sets' | 'data_sinks', ids: number[]) => {
    if (ids.length) await trx.updateTable(table).set(set).where('id', 'in', ids).execute()
  }
  await inIds('data_sources', scope.data_sources)
  await inIds('data_sets', scope.data_sets)
  await inIds('data_sinks', scope.data_sinks)
  const nodeIds = flow.nodes
    .filter(
      (n) =>
        (n.data_source_id !== null && scope.data_sources.includes(n.data_source_id)) ||
        (n.data_set_id !== null && scope.data_sets.includes(n.data_set_id)),
    )
    .map((n) => n.id)
  if (nodeIds.length)
    await trx
      .updateTable('flow_nodes')
      .set({ owner_id: ownerId, org_id: orgId })
      .where('id', 'in', nodeIds)
      .execute()
  if (body.include_data_credentials) {
    const sources = new Set(scope.data_sources)
    const sinks = new Set(scope.data_sinks)
    const credentialIds = [
      ...flow.sources.filter((s) => sources.has(s.id)).map((s) => s.data_credentials_id),
      ...flow.sinks.filter((s) => sinks.has(s.id)).map((s) => s.data_credentials_id),
    ].filter((id): id is number => id !== null)
    if (credentialIds.length)
      await trx
        .updateTable('data_credentials')
        .set(set)
        .where('id', 'in', [...new Set(credentialIds)])
        .execute()
  }
}

/** Copies every resource of a flow in tree order; returns the new origin node id. */
async function copyFlow(
  trx: Tx,
  actor: Actor,
  flow: LoadedFlow,
  body: { name?: string; description?: string | null },
) {
  const source = flow.sources[0]
  if (!source) throw notFound(`Data source of flow ${flow.origin.id}`)
  const at = now()
  const common = { owner_id: actor.userId, status: 'PAUSED' as const, created_at: at, updated_at: at }
  const newSource = await trx
    .insertInto('data_sources')
    .values({
      ...strip(source),
      ...common,
      org_id: source.org_id,
      copied_from_id: source.id,
      runtime_status: 'IDLE',
      flow_node_id: null,
      origin_node_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const originId = await createOriginNode(trx, newSource)
  const originalName = flow.origin.name ?? source.name
  await trx
    .updateTable('flow_nodes')
    .set({
      name: body.name ?? `${originalName} (copy)`,
      description: body.description !== undefined ? body.description : flow.origin.description,
      flow_type: flow.origin.flow_type,
      configuration: flow.origin.configuration,
    })
    .where('id', '=', originId)
    .execute()
  const newSetIds = new Map<
    number,
    { id: number; flow_node_id: number | null; origin_node_id: number | null }
  >()
  const byId = new Map(flow.sets.map((s) => [s.id, s]))
  for (const { id } of setsByDepth(flow)) {
    const set = byId.get(id)
    if (!set) continue
    const parentSet = set.parent_data_set_id === null ? undefined : newSetIds.get(set.parent_data_set_id)
    const row = await trx
      .insertInto('data_sets')
      .values({
        ...strip(set),
        ...common,
        org_id: set.org_id,
        copied_from_id: set.id,
        data_source_id: set.data_source_id === null ? null : newSource.id,
        parent_data_set_id: parentSet?.id ?? null,
        flow_node_id: null,
        origin_node_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const parent = parentSet ?? { flow_node_id: originId, origin_node_id: originId }
    const nodeId = await createDataSetNode(trx, row, parent)
    newSetIds.set(set.id, { id: row.id, flow_node_id: nodeId, origin_node_id: originId })
  }
  for (const sink of flow.sinks) {
    const set = newSetIds.get(sink.data_set_id)
    if (!set) continue
    await trx
      .insertInto('data_sinks')
      .values({
        ...strip(sink),
        ...common,
        org_id: sink.org_id,
        copied_from_id: sink.id,
        data_set_id: set.id,
        flow_node_id: set.flow_node_id,
        origin_node_id: originId,
      })
      .execute()
  }
  return originId
}

/** The error stage's directory, like every connector path, must stay inside the data root. */
function checkErrorDirectory(
  configuration: Type.Static<typeof FlowConfiguration> | undefined,
  filesDir: string,
) {
  const stage = configuration?.error_stage
  if (!stage || !('directory' in stage)) return
  const confined = confinePath(filesDir, stage.directory)
  if (!confined.ok)
    throw new HttpError(400, `configuration.error_stage.directory: ${confined.reason}`, {
      field: 'configuration.error_stage.directory',
    })
}

/** Errors from a nested part of the body name it in full: "data_sets[2].transform: does not compile". */
async function within<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (!(err instanceof HttpError) || err.statusCode >= 500) throw err
    const field = typeof err.details.field === 'string' ? `${prefix}.${err.details.field}` : prefix
    const message = err.message.startsWith(`${String(err.details.field)}:`)
      ? err.message.slice(String(err.details.field).length + 1).trim()
      : err.message
    const errors = Array.isArray(err.details.errors)
      ? (err.details.errors as { field: string }[]).map((e) => ({ ...e, field: `${prefix}.${e.field}` }))
      : undefined
    throw new HttpError(err.statusCode, `${field}: ${message}`, {
      ...err.details,
      field,
      ...(errors && { errors }),
    })
  }
}

async function createFlow(trx: Tx, actor: Actor, body: Type.Static<typeof CreateFlow>, filesDir: string) {
  checkErrorDirectory(body.configuration, filesDir)
  const source = await within('data_source', () =>
    createSource(trx, actor, { ...body.data_source, name: body.data_source.name ?? body.name }, filesDir),
  )
  const originId = source.origin_node_id
  await trx
    .updateTable('flow_nodes')
    .set({
      name: body.name,
      description: body.description ?? null,
      flow_type: body.flow_type ?? 'streaming',
      configuration: JSON.stringify(body.configuration ?? {}),
    })
    .where('id', '=', originId)
    .execute()
  const sets: number[] = []
  for (const [i, d] of (body.data_sets ?? []).entries()) {
    const { parent_index, ...fields } = d
    const prefix = `data_sets[${i}]`
    if (parent_index !== undefined && parent_index >= i)
      throw new HttpError(400, `${prefix}.parent_index: must name an earlier data set (0 to ${i - 1})`, {
        field: `${prefix}.parent_index`,
      })
    const parent =
      parent_index === undefined ? { data_source_id: source.id } : { parent_data_set_id: sets[parent_index] }
    sets.push((await within(prefix, () => createDataSet(trx, actor, { ...fields, ...parent }))).id)
  }
  for (const [i, s] of (body.data_sinks ?? []).entries()) {
    const { data_set_index, ...fields } = s
    const prefix = `data_sinks[${i}]`
    const setId = sets[data_set_index]
    if (setId === undefined)
      throw new HttpError(
        400,
        `${prefix}.data_set_index: must name one of data_sets (0 to ${sets.length - 1})`,
        { field: `${prefix}.data_set_index` },
      )
    await within(prefix, () => createSink(trx, actor, { ...fields, data_set_id: setId }, filesDir))
  }
  return originId
}

/** A row without its identity, ready to insert as a copy. */
function strip<T extends { id: number }>(row: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = row
  return rest
}
