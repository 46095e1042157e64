import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import {
  eventually,
  hiddenFiles,
  ids,
  makeRunApp,
  readSink,
  runToEnd,
  writeInput,
} from '../test-support/runs.js'

const shape = {
  name: 'Orders',
  sets: { all: null, large: 'all' },
  sinks: { archive: 'all', big: 'large' },
}

describe('the engine', () => {
  it('delivers a batch run through transforms to every sink, with metrics', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, shape)
    await ok(
      t.call('PUT', `/api/data_sets/${f.sets.large}`, {
        body: { transform: 'amount >= 100 ? $ : undefined' },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/a.ndjson', ids(300))
    const run = await runToEnd(t, f.originId)
    expect(run).toMatchObject({ status: 'Succeeded', trigger: 'api', error: null })
    const archive = readSink(t, 'out/archive')
    const big = readSink(t, 'out/big')
    expect(archive.map((r) => r.id)).toEqual(ids(300).map((r) => r.id))
    expect(big.every((r) => r.amount >= 100)).toBe(true)
    expect(big).toHaveLength(ids(300).filter((r) => r.amount >= 100).length)
    expect(run.metrics).toMatchObject({
      records_read: 300,
      records_written: 300 + big.length,
      records_failed: 0,
      files_read: 1,
    })
    expect(hiddenFiles(t, 'out/archive')).toEqual([])
    // Nothing new: the next run reads nothing and writes nothing.
    const again = await runToEnd(t, f.originId)
    expect(again.metrics).toMatchObject({ records_read: 0, records_written: 0, files_read: 0 })
    expect(readSink(t, 'out/archive')).toHaveLength(300)
    expect(fs.readdirSync(path.join(t.dataDir, 'engine', 'journal', String(f.originId)))).toEqual([])
  })

  it('polls a streaming flow: each cycle with new input is a run with trigger "poll"', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, shape)
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/a.ndjson', ids(10))
    await eventually(() => expect(readSink(t, 'out/archive')).toHaveLength(10))
    writeInput(t, 'Orders/in/b.ndjson', ids(5, 10))
    await eventually(() => expect(readSink(t, 'out/archive')).toHaveLength(15))
    const runs = await eventually(async () => {
      const res = await t.call('GET', `/api/flows/${f.originId}/runs`)
      expect(res.body.every((r: any) => r.status === 'Succeeded')).toBe(true)
      return res.body
    })
    expect(runs).toHaveLength(2)
    expect(runs.map((r: any) => r.trigger)).toEqual(['poll', 'poll'])
  })
})
