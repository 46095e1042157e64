import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { createQueryClient } from '../../app/query-client'
import { endSession, signIn } from '../../api/credentials'
import { aRun, polyfillDialog } from '../../test/runs'
import { localInputToUnix } from './format'
import { StartRunDialog, validateRunForm } from './start-run-dialog'

/** The Start run form (console.md "The Runs panel"): optional window, delta column, Wait for completion. */

interface Sent {
  url: string
  body: unknown
}
let sent: Sent[] = []

function fakeServer(answer: (url: URL, body: unknown) => Response | Promise<Response>) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const body: unknown = request.method === 'POST' ? await request.json() : undefined
    sent.push({ url: `${request.method} ${url.pathname}${url.search}`, body })
    // Like fetch: an abort rejects the call, however long the server takes.
    const aborted = new Promise<never>((_, reject) =>
      init?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))),
    )
    return Promise.race([answer(url, body), aborted])
  })
}

function renderDialog(props: { deltaColumn?: string | null } = {}) {
  const handlers = { onClose: vi.fn(), onStarted: vi.fn(), onStoppedWaiting: vi.fn() }
  render(
    <QueryClientProvider client={createQueryClient()}>
      <StartRunDialog flowId={10001} deltaColumn={props.deltaColumn ?? null} {...handlers} />
    </QueryClientProvider>,
  )
  return handlers
}

beforeAll(polyfillDialog)
beforeEach(() => {
  sent = []
  signIn('a-key', `${window.location.origin}/api`)
})
afterEach(() => {
  vi.unstubAllGlobals()
  endSession('signed-out')
})

describe('validateRunForm', () => {
  const form = { windowStart: '', windowEnd: '', deltaColumn: '', wait: false }
  it('accepts an empty form and a window open on either side', () => {
    expect(validateRunForm(form)).toEqual({})
    expect(validateRunForm({ ...form, windowStart: '2026-11-01T00:00' })).toEqual({})
    expect(validateRunForm({ ...form, windowEnd: '2026-11-01T00:00' })).toEqual({})
  })
  it('wants the end after the start, not equal to it', () => {
    const msg = { windowEnd: 'Window end must be after window start' }
    expect(
      validateRunForm({ ...form, windowStart: '2026-11-02T00:00', windowEnd: '2026-11-01T00:00' }),
    ).toEqual(msg)
    expect(
      validateRunForm({ ...form, windowStart: '2026-11-01T00:00', windowEnd: '2026-11-01T00:00' }),
    ).toEqual(msg)
    expect(
      validateRunForm({ ...form, windowStart: '2026-11-01T00:00', windowEnd: '2026-11-01T00:00:01' }),
    ).toEqual({})
  })
})

