import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'
import { buildFlow, demoShape, statuses, statusesOf } from '../test-support/flows.js'

const all = (value: string, keys: string[]) => Object.fromEntries(keys.map((k) => [k, value]))

describe('flow control (seed 000 examples)', () => {
  it('activating from the data source activates the whole flow', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const res = await t.call('PUT', `/api/data_sources/${f.sourceId}/flow/activate`)
    expect(res.status).toBe(200)
    expect(res.body.flows[0].status).toBe('ACTIVE')
    expect(res.body.flows[0].children[0].data_sinks[0]).toMatchObject({
      id: f.sinks.archive,
      status: 'ACTIVE',
    })
    const s = await statuses(t, f.originId)
    expect(Object.values(s).every((v) => v === 'ACTIVE')).toBe(true)
    expect(statusesOf(res.body)).toEqual(s)
  })

  it('pausing from a data set pauses it, its derived sets and their sinks, and nothing else', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/data_sources/${f.sourceId}/flow/activate`)
    const res = await t.call('PUT', `/api/data_sets/${f.sets.large}/flow/pause`)
    expect(res.status).toBe(200)
    expect(await statuses(t, f.originId)).toEqual({
      [`source:${f.sourceId}`]: 'ACTIVE',
      [`set:${f.sets.orders}`]: 'ACTIVE',
      [`set:${f.sets.large}`]: 'PAUSED',
      [`set:${f.sets.eur}`]: 'PAUSED',
      [`set:${f.sets.summaries}`]: 'ACTIVE',
      [`sink:${f.sinks.archive}`]: 'ACTIVE',
      [`sink:${f.sinks.report}`]: 'PAUSED',
      [`sink:${f.sinks.finance}`]: 'PAUSED',
      [`sink:${f.sinks.dashboard}`]: 'ACTIVE',
    })
  })

  it('?all=1 and ?full_tree=1 from a downstream data set act on the entire flow', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    expect((await t.call('PUT', `/api/data_sets/${f.sets.eur}/flow/activate?all=1`)).status).toBe(200)
    let s = await statuses(t, f.originId)
    expect(s).toEqual(all('ACTIVE', Object.keys(s)))
    expect((await t.call('PUT', `/api/data_sinks/${f.sinks.finance}/flow/pause?full_tree=1`)).status).toBe(
      200,
    )
    s = await statuses(t, f.originId)
    expect(s).toEqual(all('PAUSED', Object.keys(s)))
  })

  it('controls from a flow node: the origin node is the whole flow, a data set node its downstream', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    expect((await t.call('PUT', `/api/flows/${f.originId}/activate`)).status).toBe(200)
    const res = await t.call('PUT', `/api/flows/${f.nodes.eur}/pause`)
    expect(res.status).toBe(200)
    const s = await statuses(t, f.originId)
    expect(s[`set:${f.sets.eur}`]).toBe('PAUSED')
    expect(s[`sink:${f.sinks.finance}`]).toBe('PAUSED')
    expect(s[`set:${f.sets.large}`]).toBe('ACTIVE')
    expect(s[`source:${f.sourceId}`]).toBe('ACTIVE')
  })

  it('a sink controls only itself', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/flows/${f.originId}/activate`)
    await t.call('PUT', `/api/data_sinks/${f.sinks.report}/flow/pause`)
    const s = await statuses(t, f.originId)
    expect(Object.entries(s).filter(([, v]) => v === 'PAUSED')).toEqual([
      [`sink:${f.sinks.report}`, 'PAUSED'],
    ])
  })

  it.each([
    ['data_flows/data_source/{source}', 'whole'],
    ['data_flows/{large}', 'large'],
    ['data_flows/data_sink/{report}', 'report'],
  ])('legacy PUT /api/%s/activate|pause behaves like the /flow route', async (path, expected) => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const url = `/api/${path.replace('{source}', String(f.sourceId)).replace('{large}', String(f.sets.large)).replace('{report}', String(f.sinks.report))}`
    const activated = await t.call('PUT', `${url}/activate`)
    expect(activated.status).toBe(200)
    expect(activated.body.flows).toHaveLength(1)
    const active = Object.entries(await statuses(t, f.originId))
      .filter(([, v]) => v === 'ACTIVE')
      .map(([k]) => k)
      .sort()
    const want = {
      whole: Object.keys(await statuses(t, f.originId)),
      large: [
        `set:${f.sets.large}`,
        `set:${f.sets.eur}`,
        `sink:${f.sinks.report}`,
        `sink:${f.sinks.finance}`,
      ],
      report: [`sink:${f.sinks.report}`],
    }[expected]!
    expect(active).toEqual([...want].sort())
    expect((await t.call('PUT', `${url}/pause`)).status).toBe(200)
    const stillActive = Object.values(await statuses(t, f.originId)).filter((v) => v === 'ACTIVE')
    expect(stillActive).toEqual([])
  })

  it('is idempotent: activating an active flow is a 200 no-op that keeps the ETag', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/flows/${f.originId}/activate`)
    const before = await t.call('GET', `/api/flows/${f.originId}`)
    const again = await t.call('PUT', `/api/flows/${f.originId}/activate`)
    expect(again.status).toBe(200)
    const after = await t.call('GET', `/api/flows/${f.originId}`)
    expect(after.headers.etag).toBe(before.headers.etag)
  })

  it('?dry_run=1 returns the scope and its active part and changes nothing', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/data_sinks/${f.sinks.report}/activate`)
    const before = await t.call('GET', `/api/flows/${f.originId}`)
    const res = await t.call('PUT', `/api/data_sets/${f.sets.large}/flow/pause?dry_run=1`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      scope: {
        data_sources: [],
        data_sets: [f.sets.large, f.sets.eur],
        data_sinks: [f.sinks.report, f.sinks.finance],
      },
      active: { data_sources: [], data_sets: [], data_sinks: [f.sinks.report] },
    })
    const del = await t.call('DELETE', `/api/data_sets/${f.sets.large}/flow?dry_run=1`)
    expect(del.body.scope.data_sets).toEqual([f.sets.large, f.sets.eur])
    const after = await t.call('GET', `/api/flows/${f.originId}`)
    expect(after.headers.etag).toBe(before.headers.etag)
    expect(after.body).toEqual(before.body)
  })

  it('activation validates the whole scope first: 422 lists every problem and nothing changes', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    // Two broken resources: a source with no path, a sink with no format.
    await t.call('PUT', `/api/data_sources/${f.sourceId}`, { body: { source_config: { format: 'ndjson' } } })
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}`, { body: { sink_config: { path: 'out/x' } } })
    const before = await statuses(t, f.originId)
    const res = await t.call('PUT', `/api/flows/${f.originId}/activate`)
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource_type: 'data_source',
          resource_id: f.sourceId,
          field: 'source_config.path',
        }),
        expect.objectContaining({
          resource_type: 'data_sink',
          resource_id: f.sinks.finance,
          field: 'sink_config.format',
        }),
      ]),
    )
    expect(res.body.message).toMatch(/2 problems/)
    expect(await statuses(t, f.originId)).toEqual(before)
    // A scope that does not include the broken resources still activates.
    expect((await t.call('PUT', `/api/data_sets/${f.sets.summaries}/flow/activate`)).status).toBe(200)
  })
})

describe('cached flows never go stale', () => {
  it('a resource edit after the flow was read and controlled is seen by the next control call', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('GET', `/api/flows/${f.originId}`)
    await t.call('PUT', `/api/flows/${f.originId}/pause?all=1`)
    // Break a sink through the resource route, not the flow routes.
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}`, { body: { sink_config: { path: 'out/x' } } })
    const res = await t.call('PUT', `/api/flows/${f.originId}/activate`)
    expect(res.status).toBe(422)
    expect(res.body.errors[0]).toMatchObject({ resource_id: f.sinks.finance })
    // A refused activation leaves the statuses as they were, in reads and in the next control call.
    const dry = await t.call('PUT', `/api/flows/${f.originId}/pause?dry_run=1`)
    expect(dry.body.active).toEqual({ data_sources: [], data_sets: [], data_sinks: [] })
    const single = await t.call('PUT', `/api/data_sinks/${f.sinks.report}/activate`)
    expect(single.status).toBe(200)
    const after = await t.call('PUT', `/api/data_sets/${f.sets.large}/flow/pause?dry_run=1`)
    expect(after.body.active.data_sinks).toEqual([f.sinks.report])
  })
})

