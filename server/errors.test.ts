import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, makeApp } from './test-support/app.js'
import { snapshot } from './test-support/fixtures.js'

const auth = { authorization: `Bearer ${ADMIN_KEY}` }

describe('bad input is a 4xx JSON error, never a 500', () => {
  it('answers malformed, empty and non-object JSON bodies with 400, writing nothing', async () => {
    const { app } = await makeApp()
    const before = await snapshot(app)
    const bodies: [string | undefined, string | undefined][] = [
      ['{"name": "x",', 'application/json'],
      ['{bad', 'application/json'],
      ['', 'application/json'],
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['"a string"', 'application/json'],
      ['name=x', 'text/plain'],
      [undefined, undefined],
    ]
    for (const [payload, type] of bodies) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/data_sources',
        headers: { ...auth, ...(type && { 'content-type': type }) },
        ...(payload !== undefined && { payload }),
      })
      expect(res.statusCode, `${type} ${payload}`).toBe(400)
      expect(res.headers['content-type']).toMatch(/application\/json/)
      expect(res.json()).toMatchObject({ status: 400, message: expect.any(String) })
    }
    expect(await snapshot(app)).toEqual(before)
  })

  it('answers an unsupported content type with 415 JSON', async () => {
    const { app } = await makeApp()
    const res = await app.inject({
      method: 'POST',
      url: '/api/data_sources',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<source/>',
    })
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ status: 415, message: expect.any(String) })
  })

  it('answers unknown routes and methods with 404 JSON', async () => {
    const { call } = await makeApp()
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/data_sources/1/explode'],
      ['PATCH', '/api/data_sources'],
      ['GET', '/nope.js'],
    ] as const) {
      const res = await call(method, url)
      expect(res.status, `${method} ${url}`).toBe(404)
      expect(res.headers['content-type']).toMatch(/application\/json/)
      expect(res.body).toEqual({ status: 404, message: expect.stringContaining(url.split('?')[0]!) })
    }
  })

  it('answers ids not written as integers with 400, never a look-up of a truncated id', async () => {
    const { call } = await makeApp()
    const source = (await call('POST', '/api/data_sources', { body: { name: 's', connector_type: 'file' } }))
      .body
    // Each of these once resolved to data source 5001 (or 16, or 1000): DELETE .../5001.9 deleted it.
    const odd = [`${source.id}.9`, `${source.id}.0`, '0x10', '1e3', '%201', '-1', '%00']
    for (const id of odd) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await call(
          method,
          `/api/data_sources/${id}`,
          method === 'PUT' ? { body: { name: 'x' } } : {},
        )
        expect(res.status, `${method} ${id}`).toBe(400)
        expect(res.body).toMatchObject({ status: 400, field: 'id' })
      }
    }
    expect((await call('GET', `/api/data_sources/${source.id}`)).body.name).toBe('s')
    for (const query of ['per_page=1.5', 'page=0x2', 'page=2.0']) {
      const res = await call('GET', `/api/data_sources?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.field).toBe(query.split('=')[0])
    }
  })

  it('answers out-of-range ids with 400 or 404', async () => {
    const { call } = await makeApp()
    for (const url of ['/api/data_sources/0', '/api/data_sets/-5']) {
      const res = await call('GET', url)
      expect(res.status, url).toBe(400)
      expect(res.body).toMatchObject({ status: 400, field: 'id' })
    }
    for (const url of ['/api/data_sources/99999999999999999999', '/api/data_sinks/9007199254740993']) {
      const res = await call('GET', url)
      expect(res.status, url).toBe(404)
    }
  })
})

describe('bodies', () => {
  it('treats an empty JSON body as no body: a bare POST that needs none works', async () => {
    const { app } = await makeApp()
    const res = await app.inject({
      method: 'POST',
      url: '/api/users/1/api_keys',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      payload: '',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().api_key).toEqual(expect.any(String))
  })
})
