import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, makeApp } from '../test-support/app.js'
import { ok } from '../test-support/fixtures.js'

const base64 = (s: string) => Buffer.from(s).toString('base64')

describe('authentication', () => {
  it('accepts the key as Bearer, as x-api-key and as ?api_key', async () => {
    const { call } = await makeApp()
    const forms = [
      call('GET', '/api/me', { key: null, headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
      call('GET', '/api/me', { key: null, headers: { 'x-api-key': ADMIN_KEY } }),
      call('GET', `/api/me?api_key=${encodeURIComponent(ADMIN_KEY)}`, { key: null }),
    ]
    for (const res of await Promise.all(forms)) {
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ id: 1, role: 'super_user' })
    }
  })

  it('answers a missing key with 401 and the JSON error shape', async () => {
    const { call } = await makeApp()
    for (const url of ['/api/me', '/api/data_sources', '/api/users']) {
      const res = await call('GET', url, { key: null })
      expect(res.status).toBe(401)
      expect(res.headers['content-type']).toMatch(/application\/json/)
      expect(res.body).toEqual({ status: 401, message: expect.any(String) })
      expect(res.body.message).not.toBe('')
    }
  })

  it('answers a wrong key with 401 in every form', async () => {
    const { call } = await makeApp()
    const wrong = `${ADMIN_KEY}x`
    const forms = [
      call('GET', '/api/me', { key: wrong }),
      call('GET', '/api/me', { key: null, headers: { 'x-api-key': wrong } }),
      call('GET', `/api/me?api_key=${wrong}`, { key: null }),
      call('GET', '/api/me?api_key=', { key: null }),
      call('GET', '/api/me', { key: null, headers: { authorization: 'Bearer' } }),
      // Basic is for POST /api/token only.
      call('GET', '/api/me', { key: null, headers: { authorization: `Basic ${ADMIN_KEY}` } }),
    ]
    for (const res of await Promise.all(forms)) {
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ status: 401, message: expect.any(String) })
    }
  })

  it('answers a revoked API key with 401', async () => {
    const { call, userWithRole } = await makeApp()
    const user = await userWithRole('operator')
    const keys = await ok(call('GET', `/api/users/${user.userId}/api_keys`))
    expect(keys).toHaveLength(1)
    await ok(call('DELETE', `/api/users/${user.userId}/api_keys/${keys[0].id}`))
    expect((await call('GET', '/api/me', { key: user.key })).status).toBe(401)
  })

  it('needs no key for /api/health and /api/openapi.json', async () => {
    const { call } = await makeApp()
    expect((await call('GET', '/api/health', { key: null })).status).toBe(200)
    expect((await call('GET', '/api/openapi.json', { key: null })).status).toBe(200)
  })
})

describe('access tokens', () => {
  it('exchanges Basic <key> and Basic base64(key) for a Bearer token that works', async () => {
    const { call } = await makeApp()
    for (const credentials of [ADMIN_KEY, base64(ADMIN_KEY), base64(`${ADMIN_KEY}:`)]) {
      const res = await call('POST', '/api/token', {
        key: null,
        headers: { authorization: `Basic ${credentials}` },
      })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
      })
      expect(res.body.expires_in).toBeGreaterThan(0)
      expect(res.body.access_token).not.toBe(ADMIN_KEY)
      const me = await call('GET', '/api/me', { key: res.body.access_token })
      expect(me.status).toBe(200)
      expect(me.body.id).toBe(1)
    }
  })

  it('refuses a missing, malformed or unknown Basic credential with 401', async () => {
    const { call } = await makeApp()
    const headers: Record<string, string>[] = [
      {},
      { authorization: 'Basic ' },
      { authorization: 'Basic %%%' },
      { authorization: `Basic ${base64('fc_not_a_key')}` },
      { authorization: `Bearer ${ADMIN_KEY}` },
    ]
    for (const h of headers) {
      const res = await call('POST', '/api/token', { key: null, headers: h })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ status: 401, message: expect.stringContaining('Basic') })
    }
  })

  it('does not let an access token mint another token', async () => {
    const { call } = await makeApp()
    const token = await ok(
      call('POST', '/api/token', { key: null, headers: { authorization: `Basic ${ADMIN_KEY}` } }),
    )
    const res = await call('POST', '/api/token', {
      key: null,
      headers: { authorization: `Basic ${token.access_token}` },
    })
    expect(res.status).toBe(401)
  })

  it('revokes the token on logout, after which it is a 401; the API key still works', async () => {
    const { call } = await makeApp()
    const { access_token } = await ok(
      call('POST', '/api/token', { key: null, headers: { authorization: `Basic ${ADMIN_KEY}` } }),
    )
    const out = await call('POST', '/api/token/logout', { key: access_token })
    expect(out.status).toBe(200)
    expect(out.body).toEqual({ status: 200, message: 'Ok' })
    expect((await call('GET', '/api/me', { key: access_token })).status).toBe(401)
    expect((await call('POST', '/api/token/logout', { key: access_token })).status).toBe(401)
    expect((await call('GET', '/api/me')).status).toBe(200)
  })

  it('refuses logout with an API key (400) and leaves the key working', async () => {
    const { call } = await makeApp()
    const res = await call('POST', '/api/token/logout')
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ status: 400, message: expect.stringContaining('token') })
    expect((await call('GET', '/api/me')).status).toBe(200)
  })

  it('answers an expired token with 401', async () => {
    const { app, call } = await makeApp()
    const { access_token } = await ok(
      call('POST', '/api/token', { key: null, headers: { authorization: `Basic ${ADMIN_KEY}` } }),
    )
    await app.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('kind', '=', 'access_token')
      .execute()
    expect((await call('GET', '/api/me', { key: access_token })).status).toBe(401)
  })
})

describe('key storage', () => {
  it('stores API keys and tokens only as SHA-256 hashes, in the table and in the database files', async () => {
    const { app, call, dataDir } = await makeApp()
    const created = await ok(call('POST', '/api/users/1/api_keys'))
    const { access_token } = await ok(
      call('POST', '/api/token', { key: null, headers: { authorization: `Basic ${created.api_key}` } }),
    )
    const secrets = [ADMIN_KEY, created.api_key as string, access_token as string]
    const rows = await app.db.selectFrom('api_keys').selectAll().execute()
    expect(rows).toHaveLength(3)
    const text = JSON.stringify(rows)
    for (const s of secrets) {
      expect(text).not.toContain(s)
      const hash = crypto.createHash('sha256').update(s).digest('hex')
      expect(rows.filter((r) => r.key_hash === hash)).toHaveLength(1)
    }
    // The raw bytes of the SQLite files (main and write-ahead log) hold no key either.
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('flow-console.sqlite'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dataDir, f)).toString('latin1')
      for (const s of secrets) expect(bytes).not.toContain(s)
    }
  })
})
