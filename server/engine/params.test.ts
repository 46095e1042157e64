import { describe, expect, it } from 'vitest'
import { deltaSeconds, inWindow, parseParams } from './params.js'

describe('run params', () => {
  it('reads unix seconds given as numbers or strings, open on either side', () => {
    expect(parseParams({ windowStartTime: '100', windowEndTime: 200.5, startTime: '7' })).toEqual({
      window: { start: 100, end: 200.5 },
      startTime: 7,
      deltaColumn: null,
    })
    expect(parseParams({ windowEndTime: 5 })).toMatchObject({ window: { start: -Infinity, end: 5 } })
    expect(parseParams(undefined)).toEqual({ window: null, startTime: null, deltaColumn: null })
    expect(parseParams({ deltaColumn: { name: 'DOB' } })).toMatchObject({ deltaColumn: 'DOB' })
  })

  it('refuses an empty or reversed window', () => {
    expect(parseParams({ windowStartTime: 5, windowEndTime: 5 })).toEqual({
      field: 'params.windowEndTime',
      message: 'must be after windowStartTime (5)',
    })
  })

  it('takes delta values as seconds, milliseconds or dates; anything else has no time', () => {
    expect(deltaSeconds(1700000000)).toBe(1700000000)
    expect(deltaSeconds(1700000000123)).toBe(1700000000.123)
    expect(deltaSeconds('1700000000')).toBe(1700000000)
    expect(deltaSeconds('2024-01-01T00:00:00Z')).toBe(1704067200)
    for (const v of [undefined, null, '', 'soon', {}, [], true]) expect(deltaSeconds(v)).toBeUndefined()
  })

  it('windows include their start and exclude their end', () => {
    expect(inWindow(1, { start: 1, end: 2 })).toBe(true)
    expect(inWindow(2, { start: 1, end: 2 })).toBe(false)
  })
})
