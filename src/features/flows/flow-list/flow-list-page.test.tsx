import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { endSession, signIn } from '../../../api/credentials'
import { meAs, webShopFlow } from '../../../test/flows'
import { fakeApi, renderApp } from '../../../test/render-app'

const me = {
  id: 2,
  org_id: 1,
  email: 'op@example.com',
  name: 'Olga Operator',
  role: 'operator',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  org: {
    id: 1,
    name: 'Default org',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  },
}

beforeEach(() => {
  localStorage.clear()
  signIn('a-key', `${window.location.origin}/api`)
})
afterEach(() => {
  vi.unstubAllGlobals()
  endSession('signed-out')
})

describe('flow list', () => {
  it('lists flows with their type and status as text, names never as HTML', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': { status: 200, body: me },
          'GET /api/flows': {
            status: 200,
            body: {
              flows: [
                webShopFlow('ACTIVE'),
                { ...webShopFlow('PAUSED'), id: 10006, name: '<b>not bold</b>', flow_type: 'batch' },
              ],
              data_sources: [],
            },
          },
        }),
      ),
    )
    renderApp('/flows')

    const table = await screen.findByRole('table', { name: 'Flows' })
    const rows = within(table).getAllByRole('row')
    expect(rows).toHaveLength(3)
    // Name, type, status, then sources, data sets and sinks.
    expect(rows[1]).toHaveTextContent('Web shop ordersStreamingActive144')
    expect(within(rows[2]!).getByRole('rowheader')).toHaveTextContent('<b>not bold</b>')
    expect(within(rows[2]!).getByText('Paused')).toBeInTheDocument()
    expect(screen.getByRole('banner')).toHaveTextContent('Olga Operator')
    expect(screen.getByRole('banner')).toHaveTextContent('Operator')
  })

  it('a viewer sees Activate / Pause disabled with the reason', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': { status: 200, body: meAs('viewer') },
          'GET /api/flows': { status: 200, body: { flows: [webShopFlow('ACTIVE')] } },
        }),
      ),
    )
    renderApp('/flows')

    const row = (await screen.findByRole('rowheader', { name: 'Web shop orders' })).closest('tr')!
    for (const name of ['Activate', 'Pause']) {
      const button = within(row).getByRole('button', { name })
      await waitFor(() => expect(button).toHaveAccessibleDescription('Operator role required'))
      expect(button).toHaveAttribute('aria-disabled', 'true')
    }
  })

  it('Pause pauses the entire flow, shows it at once and offers Undo', async () => {
    const user = userEvent.setup()
    const calls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': { status: 200, body: meAs('operator') },
          'GET /api/flows': { status: 200, body: { flows: [webShopFlow('ACTIVE')] } },
          'PUT /api/data_sources/5001/flow/pause': (request) => {
            calls.push(new URL(request.url).search)
            return { status: 200, body: { flows: [webShopFlow('PAUSED')] } }
          },
        }),
      ),
    )
    renderApp('/flows')

    const row = (await screen.findByRole('rowheader', { name: 'Web shop orders' })).closest('tr')!
    expect(within(row).getByRole('button', { name: 'Activate' })).toHaveAccessibleDescription(
      'Already active',
    )
    await user.click(within(row).getByRole('button', { name: 'Pause' }))

    expect(await within(row).findByText('Paused')).toBeInTheDocument()
    expect(calls).toEqual(['?flows_only=1&all=1'])
    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(toasts).toHaveTextContent('Paused 9 resources')
    expect(within(toasts).getByRole('button', { name: 'Undo' })).toBeInTheDocument()
  })

  it('shows how to create a flow when there is none', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': { status: 200, body: me },
          'GET /api/flows': { status: 200, body: { flows: [] } },
        }),
      ),
    )
    renderApp('/flows')

    expect(await screen.findByText('No flows yet.')).toBeInTheDocument()
    expect(screen.getByText('POST /api/flows')).toBeInTheDocument()
  })

  it("shows the server's message when the list fails", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': { status: 200, body: me },
          'GET /api/flows': {
            status: 500,
            body: { status: 500, message: 'Internal server error; the server log has the details' },
          },
        }),
      ),
    )
    renderApp('/flows')

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the flows: Internal server error; the server log has the details',
    )
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
  })

  it('shows a not-found page with a way back for unknown URLs', async () => {
    vi.stubGlobal('fetch', vi.fn(fakeApi({ 'GET /api/me': { status: 200, body: me } })))
    renderApp('/no/such/page')

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Go to flows' })).toHaveAttribute('href', '/flows')
  })

  it('redirects / to /flows', async () => {
    vi.stubGlobal('fetch', vi.fn(fakeApi({ 'GET /api/me': { status: 200, body: me } })))
    const { router } = renderApp('/')

    expect(await screen.findByRole('heading', { name: 'Flows' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/flows')
  })
})
