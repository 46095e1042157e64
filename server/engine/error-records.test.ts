import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok } from '../test-support/fixtures.js'
import { buildFlow } from '../test-support/flows.js'
import { makeRunApp, readSink, runToEnd, writeInput } from '../test-support/runs.js'
import type { TestApp } from '../test-support/app.js'

/** A batch flow: source → `parse` (transform) → `check` (transform) → sink. */
async function twoStageFlow(t: TestApp, configuration: Record<string, unknown>) {
  const f = await buildFlow(t, {
    name: 'Orders',
    sets: { parse: null, check: 'parse' },
    sinks: { out: 'check' },
  })
  await ok(
    t.call('PUT', `/api/data_sets/${f.sets.parse}`, {
      body: { transform: '$merge([$, {"qty": $number(qty)}])' },
    }),
  )
  await ok(
    t.call('PUT', `/api/data_sets/${f.sets.check}`, {
      body: { transform: 'qty > 0 ? {"id": id, "qty": qty} : $error("qty must be positive")' },
    }),
  )
  await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch', configuration } }))
  await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
  return f
}

const input = [
  { id: 1, qty: '2' },
  { id: 2, qty: '-1' },
  { id: 3, qty: 'many' },
  { id: 4, qty: '5' },
]

function errorFileLines(t: TestApp, dir: string) {
  const abs = path.join(t.filesDir, dir)
  const names = fs.readdirSync(abs)
  expect(names.filter((n) => n.startsWith('.'))).toEqual([])
  return names.flatMap((n) =>
    fs
      .readFileSync(path.join(abs, n), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  )
}

describe('error records', () => {
  it('WRITE_TO_FILE with ORIGINAL_RECORD appends the source record with stage, code, message and time', async () => {
    const t = await makeRunApp()
    const f = await twoStageFlow(t, {
      error_record_policy: 'ORIGINAL_RECORD',
      error_stage: { type: 'WRITE_TO_FILE', directory: 'errors/orders' },
    })
    writeInput(t, 'Orders/in/a.ndjson', input)
    const run = await runToEnd(t, f.originId)
    expect(run.status).toBe('Succeeded')
    expect(run.metrics).toMatchObject({ records_read: 4, records_written: 2, records_failed: 2 })
    expect(readSink(t, 'out/out')).toEqual([
      { id: 1, qty: 2 },
      { id: 4, qty: 5 },
    ])
    const lines = errorFileLines(t, 'errors/orders')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toEqual({
      record: { id: 2, qty: '-1' },
      errorStage: `data_set ${f.sets.check}`,
      errorCode: 'TRANSFORM_ERROR',
      errorMessage: 'qty must be positive',
      errorTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    })
    expect(lines[1]).toMatchObject({ record: { id: 3, qty: 'many' }, errorStage: `data_set ${f.sets.parse}` })
    expect(lines[1].errorMessage).toMatch(/^D3030/)
    const byResource = Object.fromEntries(run.metrics.by_resource.map((r: any) => [r.resource_id, r]))
    expect(byResource[f.sets.parse!]).toMatchObject({ records_in: 4, records_out: 3, records_failed: 1 })
    expect(byResource[f.sets.check!]).toMatchObject({ records_in: 3, records_out: 2, records_failed: 1 })

    const errors = await t.call('GET', `/api/runs/${run.id}/errors?limit=1`)
    expect(errors.status).toBe(200)
    expect(errors.headers['x-total-count']).toBe('2')
    expect(errors.body).toEqual([lines[0]])
  })

  it('STAGE_RECORD writes the record as the failing stage saw it', async () => {
    const t = await makeRunApp()
    await twoStageFlow(t, {
      error_record_policy: 'STAGE_RECORD',
      error_stage: { type: 'WRITE_TO_FILE', directory: 'errors/orders' },
    })
    writeInput(t, 'Orders/in/a.ndjson', input)
    await runToEnd(t, (await t.call('GET', '/api/flows')).body.flows[0].id)
    const lines = errorFileLines(t, 'errors/orders')
    // The check stage got qty already converted to a number.
    expect(lines.map((l) => l.record)).toEqual([
      { id: 2, qty: -1 },
      { id: 3, qty: 'many' },
    ])
  })

  it('DISCARD only counts them; the errors route still says why, without the record', async () => {
    const t = await makeRunApp()
    const f = await twoStageFlow(t, { error_stage: { type: 'DISCARD' } })
    writeInput(t, 'Orders/in/a.ndjson', input)
    const run = await runToEnd(t, f.originId)
    expect(run.metrics.records_failed).toBe(2)
    expect(fs.existsSync(path.join(t.filesDir, 'errors'))).toBe(false)
    const errors = (await t.call('GET', `/api/runs/${run.id}/errors`)).body
    expect(errors.map((e: any) => [e.record, e.errorMessage])).toEqual([
      [null, 'qty must be positive'],
      [null, expect.stringMatching(/^D3030/)],
    ])
  })

  it('an unparseable source line and a record a CSV sink cannot hold are error records too', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null, ids: 'all' }, sinks: { out: 'ids' } })
    await ok(t.call('PUT', `/api/data_sets/${f.sets.ids}`, { body: { transform: 'id' } }))
    await ok(
      t.call('PUT', `/api/data_sinks/${f.sinks.out}`, {
        body: { sink_config: { path: 'out/csv', format: 'csv' } },
      }),
    )
    await ok(
      t.call('PUT', `/api/flows/${f.originId}`, {
        body: {
          flow_type: 'batch',
          configuration: { error_stage: { type: 'WRITE_TO_FILE', directory: 'errors' } },
        },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    fs.mkdirSync(path.join(t.filesDir, 'Orders/in'), { recursive: true })
    fs.writeFileSync(path.join(t.filesDir, 'Orders/in/a.ndjson'), '{"id": 1}\n{oops\n')
    const run = await runToEnd(t, f.originId)
    expect(run.status).toBe('Succeeded')
    const lines = errorFileLines(t, 'errors')
    // In input order: record 1 reaches the CSV sink as a number, line 2 does not parse.
    expect(lines.map((l) => [l.errorStage, l.errorCode])).toEqual([
      [`data_sink ${f.sinks.out}`, 'UNSUPPORTED_RECORD'],
      [`data_source ${f.sourceId}`, 'PARSE_ERROR'],
    ])
    expect(lines[1].record).toEqual({ raw: '{oops' })
    expect(run.metrics.records_failed).toBe(2)
  })
})

