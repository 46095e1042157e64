import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok, newOrg } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import { eventually, ids, makeRunApp, readSink, runToEnd, writeInput } from '../test-support/runs.js'
import type { TestApp } from '../test-support/app.js'

const shape = { name: 'Orders', sets: { all: null }, sinks: { archive: 'all' } }

async function activeFlow(t: TestApp, type: 'batch' | 'streaming' = 'batch') {
  const f = await buildFlow(t, shape)
  fs.mkdirSync(path.join(t.filesDir, 'Orders/in'), { recursive: true })
  await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: type } }))
  await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
  return f
}

const future = () => String(Math.floor(Date.now() / 1000) + 3600)

describe('canonical run routes', () => {
  it('POST starts a run of the flow any node id belongs to; ?await=true answers when it ends', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    writeInput(t, 'Orders/in/a.ndjson', ids(20))
    const started = await t.call('POST', `/api/flows/${f.nodes.all}/runs`)
    expect(started.status).toBe(200)
    expect(started.body).toMatchObject({ flow_id: f.originId, trigger: 'api', params: {}, error: null })
    expect(started.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(['Pending', 'Running', 'Succeeded']).toContain(started.body.status)
    const done = await eventually(async () => {
      const r = await t.call('GET', `/api/runs/${started.body.id}`)
      expect(r.body.status).toBe('Succeeded')
      return r.body
    })
    expect(done.started_at).toBeTruthy()
    expect(done.completed_at).toBeTruthy()
    expect(done.metrics).toMatchObject({
      records_read: 20,
      records_written: 20,
      files_read: 1,
      files_written: 1,
    })
    expect(done.metrics.by_resource).toEqual([
      {
        resource_type: 'data_source',
        resource_id: f.sourceId,
        records_in: 20,
        records_out: 20,
        records_failed: 0,
      },
      {
        resource_type: 'data_set',
        resource_id: f.sets.all,
        records_in: 20,
        records_out: 20,
        records_failed: 0,
      },
      {
        resource_type: 'data_sink',
        resource_id: f.sinks.archive,
        records_in: 20,
        records_out: 20,
        records_failed: 0,
      },
    ])
    writeInput(t, 'Orders/in/b.ndjson', ids(5, 20))
    const awaited = await runToEnd(t, f.originId)
    expect(awaited).toMatchObject({ status: 'Succeeded', metrics: { records_read: 5, records_written: 5 } })
    expect(readSink(t, 'out/archive').map((r) => r.id)).toEqual(ids(25).map((r) => r.id))
  })

  it('lists a flow’s runs newest first with pagination headers', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const made = []
    for (let i = 0; i < 3; i++) made.push((await runToEnd(t, f.originId)).id)
    const page = await t.call('GET', `/api/flows/${f.originId}/runs?per_page=2`)
    expect(page.status).toBe(200)
    expect(page.body.map((r: any) => r.id)).toEqual([made[2], made[1]])
    expect(page.headers['x-total-count']).toBe('3')
    expect(page.headers['x-total-page-count']).toBe('2')
    expect(page.headers['x-current-page']).toBe('1')
    expect(page.headers['x-page-count']).toBe('2')
    expect(page.headers.link).toContain('rel="next"')
    const second = await t.call('GET', `/api/flows/${f.originId}/runs?per_page=2&page=2`)
    expect(second.body.map((r: any) => r.id)).toEqual([made[0]])
  })

  it('GET /api/runs/{id} carries an ETag; If-None-Match gives 304 until the run changes', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const run = await runToEnd(t, f.originId)
    const first = await t.call('GET', `/api/runs/${run.id}`)
    expect(first.headers.etag).toBeTruthy()
    const again = await t.call('GET', `/api/runs/${run.id}`, {
      headers: { 'if-none-match': String(first.headers.etag) },
    })
    expect(again.status).toBe(304)
    expect((await t.call('GET', '/api/runs/not-a-uuid')).status).toBe(400)
    expect((await t.call('GET', `/api/runs/${crypto.randomUUID()}`)).status).toBe(404)
  })

  it('cancels a Pending run at once and answers 409 for a run that has ended', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const waiting = await t.call('POST', `/api/flows/${f.originId}/runs`, {
      body: { params: { startTime: future() } },
    })
    expect(waiting.body.status).toBe('Pending')
    const cancelled = await t.call('PUT', `/api/runs/${waiting.body.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ status: 'Cancelled', error: { code: 'CANCELLED' } })
    const again = await t.call('PUT', `/api/runs/${waiting.body.id}/cancel`)
    expect(again.status).toBe(409)
    expect(again.body.message).toMatch(/already ended/)
  })

  it('a run on a flow whose source is not ACTIVE is a 409; nothing is created', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, shape)
    const res = await t.call('POST', `/api/flows/${f.originId}/runs`)
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({ status: 409, data_source_status: 'INIT' })
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    await ok(t.call('PUT', `/api/flows/${f.originId}/pause`))
    expect((await t.call('POST', `/api/flows/${f.originId}/runs`)).status).toBe(409)
    expect((await t.call('GET', `/api/flows/${f.originId}/runs`)).body).toEqual([])
  })

  it('runs wait their turn: one at a time per flow, in creation order', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    writeInput(t, 'Orders/in/a.ndjson', ids(3000))
    const a = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    const b = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    const c = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    const runs = await eventually(async () => {
      const list = (await t.call('GET', `/api/flows/${f.originId}/runs`)).body
      expect(list.every((r: any) => r.status === 'Succeeded')).toBe(true)
      return list
    })
    const byId = new Map(runs.map((r: any) => [r.id, r]))
    const [ra, rb, rc] = [a, b, c].map((r) => byId.get(r.id) as any)
    expect(ra.completed_at <= rb.started_at).toBe(true)
    expect(rb.completed_at <= rc.started_at).toBe(true)
    expect(ra.metrics.records_read).toBe(3000)
    expect(rb.metrics.records_read + rc.metrics.records_read).toBe(0)
  })

  it('needs the operator role to run or cancel; viewers read; another org gets 404 everywhere', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const viewer = await t.userWithRole('viewer')
    const operator = await t.userWithRole('operator')
    const denied = await t.call('POST', `/api/flows/${f.originId}/runs`, { key: viewer.key })
    expect(denied.status).toBe(403)
    expect(denied.body.message).toMatch(/Operator role required/)
    const run = await runToEnd(t, f.originId, undefined, operator.key)
    expect((await t.call('GET', `/api/runs/${run.id}`, { key: viewer.key })).status).toBe(200)
    expect((await t.call('GET', `/api/flows/${f.originId}/runs`, { key: viewer.key })).body).toHaveLength(1)
    const pending = await t.call('POST', `/api/flows/${f.originId}/runs`, {
      key: operator.key,
      body: { params: { startTime: future() } },
    })
    expect((await t.call('PUT', `/api/runs/${pending.body.id}/cancel`, { key: viewer.key })).status).toBe(403)

    const other = await t.userWithRole('admin', await newOrg(t))
    expect((await t.call('POST', `/api/flows/${f.originId}/runs`, { key: other.key })).status).toBe(404)
    expect((await t.call('GET', `/api/flows/${f.originId}/runs`, { key: other.key })).status).toBe(404)
    expect((await t.call('GET', `/api/runs/${run.id}`, { key: other.key })).status).toBe(404)
    expect((await t.call('PUT', `/api/runs/${pending.body.id}/cancel`, { key: other.key })).status).toBe(404)
    expect((await t.call('GET', `/api/runs/${run.id}/errors`, { key: other.key })).status).toBe(404)
    expect(
      (await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start`, { key: other.key })).status,
    ).toBe(404)
    expect(
      (await t.call('GET', `/api/runs?property=flowId==${f.originId}`, { key: other.key })).body.items,
    ).toEqual([])
  })

  it('deleting a flow removes its runs', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const run = await runToEnd(t, f.originId)
    await ok(t.call('PUT', `/api/flows/${f.originId}/pause`))
    await ok(t.call('DELETE', `/api/flows/${f.originId}`))
    expect((await t.call('GET', `/api/runs/${run.id}`)).status).toBe(404)
    expect((await t.call('GET', '/api/runs')).body.items).toEqual([])
  })

  it('documents every run route in /api/openapi.json', async () => {
    const t = await makeRunApp()
    const doc = (await t.call('GET', '/api/openapi.json', { key: null })).body
    for (const [p, method] of [
      ['/api/flows/{id}/runs', 'post'],
      ['/api/flows/{id}/runs', 'get'],
      ['/api/runs/{run_id}', 'get'],
      ['/api/runs/{run_id}/cancel', 'put'],
      ['/api/runs/{run_id}/errors', 'get'],
      ['/api/pub/v1/dataflows/{flow_id}/start', 'post'],
      ['/api/pub/v1/dataflows/{flow_id}/runs/{runId}/status', 'get'],
      ['/api/runs', 'post'],
      ['/api/runs', 'get'],
    ] as const) {
      expect(doc.paths[p]?.[method], `${method} ${p}`).toBeTruthy()
      expect(doc.paths[p][method].responses['200'], `${method} ${p}`).toBeTruthy()
    }
  })
})

