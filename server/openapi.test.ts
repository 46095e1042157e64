import { describe, expect, it } from 'vitest'
import type { App } from './app.js'
import { makeApp } from './test-support/app.js'

/**
 * Every "METHOD /path" the app registers under /api, read from Fastify's route tree so a route added
 * later is covered without touching this test. Path params become OpenAPI's {name}.
 */
function registeredRoutes(app: App): string[] {
  const out: string[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    stack.length = depth
    stack.push(m[2]!)
    const path = stack.join('').replace(/:(\w+)/g, '{$1}')
    for (const method of (m[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD' && path.startsWith('/api/')) out.push(`${method} ${path}`)
  }
  return out
}

describe('GET /api/openapi.json', () => {
  it('is served without a key and documents every route the server registers', async () => {
    const { app, call } = await makeApp()
    const res = await call('GET', '/api/openapi.json', { key: null })
    expect(res.status).toBe(200)
    expect(res.body.openapi).toMatch(/^3\./)
    const documented = new Set<string>()
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>))
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`)

    const registered = registeredRoutes(app).filter((r) => r !== 'GET /api/openapi.json')
    expect(registered.length).toBeGreaterThan(30)
    expect(registered.filter((r) => !documented.has(r))).toEqual([])
  })

  it('includes the routes of the foundation, with request and response schemas', async () => {
    const { call } = await makeApp()
    const { body } = await call('GET', '/api/openapi.json', { key: null })
    const expected = [
      'get /api/health',
      'post /api/token',
      'post /api/token/logout',
      'get /api/me',
      'get /api/orgs',
      'post /api/orgs',
      'get /api/users',
      'post /api/users',
      'post /api/users/{id}/api_keys',
      'get /api/users/{id}/api_keys',
      'delete /api/users/{id}/api_keys/{keyId}',
    ]
    for (const kind of ['data_credentials', 'data_sources', 'data_sets', 'data_sinks']) {
      expected.push(`get /api/${kind}`, `post /api/${kind}`)
      expected.push(`get /api/${kind}/{id}`, `put /api/${kind}/{id}`, `delete /api/${kind}/{id}`)
      if (kind !== 'data_credentials')
        expected.push(`put /api/${kind}/{id}/activate`, `put /api/${kind}/{id}/pause`)
    }
    for (const route of expected) {
      const [method, path] = route.split(' ') as [string, string]
      const op = body.paths[path]?.[method]
      expect(op, route).toBeDefined()
      expect(op.responses?.['200'], route).toBeDefined()
    }
    const create = body.paths['/api/data_sources'].post
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('source_config')
    expect(body.paths['/api/data_sources'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['page', 'per_page']),
    )
    expect(Object.keys(body.components.securitySchemes).sort()).toEqual([
      'apiKeyHeader',
      'apiKeyQuery',
      'bearer',
    ])
  })
})
