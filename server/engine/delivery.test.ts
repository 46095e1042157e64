import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { ok } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import { eventually, ids, makeRunApp, readSink, runToEnd, writeInput } from '../test-support/runs.js'
import { Engine } from './engine.js'

const shape = {
  name: 'Orders',
  sets: { all: null, large: 'all' },
  sinks: { archive: 'all', big: 'large', copy: 'all' },
}

const idsIn = (rows: any[]) => rows.map((r) => r.id)

describe('delivery', () => {
  it('a paused sink receives nothing, then catches up in order when activated (a run with trigger "activate")', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, shape)
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/1.ndjson', ids(10))
    await eventually(() => expect(readSink(t, 'out/copy')).toHaveLength(10))
    await ok(t.call('PUT', `/api/data_sinks/${f.sinks.copy}/flow/pause`))
    writeInput(t, 'Orders/in/2.ndjson', ids(10, 10))
    await eventually(() => expect(readSink(t, 'out/archive')).toHaveLength(20))
    writeInput(t, 'Orders/in/3.ndjson', ids(10, 20))
    await eventually(() => expect(readSink(t, 'out/archive')).toHaveLength(30))
    expect(readSink(t, 'out/copy')).toHaveLength(10)
    await ok(t.call('PUT', `/api/data_sinks/${f.sinks.copy}/flow/activate`))
    await eventually(() => expect(idsIn(readSink(t, 'out/copy'))).toEqual(idsIn(ids(30))))
    expect(idsIn(readSink(t, 'out/archive'))).toEqual(idsIn(ids(30)))
    const runs = await eventually(async () => {
      const list = (await t.call('GET', `/api/flows/${f.originId}/runs`)).body
      expect(list[0].status).toBe('Succeeded')
      return list
    })
    expect(runs[0].trigger).toBe('activate')
    expect(runs[0].metrics.records_written).toBe(20)
  })

  it('a paused data set holds back its whole subtree, which catches up once it is active again', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, shape)
    await ok(
      t.call('PUT', `/api/data_sets/${f.sets.large}`, {
        body: { transform: 'amount >= 100 ? $ : undefined' },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    await ok(t.call('PUT', `/api/data_sets/${f.sets.large}/flow/pause`))
    writeInput(t, 'Orders/in/1.ndjson', ids(300))
    await runToEnd(t, f.originId)
    expect(readSink(t, 'out/big')).toEqual([])
    expect(readSink(t, 'out/archive')).toHaveLength(300)
    await ok(t.call('PUT', `/api/data_sets/${f.sets.large}/flow/activate`))
    const catchUp = await runToEnd(t, f.originId)
    expect(catchUp.metrics.records_read).toBe(300)
    expect(idsIn(readSink(t, 'out/big'))).toEqual(idsIn(ids(300).filter((r) => r.amount >= 100)))
    expect(readSink(t, 'out/archive')).toHaveLength(300)
  })

  it('pausing the entire flow ends the running run Cancelled after its batch; nothing is lost or doubled', async () => {
    const t = await makeRunApp({ batchRecords: 200 })
    const f = await buildFlow(t, shape)
    await ok(
      t.call('PUT', `/api/data_sets/${f.sets.large}`, { body: { transform: '$merge([$, {"big": true}])' } }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    for (let i = 0; i < 20; i++)
      writeInput(t, `Orders/in/${String(i).padStart(2, '0')}.ndjson`, ids(1000, i * 1000))
    const run = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    await eventually(async () =>
      expect((await t.call('GET', `/api/runs/${run.id}`)).body.metrics.records_written).toBeGreaterThan(0),
    )
    const pending = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    await ok(t.call('PUT', `/api/flows/${f.originId}/pause`))
    const ended = await eventually(async () => {
      const r = (await t.call('GET', `/api/runs/${run.id}`)).body
      expect(r.status).toBe('Cancelled')
      return r
    })
    expect(ended.error.code).toBe('FLOW_PAUSED')
    expect((await t.call('GET', `/api/runs/${pending.id}`)).body).toMatchObject({ status: 'Cancelled' })
    expect(readSink(t, 'out/archive').length).toBeLessThan(20_000)
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    await runToEnd(t, f.originId)
    const all = idsIn(ids(20_000))
    for (const sink of ['archive', 'big', 'copy'])
      expect(idsIn(readSink(t, `out/${sink}`)).sort((a, b) => a - b)).toEqual(all)
  })

  it('cancelling a Running run stops it after its batch; the next run delivers the rest once', async () => {
    const t = await makeRunApp({ batchRecords: 100 })
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { archive: 'all' } })
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    for (let i = 0; i < 10; i++) writeInput(t, `Orders/in/${i}.ndjson`, ids(1000, i * 1000))
    const run = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    await eventually(async () =>
      expect((await t.call('GET', `/api/runs/${run.id}`)).body.status).toBe('Running'),
    )
    const cancelled = await t.call('PUT', `/api/runs/${run.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ status: 'Cancelled', error: { code: 'CANCELLED' } })
    await runToEnd(t, f.originId)
    expect(idsIn(readSink(t, 'out/archive')).sort((a, b) => a - b)).toEqual(idsIn(ids(10_000)))
  })

  it('runtime_status is PROCESSING while a run is active, and each change moves the flow’s ETag', async () => {
    const t = await makeRunApp({ batchRecords: 100 })
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { archive: 'all' } })
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    for (let i = 0; i < 10; i++) writeInput(t, `Orders/in/${i}.ndjson`, ids(1000, i * 1000))
    const idle = await t.call('GET', `/api/flows/${f.originId}`)
    expect(idle.body.flows[0].runtime_status).toBe('IDLE')
    const run = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    const busy = await eventually(async () => {
      const res = await t.call('GET', `/api/flows/${f.originId}`)
      expect(res.body.flows[0].runtime_status).toBe('PROCESSING')
      return res
    })
    expect(busy.headers.etag).not.toBe(idle.headers.etag)
    expect(
      (
        await t.call('GET', `/api/flows/${f.originId}`, {
          headers: { 'if-none-match': String(idle.headers.etag) },
        })
      ).status,
    ).toBe(200)
    await eventually(async () =>
      expect((await t.call('GET', `/api/runs/${run.id}`)).body.status).toBe('Succeeded'),
    )
    const after = await t.call('GET', `/api/flows/${f.originId}`)
    expect(after.body.flows[0].runtime_status).toBe('IDLE')
    expect(after.headers.etag).not.toBe(busy.headers.etag)
  })

  it('on start, a Running run of a process that is gone ends Failed/INTERRUPTED and Pending runs still start', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { archive: 'all' } })
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/a.ndjson', ids(5))
    await t.app.engine.stop()
    const orphan = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    const waiting = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    // As a process killed mid-run leaves it: Running, claimed by a worker whose pid no longer exists.
    await t.app.db
      .updateTable('runs')
      .set({
        status: 'Running',
        started_at: new Date().toISOString(),
        worker: `${os.hostname()}|999999999|dead`,
      })
      .where('id', '=', orphan.id)
      .execute()
    await t.app.db
      .updateTable('data_sources')
      .set({ runtime_status: 'PROCESSING' })
      .where('id', '=', f.sourceId)
      .execute()
    const engine = new Engine(
      { db: t.app.db, filesDir: t.filesDir, stateDir: `${t.dataDir}/engine`, log: t.app.log },
      { pollIntervalMs: 40 },
    )
    await engine.start()
    try {
      const failed = (await t.call('GET', `/api/runs/${orphan.id}`)).body
      expect(failed).toMatchObject({ status: 'Failed', error: { code: 'INTERRUPTED' } })
      await engine.waitForEnd(waiting.id, 10_000)
      expect((await t.call('GET', `/api/runs/${waiting.id}`)).body).toMatchObject({
        status: 'Succeeded',
        metrics: { records_read: 5 },
      })
      expect((await t.call('GET', `/api/flows/${f.originId}`)).body.flows[0].runtime_status).toBe('IDLE')
    } finally {
      await engine.stop()
    }
  })
})
