import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { endSession, signIn } from '../../api/credentials'
import { meAs, webShopFlow } from '../../test/flows'
import { supportModalDialogs } from '../../test/dialog'
import { fakeApi, renderApp } from '../../test/render-app'

const catalog = {
  sources: [
    {
      type: 'file',
      label: 'File',
      config_schema: {
        type: 'object',
        required: ['path', 'format'],
        properties: {
          path: {
            type: 'string',
            minLength: 1,
            description: 'A folder or one file, relative to the data root',
          },
          format: {
            anyOf: [
              { type: 'string', const: 'ndjson' },
              { type: 'string', const: 'csv' },
            ],
          },
        },
      },
    },
  ],
  sinks: [],
}

/** What the server answers to a path outside the data root (captured from the real server). */
const refused = {
  status: 400,
  message: "data_source.source_config.path: must not contain '..'",
  field: 'data_source.source_config.path',
  errors: [{ field: 'source_config.path', message: "must not contain '..'" }],
}

let posts: unknown[] = []

beforeEach(() => {
  supportModalDialogs()
  localStorage.clear()
  signIn('a-key', `${window.location.origin}/api`)
  posts = []
})
afterEach(() => {
  vi.unstubAllGlobals()
  endSession('signed-out')
})

/** The fake API with a POST /api/flows that refuses `../` paths like the server, and creates otherwise. */
function stubServer(role: 'admin' | 'operator' = 'admin') {
  const routes = fakeApi({
    'GET /api/me': { status: 200, body: meAs(role) },
    'GET /api/flows': { status: 200, body: { flows: [] } },
    'GET /api/connectors': { status: 200, body: catalog },
  })
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    if (request.method === 'POST' && new URL(request.url).pathname === '/api/flows') {
      const body = (await request.json()) as { data_source: { source_config: { path: string } } }
      posts.push(body)
      if (body.data_source.source_config.path.includes('..')) return Response.json(refused, { status: 400 })
      return Response.json({ flows: [{ ...webShopFlow('INIT'), id: 10042, name: 'Orders in' }] })
    }
    return routes(input, init)
  })
  vi.stubGlobal('fetch', fetchMock)
}

describe('New flow', () => {
  it('asks for what is required before calling the server, then shows the server’s message next to its field', async () => {
    stubServer()
    const user = userEvent.setup()
    const { router } = renderApp('/flows')

    await user.click(await screen.findByRole('button', { name: 'New flow' }))
    const dialog = await screen.findByRole('dialog', { name: 'New flow' })
    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(name).toHaveFocus())

    await user.click(within(dialog).getByRole('button', { name: 'Create flow' }))
    expect(name).toHaveAccessibleDescription('Also the name of its data source. Give the flow a name')
    expect(within(dialog).getByRole('textbox', { name: 'Path' })).toHaveAccessibleDescription(
      'A folder or one file, relative to the data root Required',
    )
    expect(name).toHaveFocus()
    expect(posts).toEqual([])

    await user.type(name, 'Orders in')
    await user.click(within(dialog).getByRole('radio', { name: 'Batch' }))
    await user.type(within(dialog).getByRole('textbox', { name: 'Path' }), '../etc')
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Format' }), 'ndjson')
    await user.click(within(dialog).getByRole('button', { name: 'Create flow' }))

    const path = within(dialog).getByRole('textbox', { name: 'Path' })
    await waitFor(() => expect(path).toHaveAttribute('aria-invalid', 'true'))
    expect(path).toHaveAccessibleDescription(
      "A folder or one file, relative to the data root Must not contain '..'",
    )
    expect(path).toHaveFocus()
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument()

    await user.clear(path)
    await user.type(path, 'orders/in')
    await user.click(within(dialog).getByRole('button', { name: 'Create flow' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/flows/10042'))
    expect(posts.at(-1)).toEqual({
      name: 'Orders in',
      flow_type: 'batch',
      data_source: { connector_type: 'file', source_config: { path: 'orders/in', format: 'ndjson' } },
    })
  })

  it('is disabled, with the reason, for someone who may not create flows', async () => {
    stubServer('operator')
    const user = userEvent.setup()
    renderApp('/flows')
    const button = await screen.findByRole('button', { name: 'New flow' })
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'))
    expect(button).toHaveAccessibleDescription('Admin role required')
    await user.click(button)
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })
})
