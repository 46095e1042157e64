import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'
import { ok } from '../test-support/fixtures.js'
import { fastEngine, eventually, readSink, runToEnd } from '../test-support/runs.js'

describe('the demo flows run', () => {
  it('delivers the streaming demo’s transformed records, and its batch flow runs with an error record', async () => {
    const t = await makeApp({ seedDemo: true })
    t.app.engine.configure(fastEngine)
    const flows = (await t.call('GET', '/api/flows?flows_only=1')).body.flows
    const [orders, customers] = flows
    await eventually(() => expect(readSink(t, 'demo/orders/out/archive')).toHaveLength(40))
    // 24 of the 40 sample orders are 100 or more.
    const large = await eventually(() => {
      const rows = readSink(t, 'demo/orders/out/large')
      expect(rows).toHaveLength(24)
      return rows
    })
    expect(large.every((r) => Number(r.amount) >= 100)).toBe(true)
    const eur = await eventually(() => {
      const rows = readSink(t, 'demo/orders/out/finance-eur')
      expect(rows).toHaveLength(large.length)
      return rows
    })
    expect(eur.every((r) => r.currency === 'EUR')).toBe(true)
    await eventually(() => expect(readSink(t, 'demo/orders/out/regional')).toHaveLength(40))
    expect(readSink(t, 'demo/orders/out/regional')[0]).toEqual({
      order_id: 1000,
      region: 'EMEA',
      amount: 5.5,
    })
    const runs = (await t.call('GET', `/api/flows/${orders.id}/runs`)).body
    expect(runs[0]).toMatchObject({ trigger: 'poll', metrics: { records_read: 40 } })

    await ok(t.call('PUT', `/api/flows/${customers.id}/activate`))
    const run = await runToEnd(t, customers.id)
    expect(run.metrics).toMatchObject({ records_read: 13, records_written: 12, records_failed: 1 })
    const errorDir = path.join(t.filesDir, 'demo/customers/errors')
    const [line] = fs
      .readdirSync(errorDir)
      .map((n) => fs.readFileSync(path.join(errorDir, n), 'utf8'))
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
    expect(line).toMatchObject({ record: { id: 'C-13' }, errorCode: 'TRANSFORM_ERROR' })
  })
})
