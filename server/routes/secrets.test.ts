import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, makeApp } from '../test-support/app.js'
import { ok, sinkBody, sourceBody } from '../test-support/fixtures.js'

const SECRET = 'hunter2-very-secret-value'
const NEW_SECRET = 'correct-horse-battery-staple'

describe('data credentials secrets', () => {
  it('appear in no response: create, get, list, update, the resources using them, errors, flow reads', async () => {
    const t = await makeApp()
    const seen: string[] = []
    const raw = async (method: string, url: string, body?: object, expected?: number) => {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        ...(body && { payload: body }),
      })
      if (expected !== undefined) expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(expected)
      seen.push(`${method} ${url} ${res.statusCode} ${JSON.stringify(res.headers)} ${res.body}`)
      return res.body ? JSON.parse(res.body) : undefined
    }

    const cred = await raw(
      'POST',
      '/api/data_credentials',
      {
        name: 'db',
        credentials_type: 'basic',
        credentials: { username: 'u', password: SECRET, nested: { k: SECRET } },
      },
      200,
    )
    expect(cred).not.toHaveProperty('credentials')
    await raw('GET', `/api/data_credentials/${cred.id}`, undefined, 200)
    await raw('GET', '/api/data_credentials', undefined, 200)
    await raw('PUT', `/api/data_credentials/${cred.id}`, { name: 'db2' }, 200)
    await raw('PUT', `/api/data_credentials/${cred.id}`, { credentials: { password: NEW_SECRET } }, 200)
    await raw(
      'PUT',
      `/api/data_credentials/${cred.id}`,
      { credentials: { password: SECRET }, colour: 'x' },
      400,
    )
    await raw(
      'POST',
      '/api/data_credentials',
      { name: '', credentials_type: 'basic', credentials: { p: SECRET } },
      400,
    )

    const source = await raw('POST', '/api/data_sources', sourceBody({ data_credentials_id: cred.id }), 200)
    const set = await raw('POST', '/api/data_sets', { name: 's', data_source_id: source.id }, 200)
    const sink = await raw('POST', '/api/data_sinks', sinkBody(set.id, { data_credentials_id: cred.id }), 200)
    for (const url of [
      `/api/data_sources/${source.id}`,
      '/api/data_sources',
      `/api/data_sinks/${sink.id}`,
      '/api/data_sinks',
    ])
      await raw('GET', url, undefined, 200)
    // Flow reads carry the flow's data_credentials in their flat arrays.
    for (const url of [
      `/api/data_sources/${source.id}/flow`,
      `/api/data_sinks/${sink.id}/flow`,
      `/api/flows/${source.flow_node_id}`,
      '/api/flows',
    ]) {
      const flow = await raw('GET', url, undefined, 200)
      expect(
        flow.data_credentials?.map((c: any) => c.id),
        url,
      ).toContain(cred.id)
    }
    await raw('DELETE', `/api/data_credentials/${cred.id}`, undefined, 409)

    for (const text of seen) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(NEW_SECRET)
    }
    // The secret is kept (connectors need it), just never read out.
    const row = await t.app.db.selectFrom('data_credentials').select('credentials').executeTakeFirstOrThrow()
    expect(JSON.parse(row.credentials)).toEqual({ password: NEW_SECRET })
  })

  it('changing the secret resets verified_status', async () => {
    const t = await makeApp()
    const cred = await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: 'c', credentials_type: 'basic', credentials: { p: 1 } },
      }),
    )
    await t.app.db.updateTable('data_credentials').set({ verified_status: 'VERIFIED' }).execute()
    const renamed = await ok(t.call('PUT', `/api/data_credentials/${cred.id}`, { body: { name: 'd' } }))
    expect(renamed.verified_status).toBe('VERIFIED')
    const changed = await ok(
      t.call('PUT', `/api/data_credentials/${cred.id}`, { body: { credentials: { p: 2 } } }),
    )
    expect(changed.verified_status).toBeNull()
  })
})