describe('formats', () => {
  it('reads CSV and JSON sources and writes CSV (one header row per file) and JSON sinks', async () => {
    const t = await makeRunApp({ batchRecords: 2 })
    const f = await buildFlow(t, {
      name: 'Customers',
      sets: { all: null },
      sinks: { csv: 'all', json: 'all' },
    })
    await ok(
      t.call('PUT', `/api/data_sources/${f.sourceId}`, {
        body: { source_config: { path: 'Customers/in', format: 'csv' } },
      }),
    )
    await ok(
      t.call('PUT', `/api/data_sinks/${f.sinks.csv}`, {
        body: { sink_config: { path: 'out/csv', format: 'csv' } },
      }),
    )
    await ok(
      t.call('PUT', `/api/data_sinks/${f.sinks.json}`, {
        body: { sink_config: { path: 'out/json', format: 'json' } },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    fs.mkdirSync(path.join(t.filesDir, 'Customers/in'), { recursive: true })
    fs.writeFileSync(path.join(t.filesDir, 'Customers/in/c.csv'), 'id,name\n1,"Smith, Ann"\n2,Bo\n3,Cy\n')
    const run = await runToEnd(t, f.originId)
    expect(run.metrics).toMatchObject({ records_read: 3, records_written: 6, files_written: 4 })
    const json = readSink(t, 'out/json')
    expect(json).toEqual([
      { id: '1', name: 'Smith, Ann' },
      { id: '2', name: 'Bo' },
      { id: '3', name: 'Cy' },
    ])
    const dir = path.join(t.filesDir, 'out/csv')
    const texts = fs.readdirSync(dir).map((n) => fs.readFileSync(path.join(dir, n), 'utf8'))
    expect(texts).toHaveLength(2)
    for (const text of texts) expect(text.split('\n').filter((l) => l === 'id,name')).toHaveLength(1)
    expect(texts.join('')).toContain('"Smith, Ann"')

    // A JSON document source: an array is one record per element.
    await ok(t.call('PUT', `/api/flows/${f.originId}/pause`))
    await ok(
      t.call('PUT', `/api/data_sources/${f.sourceId}`, {
        body: { source_config: { path: 'Customers/json', format: 'json' } },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Customers/json/c.json', [{ id: 9, name: 'Di' }])
    expect((await runToEnd(t, f.originId)).metrics.records_read).toBe(1)
    expect(readSink(t, 'out/json').at(-1)).toEqual({ id: 9, name: 'Di' })
  })
})

describe('failing sources and sinks', () => {
  it('fails the run with SINK_ERROR at once without retry_pipeline_on_error', async () => {
    const t = await makeRunApp()
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { out: 'all' } })
    await ok(t.call('PUT', `/api/flows/${f.originId}`, { body: { flow_type: 'batch' } }))
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/a.ndjson', [{ id: 1 }])
    fs.mkdirSync(path.join(t.filesDir, 'out'), { recursive: true })
    fs.writeFileSync(path.join(t.filesDir, 'out/out'), 'a file where the sink folder should be')
    const run = await runToEnd(t, f.originId)
    expect(run).toMatchObject({ status: 'Failed', error: { code: 'SINK_ERROR' } })
    expect(run.error.message).toMatch(new RegExp(`^data sink ${f.sinks.out}: `))
    expect(run.error.message).not.toContain(t.filesDir)
    // Fixed: the next run delivers what the failed one could not.
    fs.rmSync(path.join(t.filesDir, 'out/out'))
    expect((await runToEnd(t, f.originId)).status).toBe('Succeeded')
    expect(readSink(t, 'out/out')).toEqual([{ id: 1 }])
  })

  it('retries a failing sink with backoff when retry_pipeline_on_error is on', async () => {
    const t = await makeRunApp({ retryBaseMs: 150, retries: 3 })
    const f = await buildFlow(t, { name: 'Orders', sets: { all: null }, sinks: { out: 'all' } })
    await ok(
      t.call('PUT', `/api/flows/${f.originId}`, {
        body: { flow_type: 'batch', configuration: { retry_pipeline_on_error: true } },
      }),
    )
    await ok(t.call('PUT', `/api/flows/${f.originId}/activate`))
    writeInput(t, 'Orders/in/a.ndjson', [{ id: 1 }])
    fs.mkdirSync(path.join(t.filesDir, 'out'), { recursive: true })
    fs.writeFileSync(path.join(t.filesDir, 'out/out'), 'blocks the sink folder')
    const started = (await t.call('POST', `/api/flows/${f.originId}/runs`)).body
    setTimeout(() => fs.rmSync(path.join(t.filesDir, 'out/out')), 200)
    const run = (await t.call('POST', `/api/flows/${f.originId}/runs?await=true`)).body
    expect(run.status).toBe('Succeeded')
    expect((await t.call('GET', `/api/runs/${started.id}`)).body.status).toBe('Succeeded')
    expect(readSink(t, 'out/out')).toEqual([{ id: 1 }])

    // Still broken after every retry: Failed, saying how often it tried.
    writeInput(t, 'Orders/in/b.ndjson', [{ id: 2 }])
    fs.rmSync(path.join(t.filesDir, 'out/out'), { recursive: true })
    fs.writeFileSync(path.join(t.filesDir, 'out/out'), 'blocks it again')
    const failed = await runToEnd(t, f.originId)
    expect(failed).toMatchObject({ status: 'Failed', error: { code: 'SINK_ERROR' } })
    expect(failed.error.message).toMatch(/failed 4 times/)
  })
})
