import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import type { Database } from '../db/database.js'
import {
  deletionOrder,
  flowHead,
  flowResponse,
  loadFlowCached,
  type FlowCache,
  type LoadedFlow,
} from '../db/flows.js'
import { touchFlows, type Tx } from '../db/resources.js'
import { cancelFlowRuns, deleteFlowRuns } from '../db/runs.js'
import type { ResourceStatus } from '../db/schema.js'
import { now } from '../db/users.js'
import { notAllowed, unprocessable } from '../errors.js'
import {
  filterScope,
  scopeOf,
  scopeSize,
  type FlowKind,
  type Scope,
  type Target,
} from '../domain/flow-tree.js'
import type { Actor } from '../domain/permissions.js'
import { activationProblems, describeProblems } from '../domain/validation.js'
import { ErrorResponse, errorResponses, Id, isSet } from '../schemas/common.js'
import { ControlQuery, DeleteResponse, DryRunResponse, FlowResponse } from '../schemas/flows.js'
import { authorize } from './orgs.js'
import { flowTargets, legacyTargets } from './flow-targets.js'

const Params = Type.Object({ id: Id })

/** These routes answer one of two shapes (dry run or result); plain JSON avoids serializing through a union schema. */
const sendJson = (reply: FastifyReply, body: unknown) =>
  reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
type Query = Type.Static<typeof ControlQuery>
type Action = 'activate' | 'pause'

const kinds: FlowKind[] = ['data_sources', 'data_sets', 'data_sinks']

/**
 * Sets a status on the scope's resources that do not have it yet. Returns the flow as it now is: a new object
 * sharing unchanged rows, because the one passed in may be the cached, immutable one.
 */
async function applyStatus(
  trx: Tx,
  flow: LoadedFlow,
  scope: Scope,
  status: ResourceStatus,
): Promise<LoadedFlow> {
  const at = now()
  const whole = scopeSize(scope) === flow.sources.length + flow.sets.length + flow.sinks.length
  const next: LoadedFlow = { ...flow }
  let changed = false
  for (const kind of kinds) {
    const key = rowsKey[kind]
    const wanted = new Set(scope[kind])
    const ids = flow[key].filter((r) => wanted.has(r.id) && r.status !== status).map((r) => r.id)
    if (ids.length === 0) continue
    changed = true
    const update = () =>
      trx
        .updateTable(kind as 'data_sets')
        .set({ status, updated_at: at })
        .where('status', '!=', status)
    // The whole flow is one indexed update by origin; a part of it goes by id, in chunks under SQLite's limit.
    if (whole) await update().where('origin_node_id', '=', flow.origin.id).execute()
    else
      for (let i = 0; i < ids.length; i += 10_000)
        await update()
          .where('id', 'in', ids.slice(i, i + 10_000))
          .execute()
    const hit = new Set(ids)
    ;(next[key] as { id: number }[]) = flow[key].map((r) =>
      hit.has(r.id) ? { ...r, status, updated_at: at } : r,
    )
  }
  if (!changed) return flow
  await touchFlows(trx, [flow.origin.id])
  next.origin = { ...flow.origin, version: flow.origin.version + 1, updated_at: at }
  return next
}

const rowsKey = { data_sources: 'sources', data_sets: 'sets', data_sinks: 'sinks' } as const

export async function controlFlow(
  db: Database,
  cache: FlowCache,
  filesDir: string,
  actor: Actor,
  target: Target,
  action: Action,
  query: Query,
) {
  authorize(actor, 'control')
  const all = isSet(query.all) || isSet(query.full_tree)
  const result = await db.transaction().execute(async (trx) => {
    const head = await flowHead(trx, target, actor)
    const flow = await loadFlowCached(trx, cache, head)
    const scope = scopeOf(flow, target, all)
    if (isSet(query.dry_run))
      return { body: { scope, active: filterScope(scope, flow, (s) => s === 'ACTIVE') } }
    if (action === 'activate') {
      const pick = <T extends { id: number }>(rows: T[], ids: number[]) => {
        const wanted = new Set(ids)
        return rows.filter((r) => wanted.has(r.id))
      }
      const problems = activationProblems(
        {
          data_sources: pick(flow.sources, scope.data_sources),
          data_sets: pick(flow.sets, scope.data_sets),
          data_sinks: pick(flow.sinks, scope.data_sinks),
        },
        filesDir,
      )
      if (problems.length) throw unprocessable(describeProblems(problems), { errors: problems })
    }
    const next = await applyStatus(trx, flow, scope, action === 'activate' ? 'ACTIVE' : 'PAUSED')
    // A paused source ends the flow's runs: Pending ones now, the Running one after its batch in flight.
    if (action === 'pause' && scope.data_sources.length)
      await cancelFlowRuns(trx, flow.origin.id, {
        code: 'FLOW_PAUSED',
        message: 'The flow was paused; the run stopped after its batch in flight',
      })
    return { body: await flowResponse(trx, [next], isSet(query.flows_only)), next }
  })
  // Only a committed state may enter the cache.
  if (result.next) cache.set(result.next.origin.id, result.next.origin.version, result.next)
  return result.body
}

