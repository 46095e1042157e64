import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { flowHead } from '../db/flows.js'
import { visibleRun } from '../db/runs.js'
import { notFound } from '../errors.js'
import { ErrorResponse, errorResponses, isSet } from '../schemas/common.js'
import {
  ExecutionParams,
  ExecutionQuery,
  ExecutionRunParams,
  ExecutionStatus,
  ExecutionStatusQuery,
} from '../schemas/runs.js'
import { awaitRun, startRun } from './runs.js'

/**
 * Seed 002's data flow execution API over the same runs. The key may come as ?api_key= or x-api-key (the
 * auth hook takes both); errors keep the JSON error shape and real 4xx codes instead of the seed's 500.
 */
export const executionApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/pub/v1/dataflows/:flow_id/start',
    {
      schema: {
        tags: ['execution API'],
        summary: 'Start a run of a data flow (?await=true: answer when it ends, at most 60 s)',
        params: ExecutionParams,
        querystring: ExecutionQuery,
        response: { 200: ExecutionStatus, 409: ErrorResponse, ...errorResponses },
      },
    },
    async (request) => {
      let run = await startRun(app, request.actor, request.params.flow_id, undefined)
      if (isSet(request.query.await)) run = await awaitRun(app, run)
      return { runId: run.id, status: run.status }
    },
  )

  app.get(
    '/pub/v1/dataflows/:flow_id/runs/:runId/status',
    {
      schema: {
        tags: ['execution API'],
        summary: 'Status of a run of a data flow',
        params: ExecutionRunParams,
        querystring: ExecutionStatusQuery,
        response: { 200: ExecutionStatus, ...errorResponses },
      },
    },
    async (request) => {
      const head = await flowHead(app.db, { kind: 'flow_nodes', id: request.params.flow_id }, request.actor)
      const run = await visibleRun(app.db, request.actor, request.params.runId)
      if (run.flow_id !== head.originId)
        throw notFound(`Run ${run.id} of data flow ${request.params.flow_id}`)
      return { runId: run.id, status: run.status }
    },
  )
}
