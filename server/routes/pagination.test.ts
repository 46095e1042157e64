import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, makeApp, type TestApp } from '../test-support/app.js'
import { ok } from '../test-support/fixtures.js'

/** rel → { page, per_page, path, params } from an RFC 8288 Link header. */
function links(header: unknown) {
  expect(typeof header).toBe('string')
  const out: Record<string, { page: number; perPage: number; path: string; params: URLSearchParams }> = {}
  for (const part of (header as string).split(/,\s*/)) {
    const m = /^<([^>]+)>; rel="(\w+)"$/.exec(part)
    expect(m, part).not.toBeNull()
    const url = new URL(m![1]!, 'http://x')
    out[m![2]!] = {
      page: Number(url.searchParams.get('page')),
      perPage: Number(url.searchParams.get('per_page')),
      path: url.pathname,
      params: url.searchParams,
    }
  }
  return out
}

async function credentials(t: TestApp, n: number) {
  for (let i = 0; i < n; i++)
    await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: `c${i}`, credentials_type: 'basic', credentials: { password: 'pw' } },
      }),
    )
}

async function page(t: TestApp, query: string) {
  const res = await t.call('GET', `/api/data_credentials?${query}`)
  expect(res.status).toBe(200)
  const h = res.headers
  return {
    ids: (res.body as { id: number }[]).map((r) => r.id),
    total: Number(h['x-total-count']),
    current: Number(h['x-current-page']),
    count: Number(h['x-page-count']),
    pages: Number(h['x-total-page-count']),
    rels: links(h.link),
  }
}

describe('pagination', () => {
  it('pages an exact multiple of per_page, and answers a page beyond the last with an empty 200', async () => {
    const t = await makeApp()
    await credentials(t, 10)

    const p1 = await page(t, 'per_page=5')
    expect(p1).toMatchObject({ total: 10, current: 1, count: 5, pages: 2 })
    expect(Object.keys(p1.rels).sort()).toEqual(['first', 'last', 'next'])
    expect(p1.rels).toMatchObject({ first: { page: 1, perPage: 5 }, next: { page: 2 }, last: { page: 2 } })
    expect(p1.rels.first!.path).toBe('/api/data_credentials')

    const p2 = await page(t, 'per_page=5&page=2')
    expect(p2).toMatchObject({ total: 10, current: 2, count: 5, pages: 2 })
    expect(Object.keys(p2.rels).sort()).toEqual(['first', 'last', 'prev'])
    expect(p2.rels).toMatchObject({ first: { page: 1 }, prev: { page: 1 }, last: { page: 2 } })
    expect(new Set([...p1.ids, ...p2.ids]).size).toBe(10)
    expect([...p1.ids, ...p2.ids]).toEqual([...p1.ids, ...p2.ids].sort((a, b) => a - b))

    const p3 = await page(t, 'per_page=5&page=3')
    expect(p3).toMatchObject({ ids: [], total: 10, current: 3, count: 0, pages: 2 })
    expect(p3.rels.next).toBeUndefined()
    expect(p3.rels).toMatchObject({ first: { page: 1 }, prev: { page: 2 }, last: { page: 2 } })
  })

  it('adds a page for one item past a multiple', async () => {
    const t = await makeApp()
    await credentials(t, 11)
    const p2 = await page(t, 'per_page=5&page=2')
    expect(p2).toMatchObject({ total: 11, count: 5, pages: 3 })
    expect(p2.rels).toMatchObject({ prev: { page: 1 }, next: { page: 3 }, last: { page: 3 } })
    const p3 = await page(t, 'per_page=5&page=3')
    expect(p3).toMatchObject({ total: 11, current: 3, count: 1, pages: 3 })
    expect(p3.rels.next).toBeUndefined()
    expect(p3.rels).toMatchObject({ prev: { page: 2 }, last: { page: 3 } })
  })

  it('defaults to page 1 of 100 and reports one page when empty', async () => {
    const t = await makeApp()
    const empty = await page(t, '')
    expect(empty).toMatchObject({ ids: [], total: 0, current: 1, count: 0, pages: 1 })
    expect(Object.keys(empty.rels).sort()).toEqual(['first', 'last'])
    expect(empty.rels.first!.perPage).toBe(100)
    await credentials(t, 3)
    expect(await page(t, '')).toMatchObject({ total: 3, count: 3, pages: 1 })
  })

  it('never puts the api_key into the Link header, and keeps the other query parameters', async () => {
    const t = await makeApp()
    await credentials(t, 3)
    const res = await t.call(
      'GET',
      `/api/data_credentials?api_key=${ADMIN_KEY}&per_page=1&page=2&sort=name`,
      {
        key: null,
      },
    )
    expect(res.status).toBe(200)
    const link = res.headers.link as string
    expect(link).not.toContain(ADMIN_KEY)
    expect(link).not.toMatch(/api_key/i)
    const rels = links(link)
    expect(Object.keys(rels).sort()).toEqual(['first', 'last', 'next', 'prev'])
    for (const rel of Object.values(rels)) expect(rel.params.get('sort')).toBe('name')
  })

  it('sends the headers on every list route', async () => {
    const t = await makeApp()
    for (const url of [
      '/api/data_credentials',
      '/api/data_sources',
      '/api/data_sets',
      '/api/data_sinks',
      '/api/users',
      '/api/orgs',
    ]) {
      const res = await t.call('GET', `${url}?per_page=1`)
      expect(res.status, url).toBe(200)
      for (const h of ['x-total-count', 'x-current-page', 'x-page-count', 'x-total-page-count', 'link'])
        expect(res.headers[h], `${url} ${h}`).toBeDefined()
    }
    const users = await t.call('GET', '/api/users?per_page=1')
    expect(users.headers['x-total-count']).toBe('1')
  })
})
