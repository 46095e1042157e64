import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import type { Database } from '../db/database.js'
import { deletionOrder, flowHead, flowResponse, loadFlow, type LoadedFlow } from '../db/flows.js'
import { touchFlows, type Tx } from '../db/resources.js'
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

/** Sets a status on the scope's resources that do not have it yet; returns whether anything changed. */
async function applyStatus(
  trx: Tx,
  flow: LoadedFlow,
  scope: Scope,
  status: ResourceStatus,
): Promise<boolean> {
  const at = now()
  const whole = scopeSize(scope) === flow.sources.length + flow.sets.length + flow.sinks.length
  let changed = false
  const rowsOf = { data_sources: flow.sources, data_sets: flow.sets, data_sinks: flow.sinks }
  for (const kind of kinds) {
    const wanted = new Set(scope[kind])
    const rows = rowsOf[kind].filter((r) => wanted.has(r.id) && r.status !== status)
    if (rows.length === 0) continue
    changed = true
    // The whole flow is one indexed update by origin; a part of it goes by id, in chunks under SQLite's limit.
    let q = trx
      .updateTable(kind as 'data_sets')
      .set({ status, updated_at: at })
      .where('status', '!=', status)
    if (whole) await q.where('origin_node_id', '=', flow.origin.id).execute()
    else
      for (let i = 0; i < rows.length; i += 10_000) {
        q = trx
          .updateTable(kind as 'data_sets')
          .set({ status, updated_at: at })
          .where('status', '!=', status)
        await q
          .where(
            'id',
            'in',
            rows.slice(i, i + 10_000).map((r) => r.id),
          )
          .execute()
      }
    for (const r of rows) {
      r.status = status
      r.updated_at = at
    }
  }
  if (changed) {
    await touchFlows(trx, [flow.origin.id])
    flow.origin.version += 1
    flow.origin.updated_at = at
  }
  return changed
}

export async function controlFlow(
  db: Database,
  filesDir: string,
  actor: Actor,
  target: Target,
  action: Action,
  query: Query,
) {
  authorize(actor, 'control')
  const all = isSet(query.all) || isSet(query.full_tree)
  return db.transaction().execute(async (trx) => {
    const head = await flowHead(trx, target, actor)
    const flow = await loadFlow(trx, head.originId)
    const scope = scopeOf(flow, target, all)
    if (isSet(query.dry_run)) return { scope, active: filterScope(scope, flow, (s) => s === 'ACTIVE') }
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
    await applyStatus(trx, flow, scope, action === 'activate' ? 'ACTIVE' : 'PAUSED')
    return flowResponse(trx, [flow], isSet(query.flows_only))
  })
}

export async function deleteFlow(db: Database, actor: Actor, target: Target, query: Query) {
  const all = isSet(query.all) || isSet(query.full_tree)
  return db.transaction().execute(async (trx) => {
    const head = await flowHead(trx, target, actor)
    authorize(actor, 'delete', head.ownerOfTarget)
    const flow = await loadFlow(trx, head.originId)
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
            app.config.filesDir,
            request.actor,
            { kind: t.kind, id: request.params.id },
            action,
            request.query,
          )
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
          await deleteFlow(db, request.actor, { kind: t.kind, id: request.params.id }, request.query),
        ),
    )
  }
}
