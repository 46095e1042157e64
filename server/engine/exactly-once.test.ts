import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import { ids, makeRunApp, readSink, runToEnd, writeInput } from '../test-support/runs.js'

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const sorted = (rows: any[]) => rows.map((r) => r.id as number).sort((a, b) => a - b)

/**
 * Random sequences of pausing and activating the flow, a data set or a sink, dropping input and starting
 * runs (some left running while the next step pauses something): at the end, with everything active again,
 * every input id is in every sink exactly once (the filtering data set's sink: exactly its share).
 */
describe('exactly once, whatever the order of pauses, activations and runs', () => {
  it.each([1, 2, 3, 4, 5])('seed %i', async (seed) => {
    const next = rng(seed)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
    const t = await makeRunApp({ batchRecords: 40 })
    const f = await buildFlow(t, {
      name: 'Orders',
      sets: { all: null, large: 'all' },
      sinks: { archive: 'all', copy: 'all', big: 'large' },
    })
    await ok(
      t.call('PUT', `/api/data_sets/${f.sets.large}`, {
        body: { transform: 'amount >= 100 ? $ : undefined' },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    fs.mkdirSync(path.join(t.filesDir, 'Orders/in'), { recursive: true })
    let dropped = 0
    let files = 0
    const log: string[] = []
    for (let step = 0; step < 40; step++) {
      const action = pick([
        'drop',
        'drop',
        'run',
        'run',
        'runAwait',
        'pauseSink',
        'activateSink',
        'pauseSet',
        'activateSet',
        'pauseFlow',
        'activateFlow',
      ] as const)
      log.push(action)
      switch (action) {
        case 'drop': {
          const n = 20 + Math.floor(next() * 100)
          writeInput(t, `Orders/in/${String(files++).padStart(3, '0')}.ndjson`, ids(n, dropped))
          dropped += n
          break
        }
        case 'run':
        case 'runAwait': {
          const res = await t.call(
            'POST',
            `/api/flows/${f.originId}/runs${action === 'runAwait' ? '?await=true' : ''}`,
          )
          expect([200, 409]).toContain(res.status)
          break
        }
        case 'pauseSink':
        case 'activateSink':
          await ok(
            t.call(
              'PUT',
              `/api/data_sinks/${pick(Object.values(f.sinks))}/flow/${action === 'pauseSink' ? 'pause' : 'activate'}`,
            ),
          )
          break
        case 'pauseSet':
        case 'activateSet':
          await ok(
            t.call(
              'PUT',
              `/api/data_sets/${pick(Object.values(f.sets))}/flow/${action === 'pauseSet' ? 'pause' : 'activate'}`,
            ),
          )
          break
        case 'pauseFlow':
        case 'activateFlow':
          await ok(t.call('PUT', `/api/flows/${f.originId}/${action === 'pauseFlow' ? 'pause' : 'activate'}`))
          break
      }
    }
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate?all=1`))
    const last = await runToEnd(t, f.originId)
    expect(last.status, log.join(' ')).toBe('Succeeded')
    const every = sorted(ids(dropped))
    expect(sorted(readSink(t, 'out/archive')), log.join(' ')).toEqual(every)
    expect(sorted(readSink(t, 'out/copy')), log.join(' ')).toEqual(every)
    expect(sorted(readSink(t, 'out/big')), log.join(' ')).toEqual(
      sorted(ids(dropped).filter((r) => r.amount >= 100)),
    )
    const runs = (await t.call('GET', `/api/flows/${f.originId}/runs?per_page=1000`)).body
    expect(
      runs.every((r: any) => ['Succeeded', 'Cancelled'].includes(r.status)),
      JSON.stringify(runs.map((r: any) => r.error)),
    ).toBe(true)
  })
})