export async function deleteFlow(db: Database, cache: FlowCache, actor: Actor, target: Target, query: Query) {
  const all = isSet(query.all) || isSet(query.full_tree)
  return db.transaction().execute(async (trx) => {
    const head = await flowHead(trx, target, actor)
    authorize(actor, 'delete', head.ownerOfTarget)
    const flow = await loadFlowCached(trx, cache, head)
    const scope = scopeOf(flow, target, all)
    const active = filterScope(scope, flow, (s) => s === 'ACTIVE')
    if (isSet(query.dry_run)) return { scope, active }
    if (scopeSize(active) > 0)
      throw notAllowed('Active flow resources must be paused before flow deletion', { ...active })
    // Bottom-up, so no row is ever left pointing at a deleted parent.
    if (scope.data_sinks.length)
      await trx.deleteFrom('data_sinks').where('id', 'in', scope.data_sinks).execute()
    for (const level of deletionOrder(flow, scope.data_sets)) {
      await trx.deleteFrom('data_sets').where('id', 'in', level).execute()
      await trx.deleteFrom('flow_nodes').where('data_set_id', 'in', level).execute()
    }
    if (scope.data_sources.length) {
      await trx.deleteFrom('data_sources').where('id', 'in', scope.data_sources).execute()
      await trx.deleteFrom('flow_nodes').where('id', '=', flow.origin.id).execute()
      await deleteFlowRuns(trx, flow.origin.id)
    } else {
      await touchFlows(trx, [flow.origin.id])
    }
    return { status: 200, message: 'Ok', deleted: scope }
  })
}

export const flowControlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app
  const controlResponses = {
    200: Type.Union([FlowResponse, DryRunResponse]),
    422: ErrorResponse,
    ...errorResponses,
  }

  for (const t of [...flowTargets, ...legacyTargets]) {
    const legacy = t.path.startsWith('/data_flows')
    for (const action of ['activate', 'pause'] as const) {
      const verb = action === 'activate' ? 'Activate' : 'Pause'
      app.put(
        `${t.path}/${action}`,
        {
          schema: {
            tags: [legacy ? 'legacy' : 'flow control'],
            summary: `${verb} from this ${t.label} downstream, or the entire flow with ?all=1${legacy ? ' (deprecated)' : ''}`,
            description:
              'Scope: a data source → the whole flow; a data set → itself, derived data sets and their sinks; a sink → itself. ' +
              '?dry_run=1 returns {scope, active} and changes nothing. Activation validates the whole scope first (422).',
            params: Params,
            querystring: ControlQuery,
            response: controlResponses,
          },
        },
        async (request, reply) => {
          const result = await controlFlow(
            db,
            app.flowCache,
            app.config.filesDir,
            request.actor,
            { kind: t.kind, id: request.params.id },
            action,
            request.query,
          )
          // An activated streaming flow polls now rather than at the next interval.
          app.engine.wake()
          return sendJson(reply, result)
        },
      )
    }
    if (legacy) continue
    app.delete(
      t.path,
      {
        schema: {
          tags: ['flow control'],
          summary: `Delete from this ${t.label} downstream, or the entire flow with ?all=1 (405 while anything in scope is ACTIVE)`,
          params: Params,
          querystring: ControlQuery,
          response: {
            200: Type.Union([DeleteResponse, DryRunResponse]),
            405: ErrorResponse,
            ...errorResponses,
          },
        },
      },
      async (request, reply) =>
        sendJson(
          reply,
          await deleteFlow(
            db,
            app.flowCache,
            request.actor,
            { kind: t.kind, id: request.params.id },
            request.query,
          ),
        ),
    )
  }
}
