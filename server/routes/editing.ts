import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { compileTransform } from '../engine/transforms/transform.js'
import { invalidFields } from '../errors.js'
import { transformProblems } from '../domain/validation.js'
import { errorResponses } from '../schemas/common.js'
import { sinkConnectors, sourceConnectors, type ConnectorSpec } from '../schemas/connectors.js'

const Connector = Type.Object({
  type: Type.String({ description: 'The connector_type value' }),
  label: Type.String(),
  config_schema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'JSON Schema of source_config / sink_config, the one the server validates with',
  }),
})

const Preview = Type.Object(
  {
    transform: Type.String({ maxLength: 100_000, description: 'JSONata; empty passes records through' }),
    records: Type.Array(Type.Unknown(), { maxItems: 100, description: 'Sample input records' }),
  },
  { additionalProperties: false },
)

const PreviewResult = Type.Object({
  results: Type.Array(
    Type.Object({
      ok: Type.Boolean(),
      output: Type.Optional(
        Type.Array(Type.Unknown(), { description: 'Zero (dropped), one or many records' }),
      ),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
})

const describe = (specs: Record<string, ConnectorSpec>) =>
  Object.entries(specs).map(([type, spec]) => ({
    type,
    label: spec.label,
    // Plain JSON (TypeBox keeps its own markers on symbol keys, which JSON leaves out).
    config_schema: JSON.parse(JSON.stringify(spec.config)) as Record<string, unknown>,
  }))

/** What the console needs to build and check flows visually: the connector catalog and transform previews. */
export const editingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const catalog = { sources: describe(sourceConnectors), sinks: describe(sinkConnectors) }

  app.get(
    '/connectors',
    {
      schema: {
        tags: ['editing'],
        summary: 'Source and sink connector types with the JSON Schema of their config',
        response: {
          200: Type.Object({ sources: Type.Array(Connector), sinks: Type.Array(Connector) }),
          ...errorResponses,
        },
      },
    },
    async () => catalog,
  )

  app.post(
    '/transforms/preview',
    {
      schema: {
        tags: ['editing'],
        summary: 'Run a JSONata transform on sample records exactly as a run would; nothing is stored',
        body: Preview,
        response: { 200: PreviewResult, ...errorResponses },
      },
    },
    async (request) => {
      const problems = transformProblems(request.body.transform)
      if (problems.length) invalidFields(problems)
      const transform = compileTransform(request.body.transform)
      const results = []
      for (const record of request.body.records) {
        const outcome = await transform.apply(record)
        results.push(
          outcome.ok
            ? { ok: true, output: outcome.values }
            : { ok: false, error: { code: outcome.code, message: outcome.message } },
        )
      }
      return { results }
    },
  )
}