describe('flow delete', () => {
  it('refuses with 405 and the active ids while anything in scope is ACTIVE, deleting nothing', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}/activate`)
    const before = await t.call('GET', `/api/flows/${f.originId}`)
    const res = await t.call('DELETE', `/api/data_sets/${f.sets.large}/flow`)
    expect(res.status).toBe(405)
    expect(res.body).toEqual({
      status: 405,
      message: 'Active flow resources must be paused before flow deletion',
      data_sources: [],
      data_sets: [],
      data_sinks: [f.sinks.finance],
    })
    expect((await t.call('GET', `/api/flows/${f.originId}`)).body).toEqual(before.body)
  })

  it('deletes downstream bottom-up and leaves the rest of the flow', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const res = await t.call('DELETE', `/api/data_sets/${f.sets.large}/flow`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 200,
      message: 'Ok',
      deleted: {
        data_sources: [],
        data_sets: [f.sets.large, f.sets.eur],
        data_sinks: [f.sinks.report, f.sinks.finance],
      },
    })
    const left = await t.call('GET', `/api/flows/${f.originId}`)
    expect(left.body.data_sets.map((s: any) => s.id).sort()).toEqual([f.sets.orders, f.sets.summaries].sort())
    expect((await t.call('GET', `/api/data_sets/${f.sets.eur}`)).status).toBe(404)
    expect((await t.call('GET', `/api/flows/${f.nodes.eur}`)).status).toBe(404)
  })

  it('deletes the entire flow from any node with ?all=1, and from the flow node', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const res = await t.call('DELETE', `/api/data_sinks/${f.sinks.finance}/flow?all=1`)
    expect(res.status).toBe(200)
    expect(res.body.deleted.data_sources).toEqual([f.sourceId])
    expect((await t.call('GET', `/api/flows/${f.originId}`)).status).toBe(404)
    const g = await buildFlow(t, demoShape)
    expect((await t.call('DELETE', `/api/flows/${g.originId}`)).status).toBe(200)
    const list = await t.call('GET', '/api/flows')
    expect(list.body.flows).toEqual([])
  })
})

describe('permissions and tenancy on flow routes', () => {
  it('viewer reads only; operator controls but cannot delete or edit; each denial names the role', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const viewer = await t.userWithRole('viewer')
    const operator = await t.userWithRole('operator')
    expect((await t.call('GET', `/api/flows/${f.originId}`, { key: viewer.key })).status).toBe(200)
    const denied = await t.call('PUT', `/api/flows/${f.originId}/pause`, { key: viewer.key })
    expect(denied.status).toBe(403)
    expect(denied.body.message).toMatch(/Operator role/)
    expect((await t.call('PUT', `/api/flows/${f.originId}/pause`, { key: operator.key })).status).toBe(200)
    const del = await t.call('DELETE', `/api/flows/${f.originId}`, { key: operator.key })
    expect(del.status).toBe(403)
    expect(del.body.message).toMatch(/Admin role/)
    const edit = await t.call('PUT', `/api/flows/${f.originId}`, { key: operator.key, body: { name: 'x' } })
    expect(edit.status).toBe(403)
    const copy = await t.call('POST', `/api/flows/${f.originId}/copy`, { key: operator.key, body: {} })
    expect(copy.status).toBe(403)
  })

  it("another org's flow is a 404 on every flow route", async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const org = await t.call('POST', '/api/orgs', { body: { name: 'Other' } })
    const other = await t.userWithRole('admin', org.body.id)
    const urls: [string, string][] = [
      ['GET', `/api/flows/${f.originId}`],
      ['GET', `/api/data_sets/${f.sets.large}/flow`],
      ['PUT', `/api/flows/${f.originId}/activate`],
      ['PUT', `/api/data_sinks/${f.sinks.report}/flow/pause`],
      ['PUT', `/api/data_flows/${f.sets.large}/pause`],
      ['DELETE', `/api/flows/${f.originId}?all=1`],
      ['POST', `/api/flows/${f.originId}/copy`],
    ]
    for (const [method, url] of urls) {
      const res = await t.call(method, url, { key: other.key, ...(method === 'POST' && { body: {} }) })
      expect([method, url, res.status]).toEqual([method, url, 404])
    }
    expect((await t.call('GET', '/api/flows', { key: other.key })).body.flows).toEqual([])
  })
})

describe('concurrency', () => {
  it('200 concurrent conflicting control calls serialize: each result follows from the previous one', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const targets = [
      `/api/data_sources/${f.sourceId}/flow`,
      `/api/data_sets/${f.sets.orders}/flow`,
      `/api/data_sets/${f.sets.large}/flow`,
      `/api/data_sets/${f.sets.eur}/flow`,
      `/api/data_sinks/${f.sinks.dashboard}/flow`,
      `/api/flows/${f.nodes.summaries}`,
    ]
    const calls = Array.from({ length: 200 }, (_, i) => {
      const action = (i * 7) % 3 === 0 ? 'activate' : 'pause'
      const target = targets[(i * 5 + 3) % targets.length]!
      return `${target}/${action}${i % 11 === 0 ? '?all=1' : ''}`
    })
    const completed: { url: string; state: Record<string, string> }[] = []
    await Promise.all(
      calls.map(async (url) => {
        const res = await t.call('PUT', url)
        expect(res.status).toBe(200)
        completed.push({ url, state: statusesOf(res.body) })
      }),
    )
    // Each call's reported state must be the previous call's state with only that call's scope changed.
    const dry = new Map<string, string[]>()
    for (const url of new Set(calls)) {
      const scope = (await t.call('PUT', `${url}${url.includes('?') ? '&' : '?'}dry_run=1`)).body.scope
      dry.set(url, [
        ...scope.data_sources.map((id: number) => `source:${id}`),
        ...scope.data_sets.map((id: number) => `set:${id}`),
        ...scope.data_sinks.map((id: number) => `sink:${id}`),
      ])
    }
    let state: Record<string, string> | undefined
    for (const c of completed) {
      const status = c.url.includes('/activate') ? 'ACTIVE' : 'PAUSED'
      const expected = { ...(state ?? c.state) }
      for (const key of dry.get(c.url)!) expected[key] = status
      if (state) expect(c.state).toEqual(expected)
      state = c.state
    }
    expect(await statuses(t, f.originId)).toEqual(state)
  })
})
