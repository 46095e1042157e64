import { render } from '@testing-library/react'
import { createMemoryRouter } from 'react-router-dom'
import { App } from '../app/app'
import { createQueryClient } from '../app/query-client'
import { createRoutes } from '../app/router'

/** The whole console (real routes, real providers) at `path`, in memory. */
export function renderApp(path: string) {
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false } })
  const router = createMemoryRouter(createRoutes(queryClient), { initialEntries: [path] })
  return { router, queryClient, ...render(<App router={router} queryClient={queryClient} />) }
}

type Reply = { status: number; body: unknown } | ((request: Request) => { status: number; body: unknown })

/**
 * A fake `fetch` answering by "METHOD /path" (path relative to the origin, query ignored); anything not listed
 * gets the server's 404 shape. Returns the mock so tests can look at the requests made.
 */
export function fakeApi(routes: Record<string, Reply>) {
  const fetchMock = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const route = `${request.method} ${url.pathname}`
    const reply = routes[route]
    const { status, body } =
      typeof reply === 'function'
        ? reply(request)
        : (reply ?? { status: 404, body: { status: 404, message: `No route ${route}` } })
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
  }
  return fetchMock
}
