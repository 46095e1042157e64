import { useEffect, useState } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { createMemoryRouter, RouterProvider } from 'react-router-dom'
import { createQueryClient } from '../../app/query-client'
import type { Run } from '../../api/contract'
import { endSession, signIn } from '../../api/credentials'
import { queryKeys } from '../../api/query-keys'
import { RUN_POLL_MS } from '../../api/run-queries'
import { meAs } from '../../test/flows'
import { aRun, aRunningRun } from '../../test/runs'
import { RunsPanel } from './runs-panel'

/**
 * Polling decided by the data (console.md "The Runs panel"): an active run is asked about every second, an
 * ended one never; when a run ends the flow and the list refresh once, and then nothing polls.
 */
const FLOW = 10001

let running: Run
let done: Run
/** The server's copy of the running run and its version (its ETag). */
let current: Run
let version = 1
let requests: string[] = []

function fakeServer() {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const route = `${request.method} ${url.pathname}`
    requests.push(route)
    if (route === 'GET /api/me') return Response.json(meAs('operator'))
    if (route === `GET /api/flows/${FLOW}/runs`)
      return Response.json([current, done], {
        headers: { 'X-Total-Count': '2', 'X-Total-Page-Count': '1' },
      })
    if (route === `GET /api/runs/${running.id}`) {
      const etag = `"${version}"`
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304 })
      return Response.json(current, { headers: { etag } })
    }
    if (route === `PUT /api/runs/${running.id}/cancel`) {
      current = { ...current, status: 'Cancelled', completed_at: '2026-01-01T10:00:09.000Z' }
      version += 1
      return Response.json(current)
    }
    return Response.json({ status: 404, message: `No route ${route}` }, { status: 404 })
  })
}

const count = (route: string) => requests.filter((r) => r === route).length
const runGets = () => count(`GET /api/runs/${running.id}`)
const listGets = () => count(`GET /api/flows/${FLOW}/runs`)
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))

let setFlowVersion: (version: string) => void = () => undefined

/** The panel as the flow page gives it: the flow's version comes from the flow, which a test can move on. */
function Harness({ initialVersion }: { initialVersion: string }) {
  const [flowVersion, setVersion] = useState(initialVersion)
  useEffect(() => {
    setFlowVersion = setVersion
  }, [])
  return <RunsPanel flowId={FLOW} flowVersion={flowVersion} />
}

function renderPanel(client: QueryClient, flowVersion = 'v1') {
  const router = createMemoryRouter(
    [{ path: '/flows/:flowId', element: <Harness initialVersion={flowVersion} /> }],
    { initialEntries: [`/flows/${FLOW}`] },
  )
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
}

const rowOf = (text: RegExp) => {
  const region = screen.getByRole('region', { name: 'Runs' })
  const row = within(region)
    .getAllByRole('row')
    .find((r) => text.test(r.textContent ?? ''))
  if (!row) throw new Error(`No row matching ${text}`)
  return row
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false })
  done = aRun({ created_at: '2026-01-01T09:00:00.000Z', started_at: '2026-01-01T09:00:00.000Z' })
  running = aRunningRun({
    metrics: { ...aRun().metrics, records_read: 100, records_written: 90, records_failed: 0 },
  })
  current = running
  version = 1
  requests = []
  signIn('a-key', `${window.location.origin}/api`)
  vi.stubGlobal('fetch', fakeServer())
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  endSession('signed-out')
})

describe('runs panel polling', () => {
  it('polls the running run every second, stops when it ends, and refreshes the flow and list once', async () => {
    const client = createQueryClient()
    // The flow page's query, to see that the run's end marks it for a refresh.
    client.setQueryData(queryKeys.flows.detail(FLOW), { flow: null, etag: null })
    renderPanel(client)
    await advance(0)

    expect(within(rowOf(/Running/)).getByRole('button', { name: 'Cancel' })).toBeInTheDocument()
    expect(rowOf(/Running/)).toHaveTextContent('100')
    expect(listGets()).toBe(1)
    const atStart = runGets()
    expect(atStart).toBeLessThanOrEqual(1)

    await advance(3 * RUN_POLL_MS)
    expect(runGets() - atStart).toBe(3)
    // The run that had already ended was never asked about.
    expect(count(`GET /api/runs/${done.id}`)).toBe(0)

    // More records arrive, then the run ends.
    current = { ...running, metrics: { ...running.metrics, records_read: 250, records_written: 240 } }
    version = 2
    await advance(RUN_POLL_MS)
    expect(rowOf(/Running/)).toHaveTextContent('250')
    current = { ...current, status: 'Succeeded', completed_at: '2026-01-01T10:00:05.000Z' }
    version = 3
    await advance(RUN_POLL_MS)
    expect(rowOf(/250/)).toHaveTextContent('Succeeded')
    expect(
      within(screen.getByRole('region', { name: 'Runs' })).queryByRole('button', { name: 'Cancel' }),
    ).toBeNull()
    expect(client.getQueryState(queryKeys.flows.detail(FLOW))?.isInvalidated).toBe(true)
    await advance(0)
    expect(listGets()).toBe(2)

    // Nothing polls any more: not the ended run, not the list.
    const afterEnd = requests.length
    await advance(10 * RUN_POLL_MS)
    expect(requests.slice(afterEnd)).toEqual([])
  })

  it('a list of ended runs makes no request for any of them', async () => {
    current = aRun()
    running = current
    renderPanel(createQueryClient())
    await advance(0)
    await advance(5 * RUN_POLL_MS)
    expect(requests.filter((r) => r.startsWith('GET /api/runs/'))).toEqual([])
    expect(listGets()).toBe(1)
  })

  it('Cancel ends the run: it shows Cancelled and is never asked about again', async () => {
    renderPanel(createQueryClient())
    await advance(0)
    fireEvent.click(within(rowOf(/Running/)).getByRole('button', { name: 'Cancel' }))
    await advance(0)
    expect(count(`PUT /api/runs/${running.id}/cancel`)).toBe(1)
    expect(rowOf(/Cancelled/)).toBeInTheDocument()
    const after = runGets()
    await advance(5 * RUN_POLL_MS)
    expect(runGets()).toBe(after)
  })

  it('a new flow version (a run started or ended anywhere) refreshes the list; nothing else does', async () => {
    current = aRun()
    running = current
    const client = createQueryClient()
    renderPanel(client, 'v1')
    await advance(0)
    await advance(30_000)
    expect(listGets()).toBe(1)
    act(() => setFlowVersion('v2'))
    await advance(0)
    expect(listGets()).toBe(2)
  })
})
