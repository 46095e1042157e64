import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'
import { buildFlow, newOrg, ok, sinkBody, snapshot, sourceBody } from '../test-support/fixtures.js'

describe('GET /api/me', () => {
  it('returns the caller with its org', async () => {
    const t = await makeApp()
    const { call, userWithRole } = t
    const orgB = await newOrg(t)
    const viewer = await userWithRole('viewer', orgB)
    const me = await ok(call('GET', '/api/me', { key: viewer.key }))
    expect(me).toEqual({
      id: viewer.userId,
      org_id: orgB,
      email: expect.stringContaining('@example.com'),
      name: expect.any(String),
      role: 'viewer',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      org: { id: orgB, name: 'Org B', created_at: expect.any(String), updated_at: expect.any(String) },
    })
  })
})

describe('roles', () => {
  it('a viewer reads but cannot create resources (403 naming the role needed) and nothing is written', async () => {
    const t = await makeApp()
    const { source, set } = await buildFlow(t)
    const viewer = await t.userWithRole('viewer')
    expect((await t.call('GET', '/api/data_sources', { key: viewer.key })).status).toBe(200)
    expect((await t.call('GET', `/api/data_sets/${set.id}`, { key: viewer.key })).status).toBe(200)
    const before = await snapshot(t.app)
    const attempts: [string, object][] = [
      ['/api/data_sources', sourceBody()],
      ['/api/data_sets', { name: 'x', data_source_id: source.id }],
      ['/api/data_sinks', sinkBody(set.id)],
      ['/api/data_credentials', { name: 'c', credentials_type: 'basic', credentials: { password: 'p' } }],
    ]
    for (const [url, body] of attempts) {
      const res = await t.call('POST', url, { key: viewer.key, body })
      expect(res.status, url).toBe(403)
      expect(res.body).toEqual({ status: 403, message: expect.stringMatching(/Admin role/) })
    }
    for (const action of ['activate', 'pause']) {
      const res = await t.call('PUT', `/api/data_sources/${source.id}/${action}`, { key: viewer.key })
      expect(res.status).toBe(403)
      expect(res.body.message).toMatch(/Operator role/)
    }
    expect(
      (await t.call('PUT', `/api/data_sets/${set.id}`, { key: viewer.key, body: { name: 'n' } })).status,
    ).toBe(403)
    expect((await t.call('DELETE', `/api/data_sets/${set.id}`, { key: viewer.key })).status).toBe(403)
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('an operator activates and pauses but cannot create, edit or delete what it does not own', async () => {
    const t = await makeApp()
    const { source } = await buildFlow(t)
    const operator = await t.userWithRole('operator')
    const activated = await ok(
      t.call('PUT', `/api/data_sources/${source.id}/activate`, { key: operator.key }),
    )
    expect(activated.status).toBe('ACTIVE')
    const paused = await ok(t.call('PUT', `/api/data_sources/${source.id}/pause`, { key: operator.key }))
    expect(paused.status).toBe('PAUSED')
    expect(
      (await t.call('POST', '/api/data_sources', { key: operator.key, body: sourceBody() })).status,
    ).toBe(403)
    const edit = await t.call('PUT', `/api/data_sources/${source.id}`, {
      key: operator.key,
      body: { name: 'n' },
    })
    expect(edit.status).toBe(403)
    expect(edit.body.message).toMatch(/Admin role or ownership/)
    expect((await t.call('DELETE', `/api/data_sources/${source.id}`, { key: operator.key })).status).toBe(403)
  })

  it('an operator cannot create users (403)', async () => {
    const t = await makeApp()
    const operator = await t.userWithRole('operator')
    const before = await snapshot(t.app)
    const res = await t.call('POST', '/api/users', {
      key: operator.key,
      body: { email: 'new@example.com', name: 'New', role: 'viewer' },
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ status: 403, message: expect.stringMatching(/Admin role/) })
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('an admin creates users in its own org only', async () => {
    const t = await makeApp()
    const orgB = await newOrg(t)
    const admin = await t.userWithRole('admin')
    const implicit = await ok(
      t.call('POST', '/api/users', {
        key: admin.key,
        body: { email: 'a@example.com', name: 'A', role: 'operator' },
      }),
    )
    expect(implicit).toMatchObject({ org_id: admin.orgId, role: 'operator', email: 'a@example.com' })
    const explicit = await ok(
      t.call('POST', '/api/users', {
        key: admin.key,
        body: { email: 'b@example.com', name: 'B', role: 'admin', org_id: admin.orgId },
      }),
    )
    expect(explicit.org_id).toBe(admin.orgId)

    const before = await snapshot(t.app)
    const elsewhere = await t.call('POST', '/api/users', {
      key: admin.key,
      body: { email: 'c@example.com', name: 'C', role: 'viewer', org_id: orgB },
    })
    expect(elsewhere.status).toBe(404)
    expect(elsewhere.body.message).toContain('org_id')
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('an admin cannot create a super-user', async () => {
    const t = await makeApp()
    const admin = await t.userWithRole('admin')
    const before = await snapshot(t.app)
    const res = await t.call('POST', '/api/users', {
      key: admin.key,
      body: { email: 'su@example.com', name: 'Su', role: 'super_user' },
    })
    expect(res.status).toBe(403)
    expect(res.body.message).toMatch(/super-user/)
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('refuses a second user with the same email, whatever its case (409)', async () => {
    const t = await makeApp()
    await ok(t.call('POST', '/api/users', { body: { email: 'x@example.com', name: 'X', role: 'viewer' } }))
    const res = await t.call('POST', '/api/users', {
      body: { email: 'X@Example.com', name: 'X', role: 'viewer' },
    })
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({ status: 409, field: 'email' })
  })
})

describe('orgs', () => {
  it('a super-user creates orgs; an admin cannot, and sees only its own', async () => {
    const t = await makeApp()
    const org = await ok(t.call('POST', '/api/orgs', { body: { name: 'Acme' } }))
    expect(org).toEqual({
      id: expect.any(Number),
      name: 'Acme',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
    const admin = await t.userWithRole('admin', org.id)
    const before = await snapshot(t.app)
    const res = await t.call('POST', '/api/orgs', { key: admin.key, body: { name: 'Mine' } })
    expect(res.status).toBe(403)
    expect(res.body.message).toMatch(/Super-user role/)
    expect(await snapshot(t.app)).toEqual(before)

    const all = await ok(t.call('GET', '/api/orgs'))
    expect(all.map((o: any) => o.id)).toEqual([1, org.id])
    const own = await ok(t.call('GET', '/api/orgs', { key: admin.key }))
    expect(own.map((o: any) => o.id)).toEqual([org.id])
    const users = await ok(t.call('GET', '/api/users', { key: admin.key }))
    expect(users.map((u: any) => u.id)).toEqual([admin.userId])
  })
})

describe('API keys', () => {
  it('POST /api/users/{id}/api_keys returns {id, api_key, created_at} once, and the key works', async () => {
    const t = await makeApp()
    const admin = await t.userWithRole('admin')
    const user = await ok(
      t.call('POST', '/api/users', {
        key: admin.key,
        body: { email: 'k@example.com', name: 'K', role: 'viewer' },
      }),
    )
    const created = await ok(t.call('POST', `/api/users/${user.id}/api_keys`, { key: admin.key }))
    expect(Object.keys(created).sort()).toEqual(['api_key', 'created_at', 'id'])
    // At least 32 random bytes: 43 base64url characters after the prefix.
    expect(created.api_key.length).toBeGreaterThanOrEqual(43)
    const me = await ok(t.call('GET', '/api/me', { key: created.api_key }))
    expect(me).toMatchObject({ id: user.id, role: 'viewer' })
    const listed = await ok(t.call('GET', `/api/users/${user.id}/api_keys`, { key: admin.key }))
    expect(listed).toEqual([{ id: created.id, created_at: created.created_at, revoked_at: null }])
    expect(JSON.stringify(listed)).not.toContain(created.api_key)
  })

  it('anyone manages their own keys; only admins manage other users keys', async () => {
    const t = await makeApp()
    const operator = await t.userWithRole('operator')
    const other = await t.userWithRole('viewer')
    expect(
      (await t.call('POST', `/api/users/${operator.userId}/api_keys`, { key: operator.key })).status,
    ).toBe(200)
    const res = await t.call('POST', `/api/users/${other.userId}/api_keys`, { key: operator.key })
    expect(res.status).toBe(403)
  })

  it('an admin cannot mint or revoke the keys of a super-user (that would make it one)', async () => {
    const t = await makeApp()
    const admin = await t.userWithRole('admin')
    const before = await snapshot(t.app)
    const mint = await t.call('POST', '/api/users/1/api_keys', { key: admin.key })
    expect(mint.status).toBe(403)
    expect(mint.body.message).toMatch(/super-user/)
    expect((await t.call('DELETE', '/api/users/1/api_keys/1', { key: admin.key })).status).toBe(403)
    expect(await snapshot(t.app)).toEqual(before)
  })

  it("another org's user is a 404 for key routes", async () => {
    const t = await makeApp()
    const orgB = await newOrg(t)
    const adminB = await t.userWithRole('admin', orgB)
    const userA = await t.userWithRole('viewer')
    for (const [method, url] of [
      ['POST', `/api/users/${userA.userId}/api_keys`],
      ['GET', `/api/users/${userA.userId}/api_keys`],
      ['DELETE', `/api/users/${userA.userId}/api_keys/1`],
    ] as const) {
      const res = await t.call(method, url, { key: adminB.key })
      expect(res.status, `${method} ${url}`).toBe(404)
    }
  })
})
