import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, within } from '@testing-library/react'
import { QueryClientProvider } from '@tanstack/react-query'
import { createMemoryRouter, RouterProvider } from 'react-router-dom'
import { createQueryClient } from '../../app/query-client'
import { endSession, signIn } from '../../api/credentials'
import { meAs } from '../../test/flows'
import { aRun } from '../../test/runs'
import { RunPage } from './run-page'

/** The run page: a failed run's error and error records, by the names people gave the resources. */
const failed = aRun({
  status: 'Failed',
  error: { code: 'SINK_ERROR', message: "data sink 6001: EEXIST: file already exists, mkdir 'out'" },
})
const errors = [
  {
    record: { id: 'C-13', country: 'FR' },
    errorStage: 'data_set 20001',
    errorCode: 'TRANSFORM_ERROR',
    errorMessage: 'D3030: Unable to cast value to a number: "C-13"',
    errorTimestamp: '2026-01-01T10:00:01.000Z',
  },
]
let requests: string[] = []

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false })
  requests = []
  signIn('a-key', `${window.location.origin}/api`)
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      const url = new URL(request.url)
      requests.push(`${request.method} ${url.pathname}`)
      if (url.pathname === '/api/me') return Response.json(meAs('operator'))
      if (url.pathname === `/api/runs/${failed.id}`)
        return Response.json(failed, { headers: { etag: '"9"' } })
      if (url.pathname === `/api/runs/${failed.id}/errors`)
        return Response.json(errors, { headers: { 'X-Total-Count': '1' } })
      return Response.json({ status: 404, message: 'No route' }, { status: 404 })
    }),
  )
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  endSession('signed-out')
})

describe('run page', () => {
  it('shows why a run failed and its error records; an ended run is read once and never again', async () => {
    const names = {
      'data_source-5001': 'Web shop orders',
      'data_set-20001': 'Orders',
      'data_sink-6001': 'Archive',
    }
    const router = createMemoryRouter(
      [
        {
          path: '/flows/:flowId/runs/:runId',
          element: (
            <RunPage flowId={10001} runId={failed.id} flowName="Web shop orders" resourceNames={names} />
          ),
        },
      ],
      { initialEntries: [`/flows/10001/runs/${failed.id}`] },
    )
    render(
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    )
    // The run, then its error records (asked for once the run says it has some).
    for (let i = 0; i < 5; i++) await act(() => vi.advanceTimersByTimeAsync(10))

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(`Run ${failed.id.slice(0, 8)}`)
    const why = screen.getByRole('region', { name: 'Why the run failed' })
    expect(why).toHaveTextContent('SINK_ERROR')
    expect(why).toHaveTextContent("EEXIST: file already exists, mkdir 'out'")
    expect(screen.getByRole('link', { name: 'Web shop orders' })).toHaveAttribute('href', '/flows/10001')

    const table = within(screen.getByRole('region', { name: 'Records per resource' })).getByRole('table')
    expect(
      within(table)
        .getByRole('rowheader', { name: /Orders/ })
        .closest('tr'),
    ).toHaveTextContent('13121')

    const record = within(screen.getByRole('region', { name: 'Error records' })).getByRole('listitem')
    expect(record).toHaveTextContent('Orders')
    expect(record).toHaveTextContent('data_set 20001')
    expect(record).toHaveTextContent('D3030: Unable to cast value to a number: "C-13"')
    expect(record).toHaveTextContent('{"id":"C-13","country":"FR"}')
    // An ended run cannot change: no Cancel, and nothing is asked again, however long the page stays open.
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull()
    const before = requests.length
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    expect(requests.slice(before)).toEqual([])
    expect(requests.filter((r) => r.startsWith('GET /api/runs/'))).toEqual([
      `GET /api/runs/${failed.id}`,
      `GET /api/runs/${failed.id}/errors`,
    ])
  })
})
