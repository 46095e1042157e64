import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { App } from '../app.js'
import {
  checkCredential,
  connectorFrom,
  createDataSet,
  createSink,
  createSource,
  newRow,
  tagsText,
} from '../db/create-resources.js'
import {
  credentialOut,
  findVisible,
  kindLabel,
  listPage,
  setOut,
  setStatus,
  sinkOut,
  sourceOut,
  touchFlows,
  type FlowKind,
  type Kind,
  type RowOf,
  type Tx,
} from '../db/resources.js'
import { now } from '../db/users.js'
import { conflict, invalidFields as invalid, notAllowed, unprocessable } from '../errors.js'
import { activationProblems, describeProblems, transformProblems } from '../domain/validation.js'
import { ErrorResponse, errorResponses, IdParams, Pagination } from '../schemas/common.js'
import * as S from '../schemas/resources.js'
import { authorize } from './orgs.js'
import { pageOf, paginate } from './pagination.js'

const withErrors = (ok: Type.TSchema, extra: Record<number, Type.TSchema> = {}) => ({
  200: ok,
  ...errorResponses,
  ...extra,
})

/** Fields whose change alters how a resource moves data: refused while it is ACTIVE. */
const configFields: Record<FlowKind, string[]> = {
  data_sources: ['connector_type', 'source_type', 'source_config', 'data_credentials_id'],
  data_sets: ['transform'],
  data_sinks: ['connector_type', 'sink_type', 'sink_config', 'data_credentials_id', 'data_set_id'],
}

function refuseWhileActive(kind: FlowKind, row: { id: number; status: string }, body: object) {
  if (row.status !== 'ACTIVE') return
  const touched = configFields[kind].filter((f) => f in body)
  if (touched.length)
    throw notAllowed(
      `${kindLabel[kind]} ${row.id} is ACTIVE: pause it before changing ${touched.join(', ')}`,
      {
        fields: touched,
      },
    )
}

const out = {
  data_credentials: credentialOut,
  data_sources: sourceOut,
  data_sets: setOut,
  data_sinks: sinkOut,
} as const

const responseOf = {
  data_credentials: S.DataCredential,
  data_sources: S.DataSource,
  data_sets: S.DataSet,
  data_sinks: S.DataSink,
} as const

function serialize<K extends Kind>(kind: K, row: RowOf<K>) {
  return (out[kind] as (r: RowOf<K>) => object)(row)
}

/** GET list, GET one: the same for every kind. */
function readRoutes(app: App, kind: Kind) {
  const tags = [kind]
  app.get(
    `/${kind}`,
    {
      schema: {
        tags,
        summary: `List ${kind}`,
        querystring: Pagination,
        response: withErrors(Type.Array(responseOf[kind])),
      },
    },
    async (request, reply) => {
      const { page, perPage } = pageOf(request.query as { page?: number; per_page?: number })
      const { rows, total } = await listPage(app.db, kind, request.actor, page, perPage)
      paginate(request, reply, total, page, perPage, rows.length)
      return rows.map((r) => serialize(kind, r))
    },
  )
  app.get(
    `/${kind}/:id`,
    {
      schema: {
        tags,
        summary: `One ${kindLabel[kind].toLowerCase()}`,
        params: IdParams,
        response: withErrors(responseOf[kind]),
      },
    },
    async (request) => {
      const { id } = request.params as { id: number }
      return serialize(kind, await findVisible(app.db, kind, id, request.actor))
    },
  )
}