describe('Start run dialog', () => {
  it('shows the window problem inline, sends nothing, and sends the window as unix seconds once fixed', async () => {
    vi.stubGlobal(
      'fetch',
      fakeServer(() => Response.json(aRun({ status: 'Pending', completed_at: null }))),
    )
    const user = userEvent.setup()
    const { onStarted } = renderDialog()
    const dialog = screen.getByRole('dialog', { name: 'Start run' })
    expect(dialog).toHaveAttribute('open')

    const start = screen.getByLabelText('Window start')
    const end = screen.getByLabelText('Window end')
    await user.type(start, '2026-11-02T08:00')
    await user.type(end, '2026-11-01T08:00')
    await user.click(screen.getByRole('button', { name: 'Start' }))

    expect(end).toHaveAttribute('aria-invalid', 'true')
    expect(end).toHaveAccessibleDescription('Window end must be after window start')
    expect(end).toHaveFocus()
    expect(sent).toEqual([])

    await user.clear(end)
    await user.type(end, '2026-11-03T08:00')
    // The message goes as soon as the form is right again.
    expect(end).not.toHaveAttribute('aria-invalid')
    await user.click(screen.getByRole('button', { name: 'Start' }))

    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1))
    expect(sent).toEqual([
      {
        url: 'POST /api/flows/10001/runs',
        body: {
          params: {
            windowStartTime: localInputToUnix('2026-11-02T08:00'),
            windowEndTime: localInputToUnix('2026-11-03T08:00'),
          },
        },
      },
    ])
    expect(onStarted.mock.calls[0]?.[1]).toBe(false)
  })

  it('a fixed delta column is shown, cannot change, and is not sent again', async () => {
    vi.stubGlobal(
      'fetch',
      fakeServer(() => Response.json(aRun({ status: 'Pending', completed_at: null }))),
    )
    const user = userEvent.setup()
    const { onStarted } = renderDialog({ deltaColumn: 'updated_at' })
    const column = screen.getByLabelText('Delta column')
    expect(column).toHaveValue('updated_at')
    expect(column).toHaveAttribute('readonly')
    expect(column).toHaveAccessibleDescription(/Fixed by an earlier run/)
    await user.type(column, 'x')
    expect(column).toHaveValue('updated_at')

    await user.click(screen.getByRole('button', { name: 'Start' }))
    await waitFor(() => expect(onStarted).toHaveBeenCalled())
    expect(sent[0]?.body).toEqual({})
  })

  it("a new delta column is sent; the server's refusal shows at the field", async () => {
    const message =
      "params.deltaColumn.name: the flow's delta column is 'id', fixed by its first run that named one; it cannot change to 'email' (repeat it or leave it out)"
    vi.stubGlobal(
      'fetch',
      fakeServer(() =>
        Response.json({ status: 400, message, field: 'params.deltaColumn.name' }, { status: 400 }),
      ),
    )
    const user = userEvent.setup()
    const { onStarted } = renderDialog()
    const column = screen.getByLabelText('Delta column')
    expect(column).not.toHaveAttribute('readonly')
    await user.type(column, ' email ')
    await user.click(screen.getByRole('button', { name: 'Start' }))

    await waitFor(() => expect(column).toHaveAttribute('aria-invalid', 'true'))
    expect(sent[0]?.body).toEqual({ params: { deltaColumn: { name: 'email' } } })
    expect(column).toHaveAccessibleDescription(expect.stringContaining("the flow's delta column is 'id'"))
    expect(onStarted).not.toHaveBeenCalled()
  })

  it("a refusal that is not about a field is an alert with the server's message", async () => {
    const message = 'Flow 10001 cannot run: its data source 5001 is PAUSED; activate the flow first'
    vi.stubGlobal(
      'fetch',
      fakeServer(() => Response.json({ status: 409, message }, { status: 409 })),
    )
    const user = userEvent.setup()
    renderDialog()
    await user.click(screen.getByRole('button', { name: 'Start' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(message)
  })

  it('Wait for completion asks with ?await=true and shows that it waits; Stop waiting lets the run go on', async () => {
    let answer: ((r: Response) => void) | undefined
    vi.stubGlobal(
      'fetch',
      fakeServer(
        (_url) =>
          new Promise<Response>((resolve) => {
            answer = resolve
          }),
      ),
    )
    const user = userEvent.setup()
    const { onStarted, onStoppedWaiting } = renderDialog()
    await user.click(screen.getByLabelText('Wait for completion'))
    await user.click(screen.getByRole('button', { name: 'Start and wait' }))

    expect(await screen.findByRole('status')).toHaveTextContent('Waiting for the run to end…')
    expect(screen.getByRole('button', { name: 'Waiting…' })).toBeDisabled()
    expect(sent[0]?.url).toBe('POST /api/flows/10001/runs?await=true')
    expect(answer).toBeDefined()

    await user.click(screen.getByRole('button', { name: 'Stop waiting' }))
    await waitFor(() => expect(onStoppedWaiting).toHaveBeenCalledTimes(1))
    expect(onStarted).not.toHaveBeenCalled()
  })

  it('a waited run reports how it ended', async () => {
    const ended = aRun({
      status: 'Failed',
      error: { code: 'SINK_ERROR', message: 'data sink 6001: cannot write' },
    })
    vi.stubGlobal(
      'fetch',
      fakeServer(() => Response.json(ended)),
    )
    const user = userEvent.setup()
    const { onStarted } = renderDialog()
    await user.click(screen.getByLabelText('Wait for completion'))
    await user.click(screen.getByRole('button', { name: 'Start and wait' }))
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(ended, true))
  })
})
