import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/http'
import { formProblems, normalizeField, problemsOf } from './field-errors'

/** Bodies as the real server sends them (captured from `npm start`), so the mapping is tested on true shapes. */
const nestedSource = {
  status: 400,
  message: 'data_source.source_config.format: must be one of "ndjson", "csv", "json"',
  field: 'data_source.source_config.format',
  errors: [
    { field: 'source_config.format', message: 'must be one of "ndjson", "csv", "json"' },
    { field: 'source_config.path', message: "must not contain '..'" },
  ],
}
const nestedTransform = {
  status: 400,
  message: 'data_sets[0].transform: does not compile: Expected ")" before end of expression (at character 3)',
  field: 'data_sets[0].transform',
  errors: [
    {
      field: 'transform',
      message: 'does not compile: Expected ")" before end of expression (at character 3)',
    },
  ],
}
const emptyName = {
  status: 400,
  message: 'name: must not have fewer than 1 characters',
  field: 'name',
  errors: [{ field: 'name', message: 'must not have fewer than 1 characters' }],
}
const unionDirectory = {
  status: 400,
  message: 'configuration.error_stage.type: must be one of "DISCARD"',
  field: 'configuration.error_stage.type',
  errors: [
    { field: 'configuration.error_stage.type', message: 'must be one of "DISCARD"' },
    { field: 'configuration.error_stage.directory', message: 'is required' },
    { field: 'configuration.error_stage', message: 'must match a schema in anyOf' },
  ],
}
const confinedDirectory = {
  status: 400,
  message: "configuration.error_stage.directory: must not contain '..'",
  field: 'configuration.error_stage.directory',
}
const activeTransform = {
  status: 405,
  message: 'Data set 20002 is ACTIVE: pause it before changing transform',
  fields: ['transform'],
}

const error = (body: { status: number; message: string }) => new ApiError(body)

describe('field names', () => {
  it('reads data_sets[0].transform and data_sets.0.transform as one field', () => {
    expect(normalizeField('data_sets[0].transform')).toBe('data_sets.0.transform')
    expect(normalizeField('data_sinks[12].sink_config.path')).toBe('data_sinks.12.sink_config.path')
    expect(normalizeField('source_config.path')).toBe('source_config.path')
  })
})

describe('problems of a 400', () => {
  it('puts the outer part of a nested POST /api/flows field back on every inner problem', () => {
    expect(problemsOf(nestedSource)).toEqual([
      { field: 'data_source.source_config.format', message: 'must be one of "ndjson", "csv", "json"' },
      { field: 'data_source.source_config.path', message: "must not contain '..'" },
    ])
    expect(problemsOf(nestedTransform)).toEqual([
      { field: 'data_sets.0.transform', message: nestedTransform.errors[0]!.message },
    ])
  })

  it('drops the "must match a schema in anyOf" noise of a union when its fields say more', () => {
    expect(problemsOf(unionDirectory).map((p) => p.field)).toEqual([
      'configuration.error_stage.type',
      'configuration.error_stage.directory',
    ])
  })

  it('uses field and message when there is no errors list, without repeating the field in the message', () => {
    expect(problemsOf(confinedDirectory)).toEqual([
      { field: 'configuration.error_stage.directory', message: "must not contain '..'" },
    ])
  })
})

describe('mapping a refused save onto a form', () => {
  it('gives each shown field its message', () => {
    expect(formProblems(error(emptyName), ['name', 'description'])).toEqual({
      fields: { name: 'must not have fewer than 1 characters' },
      general: null,
    })
  })

  it('strips the prefix the form leaves out (the source part of a new flow)', () => {
    const shown = ['name', 'connector_type', 'source_config.path', 'source_config.format']
    expect(formProblems(error(nestedSource), shown, 'data_source')).toEqual({
      fields: {
        'source_config.format': 'must be one of "ndjson", "csv", "json"',
        'source_config.path': "must not contain '..'",
      },
      general: null,
    })
  })

  it('keeps what has no field on the form as the general message, so nothing the server said is lost', () => {
    expect(formProblems(error(unionDirectory), ['configuration.error_stage.directory'])).toEqual({
      fields: { 'configuration.error_stage.directory': 'is required' },
      general: 'configuration.error_stage.type: must be one of "DISCARD"',
    })
  })

  it('shows a 405 (active resource), 403 or 409 as the general message', () => {
    expect(formProblems(error(activeTransform), ['transform'])).toEqual({
      fields: {},
      general: 'Data set 20002 is ACTIVE: pause it before changing transform',
    })
    expect(
      formProblems(error({ status: 403, message: 'Admin role or ownership required to edit' }), ['name'])
        .general,
    ).toBe('Admin role or ownership required to edit')
  })

  it('shows the whole message when a 400 names no field at all', () => {
    expect(formProblems(error({ status: 400, message: 'body: must be object' }), ['name'])).toEqual({
      fields: {},
      general: 'body: must be object',
    })
  })

  it('shows a network failure or any other error as the general message', () => {
    expect(formProblems(error({ status: 0, message: 'Could not reach the API' }), ['name']).general).toBe(
      'Could not reach the API',
    )
    expect(formProblems(new Error('boom'), ['name'])).toEqual({ fields: {}, general: 'boom' })
  })
})
