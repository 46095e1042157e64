import { describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../test-support/app.js'
import { buildFlow, newOrg, ok, sinkBody, snapshot, sourceBody } from '../test-support/fixtures.js'

/** Org A (the default org) holds a whole flow and a credential, made by its admin; org B has its own users. */
async function twoOrgs() {
  const t = await makeApp()
  const adminA = await t.userWithRole('admin')
  const credential = await ok(
    t.call('POST', '/api/data_credentials', {
      key: adminA.key,
      body: { name: 'A secret', credentials_type: 'basic', credentials: { password: 'pw' } },
    }),
  )
  const flow = await buildFlow(t, adminA.key)
  const orgB = await newOrg(t)
  const b = {
    admin: await t.userWithRole('admin', orgB),
    operator: await t.userWithRole('operator', orgB),
    viewer: await t.userWithRole('viewer', orgB),
  }
  const ids = {
    data_credentials: credential.id as number,
    data_sources: flow.source.id as number,
    data_sets: flow.set.id as number,
    data_sinks: flow.sink.id as number,
  }
  return { t, adminA, flow, b, ids }
}

const notFound = async (t: TestApp, method: string, url: string, key: string, body?: object) => {
  const res = await t.call(method, url, { key, ...(body && { body }) })
  expect(res.status, `${method} ${url}`).toBe(404)
  expect(res.body).toEqual({ status: 404, message: expect.stringContaining('not found') })
}

describe("another org's resources", () => {
  it('are 404 (never 403) for GET, PUT, DELETE, activate and pause, for every role, and nothing changes', async () => {
    const { t, b, ids } = await twoOrgs()
    const before = await snapshot(t.app)
    for (const user of Object.values(b)) {
      for (const [kind, id] of Object.entries(ids)) {
        await notFound(t, 'GET', `/api/${kind}/${id}`, user.key)
        await notFound(t, 'PUT', `/api/${kind}/${id}`, user.key, { name: 'taken over' })
        await notFound(t, 'DELETE', `/api/${kind}/${id}`, user.key)
        if (kind !== 'data_credentials') {
          await notFound(t, 'PUT', `/api/${kind}/${id}/activate`, user.key)
          await notFound(t, 'PUT', `/api/${kind}/${id}/pause`, user.key)
        }
      }
    }
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('are missing from every list', async () => {
    const { t, b, ids } = await twoOrgs()
    for (const kind of Object.keys(ids)) {
      const res = await t.call('GET', `/api/${kind}`, { key: b.admin.key })
      expect(res.status).toBe(200)
      expect(res.body).toEqual([])
      expect(res.headers['x-total-count']).toBe('0')
    }
    // The super-user sees every org's resources.
    for (const [kind, id] of Object.entries(ids)) {
      const all = await ok(t.call('GET', `/api/${kind}`))
      expect(all.map((r: any) => r.id)).toContain(id)
    }
  })

  it('cannot be referenced when creating or moving resources (404 naming the field), and nothing is written', async () => {
    const { t, b, ids, flow } = await twoOrgs()
    const key = b.admin.key
    const ownSource = await ok(t.call('POST', '/api/data_sources', { key, body: sourceBody() }))
    const ownSet = await ok(
      t.call('POST', '/api/data_sets', { key, body: { name: 's', data_source_id: ownSource.id } }),
    )
    const ownSink = await ok(t.call('POST', '/api/data_sinks', { key, body: sinkBody(ownSet.id) }))
    const before = await snapshot(t.app)
    const attempts: [string, string, object, string][] = [
      ['POST', '/api/data_sets', { name: 'x', data_source_id: ids.data_sources }, 'data_source_id'],
      ['POST', '/api/data_sets', { name: 'x', parent_data_set_id: flow.derived.id }, 'parent_data_set_id'],
      ['POST', '/api/data_sinks', sinkBody(ids.data_sets), 'data_set_id'],
      [
        'POST',
        '/api/data_sources',
        sourceBody({ data_credentials_id: ids.data_credentials }),
        'data_credentials_id',
      ],
      ['PUT', `/api/data_sinks/${ownSink.id}`, { data_set_id: ids.data_sets }, 'data_set_id'],
      [
        'PUT',
        `/api/data_sources/${ownSource.id}`,
        { data_credentials_id: ids.data_credentials },
        'data_credentials_id',
      ],
    ]
    for (const [method, url, body, field] of attempts) {
      const res = await t.call(method, url, { key, body })
      expect(res.status, `${method} ${url} ${field}`).toBe(404)
      expect(res.body.message).toMatch(new RegExp(`^${field}: `))
    }
    expect(await snapshot(t.app)).toEqual(before)
  })
})

describe('a super-user, who sees every org', () => {
  it("cannot tie one org's resource to another org's credential or data set (400), and nothing is written", async () => {
    const { t, b, ids } = await twoOrgs()
    const key = b.admin.key
    const sourceB = await ok(t.call('POST', '/api/data_sources', { key, body: sourceBody() }))
    const setB = await ok(
      t.call('POST', '/api/data_sets', { key, body: { name: 's', data_source_id: sourceB.id } }),
    )
    const sinkB = await ok(t.call('POST', '/api/data_sinks', { key, body: sinkBody(setB.id) }))
    const before = await snapshot(t.app)
    const attempts: [string, string, object, string][] = [
      [
        'POST',
        '/api/data_sinks',
        sinkBody(setB.id, { data_credentials_id: ids.data_credentials }),
        'data_credentials_id',
      ],
      [
        'PUT',
        `/api/data_sinks/${sinkB.id}`,
        { data_credentials_id: ids.data_credentials },
        'data_credentials_id',
      ],
      [
        'PUT',
        `/api/data_sources/${sourceB.id}`,
        { data_credentials_id: ids.data_credentials },
        'data_credentials_id',
      ],
      ['PUT', `/api/data_sinks/${sinkB.id}`, { data_set_id: ids.data_sets }, 'data_set_id'],
    ]
    for (const [method, url, body, field] of attempts) {
      const res = await t.call(method, url, { body })
      expect(res.status, `${method} ${url}`).toBe(400)
      expect(res.body).toMatchObject({ status: 400, field, message: expect.stringContaining('same org') })
    }
    expect(await snapshot(t.app)).toEqual(before)
  })
})
