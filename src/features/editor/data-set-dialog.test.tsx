import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { createQueryClient } from '../../app/query-client'
import { endSession, signIn } from '../../api/credentials'
import type { EditRequest } from '../../api/edit-requests'
import { supportModalDialogs } from '../../test/dialog'
import { webShopFlow } from '../../test/flows'
import { FlowEditor } from './flow-editor'

/**
 * Add data set and Edit… of a data set, against a fake API that answers like the server: the transform preview runs
 * `amount >= 100 ? $ : amount < 10 ? $error("too small") : undefined` and refuses what does not compile.
 */
let previews: { transform: string; records: unknown[] }[] = []
let saves: { method: string; path: string; body: unknown }[] = []

function fakeServer() {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const path = new URL(request.url).pathname
    if (path === '/api/transforms/preview') {
      const body = (await request.json()) as { transform: string; records: { amount: number }[] }
      previews.push(body)
      if (body.transform.trim().endsWith('>'))
        return Response.json(
          {
            status: 400,
            message: 'transform: does not compile: Unexpected end of expression (at character 8)',
            field: 'transform',
            errors: [
              {
                field: 'transform',
                message: 'does not compile: Unexpected end of expression (at character 8)',
              },
            ],
          },
          { status: 400 },
        )
      return Response.json({
        results: body.records.map((r) =>
          body.transform === ''
            ? { ok: true, output: [r] }
            : r.amount >= 100
              ? { ok: true, output: [r] }
              : r.amount < 10
                ? { ok: false, error: { code: 'TRANSFORM_ERROR', message: 'too small' } }
                : { ok: true, output: [] },
        ),
      })
    }
    if (path === '/api/data_sets/20002' && request.method === 'GET')
      return Response.json({
        id: 20002,
        name: 'Large orders',
        description: null,
        status: 'ACTIVE',
        transform: 'amount >= 100 ? $ : undefined',
      })
    if (path.startsWith('/api/data_sets')) {
      const body = (await request.json()) as { name: string }
      saves.push({ method: request.method, path, body })
      return Response.json({ id: 20077, name: body.name })
    }
    return Response.json({ status: 404, message: `No route ${path}` }, { status: 404 })
  })
}

function renderEditor(request: EditRequest) {
  const client = createQueryClient()
  client.setDefaultOptions({ queries: { retry: false } })
  const props = { onClose: vi.fn(), onSelect: vi.fn(), onDeleted: vi.fn() }
  render(
    <QueryClientProvider client={client}>
      <FlowEditor flow={webShopFlow('ACTIVE')} request={request} {...props} />
    </QueryClientProvider>,
  )
  return props
}

beforeEach(() => {
  supportModalDialogs()
  localStorage.clear()
  signIn('a-key', `${window.location.origin}/api`)
  previews = []
  saves = []
  vi.stubGlobal('fetch', fakeServer())
})
afterEach(() => {
  vi.unstubAllGlobals()
  endSession('signed-out')
})

const source = { kind: 'data_source', id: 5001, name: 'Web shop orders', status: 'ACTIVE' } as const

describe('Add data set', () => {
  it('previews the transform on the sample records as it is typed, record by record, calling the server sparingly', async () => {
    const user = userEvent.setup()
    const props = renderEditor({ type: 'add-data-set', parent: source })
    const dialog = screen.getByRole('dialog', { name: 'Add data set' })
    expect(dialog).toHaveTextContent('Reads the records of the data source Web shop orders.')

    const transform = 'amount >= 100 ? $ : amount < 10 ? $error("too small") : undefined'
    await user.type(within(dialog).getByRole('textbox', { name: 'Transform (JSONata)' }), transform)
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('3 records, 1 error'))
    const [first, second, third] = within(within(dialog).getByRole('list')).getAllByRole('listitem')
    expect(first).toHaveTextContent(
      'Record 1: { "id": 1, "customer": "Ada", "amount": 120.5, "currency": "USD" }',
    )
    expect(second).toHaveTextContent('Record 2: Dropped (no output)')
    expect(third).toHaveTextContent('Record 3: Error record: too small (TRANSFORM_ERROR)')
    // Debounced: typing 70 characters is not 70 calls.
    expect(previews.length).toBeLessThan(5)
    expect(previews.at(-1)).toEqual({ transform, records: expect.any(Array) as unknown })

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Large orders')
    await user.click(within(dialog).getByRole('button', { name: 'Add data set' }))
    await waitFor(() => expect(props.onClose).toHaveBeenCalled())
    expect(saves).toEqual([
      {
        method: 'POST',
        path: '/api/data_sets',
        body: { name: 'Large orders', transform, data_source_id: 5001 },
      },
    ])
    expect(props.onSelect).toHaveBeenCalledWith('data_set-20077')
  })

  it('says under the transform why it does not compile, and what is wrong with the sample records', async () => {
    const user = userEvent.setup()
    renderEditor({ type: 'add-data-set', parent: { ...source, kind: 'data_set', id: 20001, name: 'Orders' } })
    const transform = screen.getByRole('textbox', { name: 'Transform (JSONata)' })
    await user.type(transform, 'amount >')
    await waitFor(() => expect(transform).toHaveAttribute('aria-invalid', 'true'))
    expect(transform).toHaveAccessibleDescription(
      expect.stringContaining('Does not compile: Unexpected end of expression (at character 8)') as string,
    )

    const samples = screen.getByRole('textbox', { name: 'Sample records' })
    await user.clear(samples)
    await user.type(samples, '{{"amount": ')
    await waitFor(() =>
      expect(samples).toHaveAccessibleDescription(expect.stringMatching(/^Not valid JSON/) as string),
    )
    const calls = previews.length
    await new Promise((r) => setTimeout(r, 500))
    expect(previews.length).toBe(calls)
  })
})

describe('Edit… of a data set', () => {
  it('keeps the transform of an active data set read-only, says "Pause to edit", and saves only its name', async () => {
    const user = userEvent.setup()
    const props = renderEditor({
      type: 'edit',
      node: { kind: 'data_set', id: 20002, name: 'Large orders', status: 'ACTIVE' },
    })
    const dialog = screen.getByRole('dialog', { name: 'Edit data set' })
    const transform = await within(dialog).findByRole('textbox', { name: 'Transform (JSONata)' })
    expect(transform).toHaveValue('amount >= 100 ? $ : undefined')
    expect(transform).toHaveAttribute('readonly')
    expect(within(dialog).getByText('Pause to edit')).toBeInTheDocument()

    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await user.clear(name)
    await user.type(name, 'Big orders')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(props.onClose).toHaveBeenCalled())
    expect(saves).toEqual([
      { method: 'PUT', path: '/api/data_sets/20002', body: { name: 'Big orders', description: null } },
    ])
  })
})
