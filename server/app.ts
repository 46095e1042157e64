import fs from 'node:fs'
import path from 'node:path'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import fastifyStatic from '@fastify/static'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import { openDatabase, type Database } from './db/database.js'
import { VersionedCache } from './db/flow-cache.js'
import type { FlowCache, LoadedFlow } from './db/flows.js'
import { HttpError, unauthorized } from './errors.js'
import { actorForKey } from './db/users.js'
import type { Actor } from './domain/permissions.js'
import { schemaProblems, validatorCompiler } from './domain/validation.js'
import { ensureSuperUser } from './demo/bootstrap.js'
import { authRoutes } from './routes/auth.js'
import { orgRoutes } from './routes/orgs.js'
import { resourceRoutes } from './routes/resources.js'
import { flowRoutes } from './routes/flows.js'
import { flowControlRoutes } from './routes/flow-control.js'
import { editingRoutes } from './routes/editing.js'
import { runRoutes } from './routes/runs.js'
import { executionApiRoutes } from './routes/execution-api.js'
import { flowRunsApiRoutes } from './routes/flow-runs-api.js'
import { Engine } from './engine/engine.js'
import type { EngineOptions } from './engine/options.js'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
  }
  interface FastifyInstance {
    db: Database
    config: Config
    /** Loaded flows by version, shared by reads and control so a flow being watched is not reloaded. */
    flowCache: FlowCache
    /** Serialized flow responses by version: an unchanged flow is not rebuilt for each poll. */
    flowBodyCache: VersionedCache<string>
    /** Runs flows: see server/engine and docs/decisions/0002-run-engine.md. */
    engine: Engine
  }
}

export type App = FastifyInstance
export type AppOptions = Config & { logger?: boolean; engine?: Partial<EngineOptions> }

// /api/token authenticates with HTTP Basic in its own handler.
const publicPaths = new Set(['/api/health', '/api/openapi.json', '/api/token'])

function keyFrom(headers: Record<string, string | string[] | undefined>, query: unknown): string | undefined {
  const auth = headers.authorization
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice(7).trim()
  const header = headers['x-api-key']
  if (typeof header === 'string' && header) return header
  const fromQuery = (query as { api_key?: unknown } | undefined)?.api_key
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined
}

export async function buildApp(options: AppOptions): Promise<App> {
  const db = await openDatabase(options.dataDir)
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  // An empty body sent with a JSON content type (fetch and curl do this for a bare POST) is no body, not a
  // parse error; routes that need a body still answer 400 naming it.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString()
    if (text.trim() === '') return done(null, undefined)
    // The default parser is synchronous: it calls done itself.
    void parseJson(request, text, done)
  })
  app.decorate('db', db)
  app.decorate('config', options)
  app.decorate('flowCache', new VersionedCache<LoadedFlow>(16))
  app.decorate('flowBodyCache', new VersionedCache<string>(256))
  app.decorateRequest('actor', null as unknown as Actor)
  app.addHook('onClose', async () => db.destroy())
  const engine = new Engine(
    {
      db,
      filesDir: options.filesDir,
      stateDir: path.join(options.dataDir === ':memory:' ? options.filesDir : options.dataDir, 'engine'),
      log: app.log,
    },
    {
      ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
      ...options.engine,
    },
  )
  app.decorate('engine', engine)
  // Before onClose destroys the database: runs in flight stop after their batch.
  app.addHook('preClose', async () => engine.stop())

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply
        .status(error.statusCode)
        .send({ status: error.statusCode, message: error.message, ...error.details })
    }
    if (error.validation) {
      const problems = schemaProblems(error.validation as never)
      const first = problems[0] ?? { field: error.validationContext ?? 'request', message: error.message }
      return reply.status(400).send({
        status: 400,
        message: `${first.field}: ${first.message}`,
        field: first.field,
        errors: problems,
      })
    }
    const code = error.statusCode ?? 500
    if (code >= 400 && code < 500) {
      return reply.status(code).send({ status: code, message: error.message })
    }
    request.log.error(error)
    return reply
      .status(500)
      .send({ status: 500, message: 'Internal server error; the server log has the details' })
  })

  app.addHook('onRequest', async (request) => {
    const url = request.url.split('?')[0] ?? ''
    if (!url.startsWith('/api/') || publicPaths.has(url)) return
    const key = keyFrom(request.headers, request.query)
    if (!key) throw unauthorized()
    const actor = await actorForKey(db, key)
    if (!actor) throw unauthorized('The API key or access token is unknown, revoked or expired')
    request.actor = actor
  })

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Flow Console API',
        version: '1.0.0',
        description: 'Flows, their resources, control and runs',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
        },
      },
      security: [{ bearer: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }],
    },
  })
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger())
  app.get('/api/health', { schema: { tags: ['health'], security: [] } }, () => ({ status: 'ok' }))

  await app.register(authRoutes, { prefix: '/api' })
  await app.register(orgRoutes, { prefix: '/api' })
  await app.register(resourceRoutes, { prefix: '/api' })
  await app.register(flowRoutes, { prefix: '/api' })
  await app.register(flowControlRoutes, { prefix: '/api' })
  await app.register(editingRoutes, { prefix: '/api' })
  await app.register(runRoutes, { prefix: '/api' })
  await app.register(executionApiRoutes, { prefix: '/api' })
  await app.register(flowRunsApiRoutes, { prefix: '/api' })

  const consoleDir = options.consoleDir ?? path.resolve(import.meta.dirname, '../console')
  const hasConsole = fs.existsSync(path.join(consoleDir, 'index.html'))
  // wildcard: files are looked up per request, so a rebuilt console's new asset names are served at once.
  if (hasConsole) await app.register(fastifyStatic, { root: consoleDir })
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? ''
    // Console URLs (/flows/123) are the single-page app's; API and asset misses are real 404s.
    if (hasConsole && request.method === 'GET' && !url.startsWith('/api') && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html')
    }
    return reply.status(404).send({
      status: 404,
      message: `No route ${request.method} ${url}; the API reference is at /api/openapi.json`,
    })
  })

  await ensureSuperUser(app)
  await engine.start()
  return app
}
