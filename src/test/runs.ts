import type { Run } from '../api/contract'

/** Runs for tests, in the server's shape (flows-api.md §6), of the demo flow 10001 unless told otherwise. */
let n = 0

export function aRun(overrides: Partial<Run> = {}): Run {
  n += 1
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  return {
    id,
    flow_id: 10001,
    status: 'Succeeded',
    trigger: 'api',
    params: {},
    created_at: '2026-01-01T10:00:00.000Z',
    started_at: '2026-01-01T10:00:00.100Z',
    completed_at: '2026-01-01T10:00:02.100Z',
    error: null,
    metrics: {
      records_read: 13,
      records_written: 12,
      records_failed: 1,
      bytes_read: 530,
      bytes_written: 487,
      files_read: 1,
      files_written: 1,
      by_resource: [
        {
          resource_type: 'data_source',
          resource_id: 5001,
          records_in: 13,
          records_out: 13,
          records_failed: 0,
        },
        { resource_type: 'data_set', resource_id: 20001, records_in: 13, records_out: 12, records_failed: 1 },
        { resource_type: 'data_sink', resource_id: 6001, records_in: 12, records_out: 12, records_failed: 0 },
      ],
    },
    ...overrides,
  }
}

/** A run still going: started, not ended, counts so far. */
export const aRunningRun = (overrides: Partial<Run> = {}) =>
  aRun({ status: 'Running', completed_at: null, ...overrides })

/** `<dialog>` as jsdom lacks it: showModal/close toggle `open`, which is what tests look at. */
export function polyfillDialog() {
  const proto = HTMLDialogElement.prototype
  if (typeof proto.showModal === 'function') return
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }
  proto.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open')
  }
}
