import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration, localInputToUnix, runDurationMs } from './format'

describe('run formatting', () => {
  it('durations read at a glance', () => {
    expect(formatDuration(20)).toBe('<1 s')
    expect(formatDuration(42_900)).toBe('42 s')
    expect(formatDuration(185_000)).toBe('3 min 05 s')
    expect(formatDuration(2 * 3600_000 + 4 * 60_000)).toBe('2 h 04 min')
  })

  it('a running run lasts until now; a Pending one has no duration yet', () => {
    const started = { started_at: '2026-01-01T10:00:00.000Z', completed_at: null }
    expect(runDurationMs(started, Date.parse('2026-01-01T10:00:07.000Z'))).toBe(7000)
    expect(runDurationMs({ ...started, completed_at: '2026-01-01T10:00:02.500Z' }, Date.now())).toBe(2500)
    expect(runDurationMs({ started_at: null, completed_at: null }, Date.now())).toBeNull()
  })

  it('picker values are local times; empty or broken ones are no time', () => {
    expect(localInputToUnix('2026-11-01T08:00')).toBe(new Date(2026, 10, 1, 8, 0).getTime() / 1000)
    expect(localInputToUnix('')).toBeNull()
    expect(localInputToUnix('not a date')).toBeNull()
  })

  it('bytes in binary units', () => {
    expect(formatBytes(530)).toBe('530 B')
    expect(formatBytes(24_866_670)).toBe('23.7 MB')
  })
})