/** Single-resource activate and pause: that resource only, no cascade (use /flow/... for that). */
function statusRoutes(app: App, kind: FlowKind) {
  for (const action of ['activate', 'pause'] as const) {
    app.put(
      `/${kind}/:id/${action}`,
      {
        schema: {
          tags: [kind],
          summary: `${action === 'activate' ? 'Activate' : 'Pause'} this ${kindLabel[kind].toLowerCase()} only (no cascade)`,
          params: IdParams,
          response: withErrors(responseOf[kind], { 422: ErrorResponse }),
        },
      },
      async (request) => {
        const { id } = request.params as { id: number }
        return app.db.transaction().execute(async (trx) => {
          // Look up first, as PUT and DELETE do: another org's id is a 404 whatever the caller's role.
          const row = await findVisible(trx, kind, id, request.actor)
          authorize(request.actor, 'control')
          if (action === 'activate') {
            const problems = activationProblems({ [kind]: [row] }, app.config.filesDir)
            if (problems.length) throw unprocessable(describeProblems(problems), { errors: problems })
          }
          const status = action === 'activate' ? 'ACTIVE' : 'PAUSED'
          await setStatus(trx, kind, [row.id], status)
          await touchFlows(trx, [row.origin_node_id])
          return serialize(kind, await findVisible(trx, kind, id, request.actor))
        })
      },
    )
  }
}

