import { describe, expect, it } from 'vitest'
import { makeApp } from './test-support/app.js'

describe('health and errors', () => {
  it('answers /api/health without a key', async () => {
    const { call } = await makeApp()
    const res = await call('GET', '/api/health', { key: null })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })

  it('returns JSON 404 for an unknown API route', async () => {
    const { call } = await makeApp()
    const res = await call('GET', '/api/nope')
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ status: 404 })
  })
})
