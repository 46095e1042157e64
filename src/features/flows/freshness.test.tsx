import { Profiler } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { QueryClientProvider, useQuery } from '@tanstack/react-query'
import { createQueryClient } from '../../app/query-client'
import { endSession, signIn } from '../../api/credentials'
import { webShopFlow } from '../../test/flows'
import { flowQueries, type FlowDetail } from './api/flow-queries'
import { stateOf, structureOf } from './flow-model'
import { controlCall, FAST_POLL_MS, POLL_MS, useFlowActions, useFlowPollInterval } from './use-flow-actions'

/**
 * Freshness (console.md): the open flow refreshes every 5 s, every second while a control call is in flight,
 * sends If-None-Match itself, and an unchanged flow (304) changes nothing on screen.
 */
const FLOW_ID = 10001

let version = 1
let gets: { ifNoneMatch: string | null }[] = []
let releasePut: (() => void) | undefined

function fakeServer() {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    if (request.method === 'GET' && url.pathname === `/api/flows/${FLOW_ID}`) {
      const ifNoneMatch = request.headers.get('if-none-match')
      gets.push({ ifNoneMatch })
      const etag = `W/"v${version}"`
      if (ifNoneMatch === etag) return new Response(null, { status: 304, headers: { etag } })
      const flow = version === 1 ? webShopFlow('ACTIVE') : webShopFlow('ACTIVE', pausedLarge)
      return Response.json({ flows: [flow] }, { headers: { etag } })
    }
    if (request.method === 'PUT' && url.pathname === '/api/data_sets/20002/flow/pause') {
      // The call stays in flight until the test lets it finish.
      await new Promise<void>((resolve) => (releasePut = resolve))
      version = 2
      return Response.json({ flows: [webShopFlow('ACTIVE', pausedLarge)] })
    }
    return Response.json(
      { status: 404, message: `No route ${request.method} ${url.pathname}` },
      { status: 404 },
    )
  })
}

const pausedLarge = {
  'data_set-20002': 'PAUSED',
  'data_set-20003': 'PAUSED',
  'data_sink-6002': 'PAUSED',
  'data_sink-6003': 'PAUSED',
} as const

let stateRenders = 0
const selectState = (detail: FlowDetail) => stateOf(detail.flow)

/** Stands in for the canvas: subscribes to the flow's state only. */
function StateView() {
  const { data } = useQuery({ ...flowQueries.detail(FLOW_ID), select: selectState })
  return <p>Large orders: {data?.resources['data_set-20002']?.status}</p>
}

/** Stands in for the flow page: owns the refresh interval and makes a control call. */
function Page() {
  const refetchInterval = useFlowPollInterval(FLOW_ID)
  const { data } = useQuery({ ...flowQueries.detail(FLOW_ID), refetchInterval })
  const { control } = useFlowActions(FLOW_ID)
  if (!data) return null
  const structure = structureOf(data.flow)
  const state = stateOf(data.flow)
  return (
    <>
      <p>Every {refetchInterval} ms</p>
      <button
        type="button"
        onClick={() =>
          control.mutate(
            controlCall(
              FLOW_ID,
              structure,
              (k) => state.resources[k]?.status,
              'data_set-20002',
              'pause',
              'downstream',
            ),
          )
        }
      >
        Pause downstream
      </button>
      <Profiler id="state" onRender={() => (stateRenders += 1)}>
        <StateView />
      </Profiler>
    </>
  )
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))

beforeEach(() => {
  vi.useFakeTimers()
  version = 1
  gets = []
  stateRenders = 0
  signIn('a-key', `${window.location.origin}/api`)
  vi.stubGlobal('fetch', fakeServer())
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  endSession('signed-out')
})

describe('freshness of the open flow', () => {
  it('polls every 5 s with If-None-Match; a 304 keeps the data and re-renders nothing', async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <Page />
      </QueryClientProvider>,
    )
    await advance(0)
    expect(screen.getByText('Large orders: ACTIVE')).toBeInTheDocument()
    expect(gets).toEqual([{ ifNoneMatch: null }])
    const rendersBefore = stateRenders

    await advance(POLL_MS - 100)
    expect(gets).toHaveLength(1)
    await advance(100)
    expect(gets).toEqual([{ ifNoneMatch: null }, { ifNoneMatch: 'W/"v1"' }])
    await advance(POLL_MS)
    expect(gets).toHaveLength(3)
    expect(stateRenders).toBe(rendersBefore)
  })

  it('polls every second while a control call is in flight, and stops fast polling when it ends', async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <Page />
      </QueryClientProvider>,
    )
    await advance(0)
    expect(screen.getByText(`Every ${POLL_MS} ms`)).toBeInTheDocument()

    fireEvent.click(screen.getByRole('button', { name: 'Pause downstream' }))
    await advance(0)
    expect(screen.getByText(`Every ${FAST_POLL_MS} ms`)).toBeInTheDocument()
    const atStart = gets.length
    await advance(3 * FAST_POLL_MS)
    expect(gets.length - atStart).toBe(3)

    // The call ends: the server's answer is shown and polling goes back to every 5 s.
    await act(async () => releasePut?.())
    await advance(0)
    expect(screen.getByText(`Every ${POLL_MS} ms`)).toBeInTheDocument()
    expect(screen.getByText('Large orders: PAUSED')).toBeInTheDocument()
    const afterCall = gets.length
    await advance(POLL_MS - 100)
    expect(gets.length).toBe(afterCall)
    await advance(100)
    expect(gets.length).toBe(afterCall + 1)
  })
})
