import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { App } from '../app.js'
import { flowHead } from '../db/flows.js'
import { cancelRun, createRun, getRun, listRuns, runErrors, runEtag, runOut, visibleRun } from '../db/runs.js'
import type { RunRow, RunTrigger } from '../db/schema.js'
import { badRequest } from '../errors.js'
import type { Actor } from '../domain/permissions.js'
import { isProblem, parseParams, type RunParamsInput } from '../engine/params.js'
import { ErrorResponse, errorResponses, Id, isSet } from '../schemas/common.js'
import {
  AwaitQuery,
  ErrorRecord,
  ErrorsQuery,
  Run,
  RunIdParams,
  RunListQuery,
  StartRun,
} from '../schemas/runs.js'
import { matchesEtag } from './flow-targets.js'
import { authorize } from './orgs.js'
import { pageOf, paginate } from './pagination.js'

/** How long ?await=true holds a request before answering with the run as it is then. */
export const AWAIT_MS = 60_000

/**
 * Starts a run of the flow a node id belongs to, the same way for every run API: 404 for a flow the actor
 * cannot see, 403 below operator, 400 for bad params, 409 when the source is not ACTIVE.
 */
export async function startRun(
  app: App,
  actor: Actor,
  nodeId: number,
  params: RunParamsInput | undefined,
  trigger: RunTrigger = 'api',
): Promise<RunRow> {
  const head = await flowHead(app.db, { kind: 'flow_nodes', id: nodeId }, actor)
  authorize(actor, 'run')
  const parsed = parseParams(params)
  if (isProblem(parsed)) throw badRequest(parsed.field, parsed.message)
  const run = await createRun(app.db, {
    flowId: head.originId,
    orgId: head.orgId,
    createdBy: actor.userId,
    trigger,
    params: (params ?? {}) as Record<string, unknown>,
    notBefore: parsed.startTime === null ? null : new Date(parsed.startTime * 1000).toISOString(),
    deltaColumn: parsed.deltaColumn,
  })
  app.engine.wake()
  return run
}

/** The run when it has ended, or as it is after AWAIT_MS. */
export async function awaitRun(app: App, run: RunRow): Promise<RunRow> {
  await app.engine.waitForEnd(run.id, AWAIT_MS)
  return (await getRun(app.db, run.id)) ?? run
}

const FlowParams = Type.Object({ id: Id })

export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  app.post(
    '/flows/:id/runs',
    {
      schema: {
        tags: ['runs'],
        summary:
          'Start a run of the flow this node belongs to (?await=true: answer when it ends, at most 60 s)',
        description:
          'Runs of one flow execute one at a time in creation order; 409 when the flow’s data source is not ACTIVE.',
        params: FlowParams,
        querystring: AwaitQuery,
        body: StartRun,
        response: { 200: Run, 409: ErrorResponse, ...errorResponses },
      },
      // A bare POST (no body, as curl -X POST sends it) is a run without params.
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request) => {
      let run = await startRun(app, request.actor, request.params.id, request.body?.params)
      if (isSet(request.query.await)) run = await awaitRun(app, run)
      return runOut(run)
    },
  )

  app.get(
    '/flows/:id/runs',
    {
      schema: {
        tags: ['runs'],
        summary: 'Runs of the flow this node belongs to, newest first (paginated)',
        params: FlowParams,
        querystring: RunListQuery,
        response: { 200: Type.Array(Run), ...errorResponses },
      },
    },
    async (request, reply) => {
      const head = await flowHead(db, { kind: 'flow_nodes', id: request.params.id }, request.actor)
      const { page, perPage } = pageOf(request.query)
      const { rows, total } = await listRuns(db, { flowId: head.originId, orgId: null }, page, perPage)
      paginate(request, reply, total, page, perPage, rows.length)
      return rows.map(runOut)
    },
  )

  app.get(
    '/runs/:run_id',
    {
      schema: {
        tags: ['runs'],
        summary: 'One run: status, timestamps, error and metrics (ETag; If-None-Match gives 304)',
        params: RunIdParams,
        response: { 200: Run, 304: Type.Null({ description: 'Not modified' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await visibleRun(db, request.actor, request.params.run_id)
      const etag = runEtag(run)
      reply.header('ETag', etag).header('Cache-Control', 'private, no-cache')
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send(null)
      return runOut(run)
    },
  )

  app.put(
    '/runs/:run_id/cancel',
    {
      schema: {
        tags: ['runs'],
        summary:
          'Cancel a run: a Pending one at once, a Running one after its batch in flight (409 once ended)',
        params: RunIdParams,
        response: { 200: Run, 409: ErrorResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = request
      const run = await visibleRun(db, actor, request.params.run_id)
      authorize(actor, 'run')
      let after = await cancelRun(db, run.id, {
        code: 'CANCELLED',
        message: `Cancelled through the API by user ${actor.userId}`,
      })
      // A Running run stops after its batch: give it a moment so the answer usually shows Cancelled.
      if (after.status === 'Running') {
        await app.engine.waitForEnd(run.id, 5000)
        after = (await getRun(db, run.id)) ?? after
      }
      return runOut(after)
    },
  )

  app.get(
    '/runs/:run_id/errors',
    {
      schema: {
        tags: ['runs'],
        summary: 'The first error records of a run (X-Total-Count: how many it had in all)',
        params: RunIdParams,
        querystring: ErrorsQuery,
        response: { 200: Type.Array(ErrorRecord), ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await visibleRun(db, request.actor, request.params.run_id)
      reply.header('X-Total-Count', runOut(run).metrics.records_failed)
      return runErrors(db, run.id, request.query.limit ?? 100)
    },
  )
}
