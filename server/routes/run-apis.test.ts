import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import { eventually, ids, makeRunApp, readSink, writeInput } from '../test-support/runs.js'
import type { TestApp } from '../test-support/app.js'

async function batchFlow(t: TestApp) {
  const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { archive: 'all' } })
  await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
  await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
  fs.mkdirSync(path.join(t.filesDir, 'Orders/in'), { recursive: true })
  return f
}

describe('execution API (seed 002)', () => {
  it('starts a run with the key as api_key or x-api-key, and reports its status', async () => {
    const t = await makeRunApp()
    const f = await batchFlow(t)
    writeInput(t, 'Orders/in/a.ndjson', ids(7))
    const operator = await t.userWithRole('operator')
    const started = await t.call(
      'POST',
      `/api/pub/v1/dataflows/${f.originId}/start?api_key=${operator.key}`,
      {
        key: null,
      },
    )
    expect(started.status).toBe(200)
    expect(Object.keys(started.body).sort()).toEqual(['runId', 'status'])
    expect(['Pending', 'Running', 'Succeeded']).toContain(started.body.status)
    const status = await eventually(async () => {
      const res = await t.call(
        'GET',
        `/api/pub/v1/dataflows/${f.originId}/runs/${started.body.runId}/status`,
        {
          key: null,
          headers: { 'x-api-key': operator.key },
        },
      )
      expect(res.body).toEqual({ runId: started.body.runId, status: 'Succeeded' })
      return res
    })
    expect(status.status).toBe(200)
    writeInput(t, 'Orders/in/b.ndjson', ids(3, 7))
    const awaited = await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start?await=true`, {
      key: null,
      headers: { 'x-api-key': operator.key },
    })
    expect(awaited.body.status).toBe('Succeeded')
    const run = (await t.call('GET', `/api/runs/${awaited.body.runId}`)).body
    expect(run.metrics).toMatchObject({ records_read: 3, records_written: 3 })
    expect(readSink(t, 'out/archive')).toHaveLength(10)
  })

  it('keeps the JSON error shape with real 4xx codes', async () => {
    const t = await makeRunApp()
    const f = await batchFlow(t)
    expect((await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start`, { key: null })).status).toBe(
      401,
    )
    const unknown = await t.call('POST', '/api/pub/v1/dataflows/99999/start')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ status: 404, message: expect.any(String) })
    const viewer = await t.userWithRole('viewer')
    expect(
      (await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start?api_key=${viewer.key}`, { key: null }))
        .status,
    ).toBe(403)
    await ok(t.call('PUT', `/api/flows/${f.originId}/pause`))
    const paused = await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start`)
    expect(paused.status).toBe(409)
    const other = await buildFlow(t, { name: 'Other', sets: {}, sinks: {} })
    expect((await t.call('GET', `/api/flows/${f.originId}/runs`)).body).toEqual([])
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    const started = (await t.call('POST', `/api/pub/v1/dataflows/${f.originId}/start?await=true`)).body
    expect(
      (await t.call('GET', `/api/pub/v1/dataflows/${other.originId}/runs/${started.runId}/status`)).status,
    ).toBe(404)
  })
})

describe('flow runs API (seed 004)', () => {
  it('POST /api/runs takes flowId as a number or a string and answers {items: [{id, etag}]}', async () => {
    const t = await makeRunApp()
    const f = await batchFlow(t)
    writeInput(t, 'Orders/in/a.ndjson', ids(4))
    const asString = await t.call('POST', '/api/runs', {
      body: { flowId: String(f.originId), params: { startTime: '1663735590', deltaColumn: { name: 'id' } } },
    })
    expect(asString.status).toBe(200)
    expect(asString.body.items).toHaveLength(1)
    expect(asString.body.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      etag: expect.any(String),
    })
    const asNumber = await t.call('POST', '/api/runs', { body: { flowId: f.originId } })
    expect(asNumber.status).toBe(200)
    expect((await t.call('POST', '/api/runs', { body: { params: {} } })).body.field).toBe('flowId')
    expect((await t.call('POST', '/api/runs', { body: { flowId: 'abc' } })).status).toBe(400)
    expect((await t.call('POST', '/api/runs', { body: { flowId: 424242 } })).status).toBe(404)
  })

  it('GET /api/runs?property=flowId==<id> lists runs with duration, record and status summaries', async () => {
    const t = await makeRunApp()
    const f = await batchFlow(t)
    const other = await batchFlow(t)
    fs.writeFileSync(
      path.join(t.filesDir, 'Orders/in/a.ndjson'),
      [...ids(5).map((r) => JSON.stringify(r)), '{broken'].join('\n'),
    )
    const id = (await t.call('POST', '/api/runs', { body: { flowId: f.originId } })).body.items[0].id
    await t.call('POST', '/api/runs', { body: { flowId: other.originId } })
    const list = await eventually(async () => {
      const res = await t.call('GET', `/api/runs?property=flowId==${f.nodes.all}`)
      expect(res.body.items[0].status).toBe('Succeeded')
      return res
    })
    expect(list.headers['x-total-count']).toBe('1')
    const [run] = list.body.items
    expect(run).toMatchObject({ id, flowId: String(f.originId), flow_id: f.originId, status: 'Succeeded' })
    expect(run.etag).toBeTruthy()
    expect(run.metrics.recordSummary).toEqual({
      inputRecordCount: 6,
      outputRecordCount: 5,
      failedRecordCount: 1,
    })
    expect(run.metrics.statusSummary).toEqual({ status: 'Succeeded', errors: [] })
    expect(run.metrics.durationSummary.startedAtUTC).toBeLessThanOrEqual(
      run.metrics.durationSummary.completedAtUTC,
    )
    expect(run.metrics.fileSummary).toEqual({ inputFileCount: 1, outputFileCount: 1 })
    const all = await t.call('GET', '/api/runs')
    expect(all.body.items).toHaveLength(2)
    expect((await t.call('GET', '/api/runs?property=status==Succeeded')).body.items.length).toBeGreaterThan(0)
    expect((await t.call('GET', '/api/runs?property=flowId')).status).toBe(400)
    expect((await t.call('GET', '/api/runs?property=colour==red')).status).toBe(400)
    expect((await t.call('GET', '/api/runs?property=status==Done')).status).toBe(400)
    expect((await t.call('GET', '/api/runs?property=flowId==99999')).body.items).toEqual([])
  })

  it('statusSummary carries the error of a failed run', async () => {
    const t = await makeRunApp()
    const f = await batchFlow(t)
    fs.rmSync(path.join(t.filesDir, 'Orders/in'), { recursive: true })
    await t.call('POST', '/api/runs', { body: { flowId: f.originId } })
    const run = await eventually(async () => {
      const item = (await t.call('GET', `/api/runs?property=flowId==${f.originId}`)).body.items[0]
      expect(item.status).toBe('Failed')
      return item
    })
    expect(run.metrics.statusSummary.errors).toEqual([
      { code: 'SOURCE_ERROR', message: expect.stringContaining("'Orders/in' does not exist") },
    ])
  })
})
