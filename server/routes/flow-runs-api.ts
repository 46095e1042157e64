import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { flowHead } from '../db/flows.js'
import { flowRunOut, listRuns, runEtag, type RunFilter } from '../db/runs.js'
import type { RunStatus } from '../db/schema.js'
import { badRequest, HttpError } from '../errors.js'
import type { Actor } from '../domain/permissions.js'
import { ErrorResponse, errorResponses } from '../schemas/common.js'
import { CreatedFlowRuns, CreateFlowRun, FlowRunList, FlowRunsQuery } from '../schemas/runs.js'
import { pageOf, paginate } from './pagination.js'
import { startRun } from './runs.js'

const statuses = new Set<string>(['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled'])

/**
 * The filter of `?property=name==value` (repeatable): flowId (any node id of the flow) and status. A flow
 * the caller cannot see matches nothing, exactly like one that does not exist.
 */
async function filterOf(
  app: { db: Parameters<typeof flowHead>[0] },
  actor: Actor,
  property: string | string[] | undefined,
) {
  const filter: RunFilter & { none?: boolean } = { orgId: actor.role === 'super_user' ? null : actor.orgId }
  for (const p of property === undefined ? [] : Array.isArray(property) ? property : [property]) {
    const m = /^(\w+)==(.+)$/.exec(p)
    if (!m) throw badRequest('property', `'${p}' is not a filter; write name==value, e.g. flowId==10001`)
    const [, name, value] = m as unknown as [string, string, string]
    if (name === 'flowId') {
      if (!/^[0-9]+$/.test(value)) throw badRequest('property', `flowId must be a flow id, not '${value}'`)
      try {
        const head = await flowHead(app.db, { kind: 'flow_nodes', id: Number(value) }, actor)
        filter.flowId = head.originId
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 404) filter.none = true
        else throw err
      }
    } else if (name === 'status') {
      if (!statuses.has(value))
        throw badRequest('property', `status must be one of ${[...statuses].join(', ')}, not '${value}'`)
      filter.status = value as RunStatus
    } else throw badRequest('property', `cannot filter on '${name}'; known: flowId, status`)
  }
  return filter
}

/** Seed 004's on-demand flow runs over the same runs. */
export const flowRunsApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/runs',
    {
      schema: {
        tags: ['flow runs API'],
        summary: 'Create a flow run (on-demand ingestion) with window, start time and delta column params',
        body: CreateFlowRun,
        response: { 200: CreatedFlowRuns, 409: ErrorResponse, ...errorResponses },
      },
    },
    async (request) => {
      const run = await startRun(app, request.actor, Number(request.body.flowId), request.body.params)
      return { items: [{ id: run.id, etag: runEtag(run) }] }
    },
  )

  app.get(
    '/runs',
    {
      schema: {
        tags: ['flow runs API'],
        summary:
          'Flow runs, newest first, with duration, record and status summaries (?property=flowId==<id>)',
        querystring: FlowRunsQuery,
        response: { 200: FlowRunList, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { page, perPage } = pageOf(request.query)
      const filter = await filterOf(app, request.actor, request.query.property)
      const { rows, total } = filter.none
        ? { rows: [], total: 0 }
        : await listRuns(app.db, filter, page, perPage)
      paginate(request, reply, total, page, perPage, rows.length)
      return { items: rows.map(flowRunOut) }
    },
  )
}