describe('run params (seed 004 rules)', () => {
  it('rejects bad params with 400 naming the field', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const post = (params: unknown) => t.call('POST', `/api/flows/${f.originId}/runs`, { body: { params } })
    for (const [params, field] of [
      [{ windowStartTime: 'yesterday' }, 'params.windowStartTime'],
      [{ windowStartTime: -5 }, 'params.windowStartTime'],
      [{ windowStartTime: '200', windowEndTime: 100 }, 'params.windowEndTime'],
      [{ deltaColumn: { name: '' } }, 'params.deltaColumn.name'],
      [{ deltaColumn: 'DOB' }, 'params.deltaColumn'],
      [{ colour: 'red' }, 'params.colour'],
    ] as const) {
      const res = await post(params)
      expect(res.status, JSON.stringify(params)).toBe(400)
      expect(res.body.field, JSON.stringify(res.body)).toBe(field)
    }
    expect((await t.call('GET', `/api/flows/${f.originId}/runs`)).body).toEqual([])
  })

  it('fixes deltaColumn with the first run that gives it: the same again is fine, another is 400', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const post = (params: unknown) =>
      t.call('POST', `/api/runs`, { body: { flowId: String(f.originId), params } })
    expect((await post({ windowStartTime: '1', windowEndTime: 2 })).status).toBe(200)
    expect((await post({ deltaColumn: { name: 'updated_at' } })).status).toBe(200)
    expect((await post({ deltaColumn: { name: 'updated_at' } })).status).toBe(200)
    const changed = await post({ deltaColumn: { name: 'DOB' } })
    expect(changed.status).toBe(400)
    expect(changed.body.field).toBe('params.deltaColumn.name')
    expect(changed.body.message).toMatch(/updated_at/)
  })

  it('startTime: the run stays Pending until then', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const soon = (Date.now() + 1500) / 1000
    const run = (
      await t.call('POST', `/api/flows/${f.originId}/runs`, { body: { params: { startTime: soon } } })
    ).body
    await new Promise((r) => setTimeout(r, 500))
    expect((await t.call('GET', `/api/runs/${run.id}`)).body.status).toBe('Pending')
    const done = await eventually(async () => {
      const r = (await t.call('GET', `/api/runs/${run.id}`)).body
      expect(r.status).toBe('Succeeded')
      return r
    })
    expect(Date.parse(done.started_at)).toBeGreaterThanOrEqual(Math.floor(soon * 1000))
  })

  it('a window without a delta column takes files by modification time; the rest stays for later runs', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    writeInput(t, 'Orders/in/old.ndjson', ids(3), new Date('2020-01-01T00:00:00Z'))
    writeInput(t, 'Orders/in/new.ndjson', ids(2, 3), new Date('2024-01-01T00:00:00Z'))
    const windowed = await runToEnd(t, f.originId, {
      windowStartTime: String(Date.parse('2023-01-01T00:00:00Z') / 1000),
      windowEndTime: Date.parse('2025-01-01T00:00:00Z') / 1000,
    })
    expect(windowed.metrics.records_read).toBe(2)
    expect(readSink(t, 'out/archive').map((r) => r.id)).toEqual([3, 4])
    const rest = await runToEnd(t, f.originId)
    expect(rest.metrics.records_read).toBe(3)
    expect(
      readSink(t, 'out/archive')
        .map((r) => r.id)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4])
  })

  it('a window on the delta column reads only its records; later runs get the others, never twice', async () => {
    const t = await makeRunApp()
    const f = await activeFlow(t)
    const at = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString()
    writeInput(t, 'Orders/in/a.ndjson', [
      ...Array.from({ length: 10 }, (_, i) => ({ id: i, updated: at(i) })),
      { id: 10 },
    ])
    const day = (i: number) => Date.UTC(2024, 0, 1 + i) / 1000
    const w1 = await runToEnd(t, f.originId, {
      deltaColumn: { name: 'updated' },
      windowStartTime: day(2),
      windowEndTime: day(5),
    })
    expect(w1.metrics.records_read).toBe(3)
    expect(readSink(t, 'out/archive').map((r) => r.id)).toEqual([2, 3, 4])
    // Overlapping window: only what is new in it.
    const w2 = await runToEnd(t, f.originId, { windowStartTime: day(4), windowEndTime: day(7) })
    expect(w2.metrics.records_read).toBe(2)
    const all = await runToEnd(t, f.originId)
    expect(all.metrics.records_read).toBe(6)
    expect(
      readSink(t, 'out/archive')
        .map((r) => r.id)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect((await runToEnd(t, f.originId)).metrics.records_read).toBe(0)
  })
})