export const resourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const filesDir = app.config.filesDir
  for (const kind of ['data_credentials', 'data_sources', 'data_sets', 'data_sinks'] as const)
    readRoutes(app, kind)
  for (const kind of ['data_sources', 'data_sets', 'data_sinks'] as const) statusRoutes(app, kind)

  // ---- data_credentials
  app.post(
    '/data_credentials',
    {
      schema: {
        tags: ['data_credentials'],
        summary: 'Create data credentials (the secret is write-only)',
        body: S.CreateDataCredential,
        response: withErrors(S.DataCredential),
      },
    },
    async (request) => {
      authorize(request.actor, 'create')
      const b = request.body
      const row = await db
        .insertInto('data_credentials')
        .values({
          ...newRow(request.actor),
          name: b.name,
          description: b.description ?? null,
          tags: tagsText(b.tags),
          credentials_type: b.credentials_type,
          credentials: JSON.stringify(b.credentials),
          verified_status: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return credentialOut(row)
    },
  )
  app.put(
    '/data_credentials/:id',
    {
      schema: {
        tags: ['data_credentials'],
        summary: 'Change the fields given',
        params: IdParams,
        body: S.UpdateDataCredential,
        response: withErrors(S.DataCredential),
      },
    },
    async (request) => {
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await findVisible(trx, 'data_credentials', request.params.id, request.actor)
        authorize(request.actor, 'edit', row.owner_id)
        const updated = await trx
          .updateTable('data_credentials')
          .set({
            ...(b.name !== undefined && { name: b.name }),
            ...(b.description !== undefined && { description: b.description }),
            ...(b.tags !== undefined && { tags: tagsText(b.tags) }),
            ...(b.credentials_type !== undefined && { credentials_type: b.credentials_type }),
            ...(b.credentials !== undefined && {
              credentials: JSON.stringify(b.credentials),
              verified_status: null,
            }),
            updated_at: now(),
          })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow()
        // Flow reads list the credentials their resources use, so those flows' ETags must change too.
        const users = await Promise.all(
          (['data_sources', 'data_sinks'] as const).map((table) =>
            trx
              .selectFrom(table as 'data_sinks')
              .select('origin_node_id')
              .where('data_credentials_id', '=', row.id)
              .execute(),
          ),
        )
        await touchFlows(
          trx,
          users.flat().map((r) => r.origin_node_id),
        )
        return credentialOut(updated)
      })
    },
  )

  // ---- data_sources
  app.post(
    '/data_sources',
    {
      schema: {
        tags: ['data_sources'],
        summary: 'Create a data source: the origin of a new flow',
        body: S.CreateDataSource,
        response: withErrors(S.DataSource),
      },
    },
    async (request) => {
      const { actor } = request
      authorize(actor, 'create')
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await createSource(trx, actor, b, filesDir)
        return sourceOut(await findVisible(trx, 'data_sources', row.id, actor))
      })
    },
  )
  app.put(
    '/data_sources/:id',
    {
      schema: {
        tags: ['data_sources'],
        summary: 'Change the fields given (config replaced whole)',
        params: IdParams,
        body: S.UpdateDataSource,
        response: withErrors(S.DataSource, { 405: ErrorResponse }),
      },
    },
    async (request) => {
      const { actor } = request
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await findVisible(trx, 'data_sources', request.params.id, actor)
        authorize(actor, 'edit', row.owner_id)
        refuseWhileActive('data_sources', row, b)
        const { type, config } = connectorFrom('source', b, filesDir, {
          type: row.connector_type,
          config: JSON.parse(row.source_config) as Record<string, unknown>,
        })
        await checkCredential(trx, b.data_credentials_id, actor, row.org_id)
        await trx
          .updateTable('data_sources')
          .set({
            ...(b.name !== undefined && { name: b.name }),
            ...(b.description !== undefined && { description: b.description }),
            ...(b.tags !== undefined && { tags: tagsText(b.tags) }),
            ...(b.data_credentials_id !== undefined && { data_credentials_id: b.data_credentials_id }),
            connector_type: type,
            source_config: JSON.stringify(config),
            updated_at: now(),
          })
          .where('id', '=', row.id)
          .execute()
        await touchFlows(trx, [row.origin_node_id])
        return sourceOut(await findVisible(trx, 'data_sources', row.id, actor))
      })
    },
  )

  // ---- data_sets
  app.post(
    '/data_sets',
    {
      schema: {
        tags: ['data_sets'],
        summary: 'Create a data set under a data source or another data set',
        body: S.CreateDataSet,
        response: withErrors(S.DataSet),
      },
    },
    async (request) => {
      const { actor } = request
      authorize(actor, 'create')
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await createDataSet(trx, actor, b)
        return setOut(await findVisible(trx, 'data_sets', row.id, actor))
      })
    },
  )
  app.put(
    '/data_sets/:id',
    {
      schema: {
        tags: ['data_sets'],
        summary: 'Change the fields given',
        params: IdParams,
        body: S.UpdateDataSet,
        response: withErrors(S.DataSet, { 405: ErrorResponse }),
      },
    },
    async (request) => {
      const { actor } = request
      const b = request.body
      if (b.transform !== undefined) {
        const problems = transformProblems(b.transform)
        if (problems.length) invalid(problems)
      }
      return db.transaction().execute(async (trx) => {
        const row = await findVisible(trx, 'data_sets', request.params.id, actor)
        authorize(actor, 'edit', row.owner_id)
        refuseWhileActive('data_sets', row, b)
        await trx
          .updateTable('data_sets')
          .set({
            ...(b.name !== undefined && { name: b.name }),
            ...(b.description !== undefined && { description: b.description }),
            ...(b.tags !== undefined && { tags: tagsText(b.tags) }),
            ...(b.transform !== undefined && { transform: b.transform }),
            updated_at: now(),
          })
          .where('id', '=', row.id)
          .execute()
        await touchFlows(trx, [row.origin_node_id])
        return setOut(await findVisible(trx, 'data_sets', row.id, actor))
      })
    },
  )

  // ---- data_sinks
  app.post(
    '/data_sinks',
    {
      schema: {
        tags: ['data_sinks'],
        summary: 'Create a data sink reading from a data set',
        body: S.CreateDataSink,
        response: withErrors(S.DataSink),
      },
    },
    async (request) => {
      const { actor } = request
      authorize(actor, 'create')
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await createSink(trx, actor, b, filesDir)
        return sinkOut(row)
      })
    },
  )
  app.put(
    '/data_sinks/:id',
    {
      schema: {
        tags: ['data_sinks'],
        summary: 'Change the fields given; data_set_id moves the sink',
        params: IdParams,
        body: S.UpdateDataSink,
        response: withErrors(S.DataSink, { 405: ErrorResponse }),
      },
    },
    async (request) => {
      const { actor } = request
      const b = request.body
      return db.transaction().execute(async (trx) => {
        const row = await findVisible(trx, 'data_sinks', request.params.id, actor)
        authorize(actor, 'edit', row.owner_id)
        refuseWhileActive('data_sinks', row, b)
        const { type, config } = connectorFrom('sink', b, filesDir, {
          type: row.connector_type,
          config: JSON.parse(row.sink_config) as Record<string, unknown>,
        })
        await checkCredential(trx, b.data_credentials_id, actor, row.org_id)
        const target =
          b.data_set_id === undefined
            ? undefined
            : await findVisible(trx, 'data_sets', b.data_set_id, actor, 'data_set_id')
        if (target && target.org_id !== row.org_id)
          invalid([{ field: 'data_set_id', message: 'must be a data set of the same org' }])
        await trx
          .updateTable('data_sinks')
          .set({
            ...(b.name !== undefined && { name: b.name }),
            ...(b.description !== undefined && { description: b.description }),
            ...(b.tags !== undefined && { tags: tagsText(b.tags) }),
            ...(b.data_credentials_id !== undefined && { data_credentials_id: b.data_credentials_id }),
            ...(target && {
              data_set_id: target.id,
              flow_node_id: target.flow_node_id,
              origin_node_id: target.origin_node_id,
            }),
            connector_type: type,
            sink_config: JSON.stringify(config),
            updated_at: now(),
          })
          .where('id', '=', row.id)
          .execute()
        await touchFlows(trx, [row.origin_node_id, target?.origin_node_id ?? null])
        return sinkOut(await findVisible(trx, 'data_sinks', row.id, actor))
      })
    },
  )

  // ---- single deletes: refused while ACTIVE (405) or while something still depends on the resource (409)
  for (const kind of ['data_credentials', 'data_sources', 'data_sets', 'data_sinks'] as const) {
    app.delete(
      `/${kind}/:id`,
      {
        schema: {
          tags: [kind],
          summary: `Delete one ${kindLabel[kind].toLowerCase()} (use DELETE .../flow to delete downstream)`,
          params: IdParams,
          response: withErrors(S.Deleted, { 405: ErrorResponse, 409: ErrorResponse }),
        },
      },
      async (request) => {
        const { actor } = request
        return db.transaction().execute(async (trx) => {
          const row = await findVisible(trx, kind, request.params.id, actor)
          authorize(actor, 'delete', row.owner_id)
          const label = `${kindLabel[kind]} ${row.id}`
          if (row.status === 'ACTIVE') throw notAllowed(`${label} is ACTIVE: pause it before deleting it`)
          const dependents = await dependentsOf(trx, kind, row.id)
          if (dependents)
            throw conflict(
              `${label} still has ${dependents}; delete those first, or delete downstream with DELETE /api/${kind}/${row.id}/flow`,
            )
          if (kind === 'data_sinks') {
            await trx.deleteFrom('data_sinks').where('id', '=', row.id).execute()
          } else if (kind === 'data_sets') {
            await trx.deleteFrom('data_sets').where('id', '=', row.id).execute()
            await trx.deleteFrom('flow_nodes').where('data_set_id', '=', row.id).execute()
          } else if (kind === 'data_sources') {
            await trx.deleteFrom('data_sources').where('id', '=', row.id).execute()
            await trx.deleteFrom('flow_nodes').where('data_source_id', '=', row.id).execute()
          } else {
            await trx.deleteFrom('data_credentials').where('id', '=', row.id).execute()
          }
          if ('origin_node_id' in row) await touchFlows(trx, [row.origin_node_id])
          return { status: 200, message: 'Ok', deleted: { [kind]: [row.id] } }
        })
      },
    )
  }
}

async function dependentsOf(trx: Tx, kind: Kind, id: number): Promise<string | null> {
  const count = async (
    table: 'data_sets' | 'data_sinks' | 'data_sources',
    column: 'data_source_id' | 'parent_data_set_id' | 'data_set_id' | 'data_credentials_id',
  ) => {
    const r = await trx
      .selectFrom(table as 'data_sets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column as 'data_source_id', '=', id)
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }
  const parts: string[] = []
  const add = (n: number, what: string) => n && parts.push(`${n} ${what}${n === 1 ? '' : 's'}`)
  if (kind === 'data_sources') add(await count('data_sets', 'data_source_id'), 'data set')
  if (kind === 'data_sets') {
    add(await count('data_sets', 'parent_data_set_id'), 'derived data set')
    add(await count('data_sinks', 'data_set_id'), 'data sink')
  }
  if (kind === 'data_credentials') {
    add(await count('data_sources', 'data_credentials_id'), 'data source')
    add(await count('data_sinks', 'data_credentials_id'), 'data sink')
  }
  return parts.length ? parts.join(' and ') : null
}
