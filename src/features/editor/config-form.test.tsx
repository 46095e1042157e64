import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ConfigForm } from './config-form'
import { defaultsOf, fieldsOf, humanize, missingRequired } from './config-schema'

/** The file source's config schema exactly as `GET /api/connectors` publishes it. */
const fileSource = {
  type: 'object',
  required: ['path', 'format'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: 'A folder (every file in it) or one file, relative to the data root',
    },
    format: {
      anyOf: [
        { type: 'string', const: 'ndjson' },
        { type: 'string', const: 'csv' },
        { type: 'string', const: 'json' },
      ],
      description: 'Record format of the files',
    },
  },
  additionalProperties: false,
}

/** A connector the console has never seen: every kind of field the form builds. */
const futureConnector = {
  type: 'object',
  required: ['table', 'batch_size'],
  properties: {
    table: { type: 'string', title: 'Table name' },
    batch_size: { type: 'integer', minimum: 1, maximum: 10000, default: 500, description: 'Rows per write' },
    ratio: { type: 'number' },
    upsert: { type: 'boolean', description: 'Update rows that exist' },
    mode: { enum: ['append', 'replace'] },
    schemaName: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
  },
}

function Harness({
  schema,
  initial = {},
  errors = {},
  readOnly = false,
  onChange = () => {},
}: {
  schema: unknown
  initial?: Record<string, unknown>
  errors?: Record<string, string>
  readOnly?: boolean
  onChange?: (value: Record<string, unknown>) => void
}) {
  const [value, setValue] = useState(initial)
  return (
    <form>
      <ConfigForm
        schema={schema}
        value={value}
        errors={errors}
        readOnly={readOnly}
        idPrefix="t"
        onChange={(next) => {
          setValue(next)
          onChange(next)
        }}
      />
    </form>
  )
}

describe('config schema → fields', () => {
  it('reads the file connector: a required text field and a required select of its literals', () => {
    expect(fieldsOf(fileSource)).toEqual([
      {
        key: 'path',
        label: 'Path',
        description: 'A folder (every file in it) or one file, relative to the data root',
        required: true,
        default: undefined,
        kind: 'text',
        minLength: 1,
        maxLength: undefined,
      },
      {
        key: 'format',
        label: 'Format',
        description: 'Record format of the files',
        required: true,
        default: undefined,
        kind: 'select',
        options: [
          { value: 'ndjson', label: 'ndjson' },
          { value: 'csv', label: 'csv' },
          { value: 'json', label: 'json' },
        ],
      },
    ])
  })

  it('reads every kind of field of a connector it has never seen', () => {
    const fields = fieldsOf(futureConnector)
    expect(fields.map((f) => [f.key, f.kind, f.label, f.required])).toEqual([
      ['table', 'text', 'Table name', true],
      ['batch_size', 'number', 'Batch size', true],
      ['ratio', 'number', 'Ratio', false],
      ['upsert', 'checkbox', 'Upsert', false],
      ['mode', 'select', 'Mode', false],
      ['schemaName', 'text', 'Schema name', false],
      ['headers', 'json', 'Headers', false],
    ])
    expect(fields[1]).toMatchObject({ integer: true, minimum: 1, maximum: 10000 })
    expect(defaultsOf(fields)).toEqual({ batch_size: 500 })
  })

  it('names required fields left empty', () => {
    const fields = fieldsOf(fileSource)
    expect(missingRequired(fields, {})).toEqual({ path: 'Required', format: 'Required' })
    expect(missingRequired(fields, { path: 'in', format: 'csv' })).toEqual({})
  })

  it('turns keys into labels', () => {
    expect(humanize('delta_column')).toBe('Delta column')
    expect(humanize('deltaColumn')).toBe('Delta column')
    expect(humanize('path')).toBe('Path')
  })

  it('has no fields for a schema that is not an object schema', () => {
    expect(fieldsOf(undefined)).toEqual([])
    expect(fieldsOf({ type: 'string' })).toEqual([])
  })
})

describe('config form', () => {
  it('draws the file connector from its schema: labelled fields, help as description, required marked', async () => {
    const user = userEvent.setup()
    const onChange = vi.fn()
    render(<Harness schema={fileSource} onChange={onChange} />)

    const path = screen.getByRole('textbox', { name: 'Path' })
    expect(path).toHaveAccessibleDescription(
      'A folder (every file in it) or one file, relative to the data root',
    )
    expect(path).toHaveAttribute('aria-required', 'true')
    const format = screen.getByRole('combobox', { name: 'Format' })
    expect(
      within(format)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose…', 'ndjson', 'csv', 'json'])

    await user.type(path, 'in/orders')
    await user.selectOptions(format, 'csv')
    expect(onChange).toHaveBeenLastCalledWith({ path: 'in/orders', format: 'csv' })
    // Once chosen, a required select has no empty choice to go back to.
    expect(within(format).getAllByRole('option')).toHaveLength(3)

    await user.clear(path)
    expect(onChange).toHaveBeenLastCalledWith({ format: 'csv' })
  })

  it('shows a message next to its field, and the field says it is invalid', () => {
    render(
      <Harness schema={fileSource} errors={{ path: "must not contain '..'" }} initial={{ path: '../x' }} />,
    )
    const path = screen.getByRole('textbox', { name: 'Path' })
    expect(path).toHaveAttribute('aria-invalid', 'true')
    expect(path).toHaveAccessibleDescription(
      "A folder (every file in it) or one file, relative to the data root Must not contain '..'",
    )
    expect(screen.getByRole('combobox', { name: 'Format' })).not.toHaveAttribute('aria-invalid')
  })

  it('builds numbers, checkboxes, selects and JSON for a new connector, and keeps keys it does not know', async () => {
    const user = userEvent.setup()
    const onChange = vi.fn()
    render(
      <Harness schema={futureConnector} initial={{ batch_size: 500, legacy: 'kept' }} onChange={onChange} />,
    )

    const size = screen.getByRole('spinbutton', { name: 'Batch size' })
    expect(size).toHaveValue(500)
    expect(size).toHaveAttribute('min', '1')
    await user.clear(size)
    await user.type(size, '250')
    expect(onChange).toHaveBeenLastCalledWith({ batch_size: 250, legacy: 'kept' })

    await user.click(screen.getByRole('checkbox', { name: 'Upsert' }))
    expect(onChange).toHaveBeenLastCalledWith({ batch_size: 250, legacy: 'kept', upsert: true })
    expect(screen.getByRole('checkbox', { name: 'Upsert' })).toHaveAccessibleDescription(
      'Update rows that exist',
    )

    await user.selectOptions(screen.getByRole('combobox', { name: 'Mode' }), 'replace')
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ mode: 'replace' }))

    const headers = screen.getByRole('textbox', { name: 'Headers' })
    await user.type(headers, '{{"x": "1"}')
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ headers: { x: '1' } }))
  })

  it('shows an active resource’s config without letting it change', () => {
    render(<Harness schema={fileSource} initial={{ path: 'in', format: 'csv' }} readOnly />)
    expect(screen.getByRole('textbox', { name: 'Path' })).toBeDisabled()
    expect(screen.getByRole('textbox', { name: 'Path' })).toHaveValue('in')
    expect(screen.getByRole('combobox', { name: 'Format' })).toBeDisabled()
  })

  it('says so when a connector needs no settings', () => {
    render(<Harness schema={{ type: 'object', properties: {} }} />)
    expect(screen.getByText('This connector needs no settings.')).toBeInTheDocument()
  })
})
