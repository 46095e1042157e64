import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { endSession, signIn } from '../../api/credentials'
import { fakeApi, renderApp } from '../../test/render-app'

const me = {
  id: 1,
  org_id: 1,
  email: 'admin@localhost',
  name: 'Administrator',
  role: 'super_user',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  org: {
    id: 1,
    name: 'Default org',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  },
}
const GOOD_KEY = 'good-key-0123456789'
const unauthorized = { status: 401, message: 'The API key or access token is unknown, revoked or expired' }

/** GET /api/me answers for GOOD_KEY only, like the server. */
const meRoute = (request: Request) =>
  request.headers.get('authorization') === `Bearer ${GOOD_KEY}`
    ? { status: 200, body: me }
    : { status: 401, body: unauthorized }

beforeEach(() => {
  endSession('signed-out')
  localStorage.clear()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('login', () => {
  it("shows the server's message on a 401 and keeps no key", async () => {
    const fetchMock = vi.fn(fakeApi({ 'GET /api/me': meRoute }))
    vi.stubGlobal('fetch', fetchMock)
    const user = userEvent.setup()
    renderApp('/login')

    await user.type(screen.getByLabelText('API key'), 'wrong-key')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent(unauthorized.message)
    expect(localStorage.getItem('flow-console.api-key')).toBeNull()
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    const [url] = fetchMock.mock.calls[0]!
    expect(url).toBe(`${window.location.origin}/api/me`)
  })

  it('stores the key and goes to /flows on success', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(fakeApi({ 'GET /api/me': meRoute, 'GET /api/flows': { status: 200, body: { flows: [] } } })),
    )
    const user = userEvent.setup()
    const { router } = renderApp('/login')

    await user.type(screen.getByLabelText('API key'), GOOD_KEY)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { name: 'Flows' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/flows')
    expect(localStorage.getItem('flow-console.api-key')).toBe(GOOD_KEY)
    expect(screen.getByRole('banner')).toHaveTextContent('Administrator')
    expect(await screen.findByText(/No flows yet/)).toBeInTheDocument()
  })

  it('asks for a key before calling the server', async () => {
    const fetchMock = vi.fn(fakeApi({}))
    vi.stubGlobal('fetch', fetchMock)
    const user = userEvent.setup()
    renderApp('/login')

    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(screen.getByText('Enter an API key')).toBeInTheDocument()
    expect(screen.getByLabelText('API key')).toHaveAttribute('aria-invalid', 'true')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('returns to the page the person was sent from', async () => {
    vi.stubGlobal('fetch', vi.fn(fakeApi({ 'GET /api/me': meRoute })))
    const user = userEvent.setup()
    const { router } = renderApp('/somewhere/deep?x=1')

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/somewhere/deep?x=1')}`)
    await user.type(screen.getByLabelText('API key'), GOOD_KEY)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/somewhere/deep')
    expect(router.state.location.search).toBe('?x=1')
  })

  it('a 401 from any request forgets the key and returns to /login with a notice', async () => {
    signIn('revoked-key', `${window.location.origin}/api`)
    vi.stubGlobal(
      'fetch',
      vi.fn(fakeApi({ 'GET /api/me': meRoute, 'GET /api/flows': { status: 401, body: unauthorized } })),
    )
    const { router } = renderApp('/flows')

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(localStorage.getItem('flow-console.api-key')).toBeNull()
    expect(screen.getByRole('status')).toHaveTextContent('no longer accepts the API key')
    expect(router.state.location.pathname).toBe('/login')
  })

  it('signing out returns to /login and forgets the key', async () => {
    signIn(GOOD_KEY, `${window.location.origin}/api`)
    vi.stubGlobal(
      'fetch',
      vi.fn(
        fakeApi({
          'GET /api/me': meRoute,
          'GET /api/flows': { status: 200, body: { flows: [] } },
        }),
      ),
    )
    const user = userEvent.setup()
    const { router } = renderApp('/flows')

    expect(await screen.findByText(/No flows yet/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Sign out' }))

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
    expect(router.state.location.search).toBe('')
    expect(localStorage.getItem('flow-console.api-key')).toBeNull()
  })
})
