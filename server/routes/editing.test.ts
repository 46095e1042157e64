import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'

describe('GET /api/connectors', () => {
  it('lists source and sink connectors with the config schema the server validates with', async () => {
    const t = await makeApp()
    const viewer = await t.userWithRole('viewer')
    const res = await t.call('GET', '/api/connectors', { key: viewer.key })
    expect(res.status).toBe(200)
    const file = res.body.sources.find((c: any) => c.type === 'file')
    expect(file.label).toBe('File')
    expect(file.config_schema).toMatchObject({
      type: 'object',
      required: ['path', 'format'],
      properties: { path: { type: 'string' }, format: { anyOf: expect.any(Array) } },
    })
    expect(res.body.sinks.map((c: any) => c.type)).toEqual(['file'])
  })
})

describe('POST /api/transforms/preview', () => {
  it('shows each record’s output: mapped, dropped, fanned out, or an error', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/transforms/preview', {
      body: {
        transform:
          'amount > 100 ? {"id": id, "eur": amount * 0.5} : kind = "many" ? [1, 2] : kind = "bad" ? $error("bad record") : undefined',
        records: [
          { id: 1, amount: 200 },
          { id: 2, amount: 5 },
          { id: 3, amount: 0, kind: 'many' },
          { id: 4, amount: 0, kind: 'bad' },
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.results).toEqual([
      { ok: true, output: [{ id: 1, eur: 100 }] },
      { ok: true, output: [] },
      { ok: true, output: [1, 2] },
      { ok: false, error: { code: 'TRANSFORM_ERROR', message: 'bad record' } },
    ])
  })

  it('passes records through with an empty transform', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/transforms/preview', {
      body: { transform: '', records: [{ a: 1 }] },
    })
    expect(res.body.results).toEqual([{ ok: true, output: [{ a: 1 }] }])
  })

  it('rejects a transform that does not compile with a 400 naming the field', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/transforms/preview', {
      body: { transform: '{"a": ', records: [{}] },
    })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('transform')
    expect(res.body.message).toMatch(/^transform: does not compile/)
  })

  it('limits the sample to 100 records', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/transforms/preview', {
      body: { transform: '', records: Array.from({ length: 101 }, () => ({})) },
    })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('records')
  })
})
