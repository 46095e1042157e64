import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'
import { buildFlow, ok, sinkBody, snapshot, sourceBody } from '../test-support/fixtures.js'

interface Case {
  name: string
  method: 'GET' | 'POST' | 'PUT'
  url: string
  body?: object
  field: string
}

type Ids = Awaited<ReturnType<typeof buildFlow>> & { credential: { id: number } }

const cases = (r: Ids): Case[] => [
  // Bodies the schema refuses
  {
    name: 'missing name',
    method: 'POST',
    url: '/api/data_sources',
    body: { connector_type: 'file' },
    field: 'name',
  },
  {
    name: 'empty name',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ name: '' }),
    field: 'name',
  },
  {
    name: 'unknown field',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ colour: 'red' }),
    field: 'colour',
  },
  {
    name: 'wrong type',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ name: 42 }),
    field: 'name',
  },
  {
    name: 'wrong tag type',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ tags: [1] }),
    field: 'tags[0]',
  },
  {
    name: 'config not an object',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_config: 'in' }),
    field: 'source_config',
  },
  {
    name: 'credentials missing',
    method: 'POST',
    url: '/api/data_credentials',
    body: { name: 'c', credentials_type: 'basic' },
    field: 'credentials',
  },
  {
    name: 'sink without data set',
    method: 'POST',
    url: '/api/data_sinks',
    body: { name: 'k', connector_type: 'file' },
    field: 'data_set_id',
  },
  // Connectors and paths
  {
    name: 'bad connector_type',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ connector_type: 'ftp' }),
    field: 'connector_type',
  },
  {
    name: 'no connector_type',
    method: 'POST',
    url: '/api/data_sources',
    body: { name: 'x' },
    field: 'connector_type',
  },
  {
    name: 'alias disagrees',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_type: 'ftp' }),
    field: 'source_type',
  },
  {
    name: 'bad format',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_config: { path: 'in', format: 'xml' } }),
    field: 'source_config.format',
  },
  {
    name: 'unknown config key',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_config: { path: 'in', format: 'csv', delimiter: ';' } }),
    field: 'source_config.delimiter',
  },
  {
    name: 'absolute path',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_config: { path: '/etc/passwd', format: 'csv' } }),
    field: 'source_config.path',
  },
  {
    name: 'path with ..',
    method: 'POST',
    url: '/api/data_sources',
    body: sourceBody({ source_config: { path: 'in/../../secrets', format: 'csv' } }),
    field: 'source_config.path',
  },
  {
    name: 'sink path with ..',
    method: 'POST',
    url: '/api/data_sinks',
    body: sinkBody(r.set.id, { sink_config: { path: '../out', format: 'csv' } }),
    field: 'sink_config.path',
  },
  {
    name: 'sink absolute path',
    method: 'POST',
    url: '/api/data_sinks',
    body: sinkBody(r.set.id, { sink_config: { path: '/tmp/out', format: 'csv' } }),
    field: 'sink_config.path',
  },
  // Data sets
  {
    name: 'both data_source_id and parent_data_set_id',
    method: 'POST',
    url: '/api/data_sets',
    body: { name: 'd', data_source_id: r.source.id, parent_data_set_id: r.set.id },
    field: 'data_source_id',
  },
  {
    name: 'neither data_source_id nor parent_data_set_id',
    method: 'POST',
    url: '/api/data_sets',
    body: { name: 'd' },
    field: 'data_source_id',
  },
  {
    name: 'bad JSONata transform',
    method: 'POST',
    url: '/api/data_sets',
    body: { name: 'd', data_source_id: r.source.id, transform: '{"a": $.b' },
    field: 'transform',
  },
  // Updates
  {
    name: 'PUT unknown field (source)',
    method: 'PUT',
    url: `/api/data_sources/${r.source.id}`,
    body: { colour: 'red' },
    field: 'colour',
  },
  {
    name: 'PUT unknown field (set)',
    method: 'PUT',
    url: `/api/data_sets/${r.set.id}`,
    body: { data_source_id: 1 },
    field: 'data_source_id',
  },
  {
    name: 'PUT unknown field (sink)',
    method: 'PUT',
    url: `/api/data_sinks/${r.sink.id}`,
    body: { colour: 'red' },
    field: 'colour',
  },
  {
    name: 'PUT unknown field (credential)',
    method: 'PUT',
    url: `/api/data_credentials/${r.credential.id}`,
    body: { colour: 'red' },
    field: 'colour',
  },
  {
    name: 'PUT empty name',
    method: 'PUT',
    url: `/api/data_sets/${r.set.id}`,
    body: { name: '' },
    field: 'name',
  },
  {
    name: 'PUT bad transform',
    method: 'PUT',
    url: `/api/data_sets/${r.set.id}`,
    body: { transform: '$$(' },
    field: 'transform',
  },
  {
    name: 'PUT path with ..',
    method: 'PUT',
    url: `/api/data_sources/${r.source.id}`,
    body: { source_config: { path: '..', format: 'csv' } },
    field: 'source_config.path',
  },
  {
    name: 'PUT unknown config key',
    method: 'PUT',
    url: `/api/data_sinks/${r.sink.id}`,
    body: { sink_config: { path: 'out', format: 'csv', mode: 'append' } },
    field: 'sink_config.mode',
  },
  // Users and orgs
  {
    name: 'bad email',
    method: 'POST',
    url: '/api/users',
    body: { email: 'nobody', name: 'N', role: 'viewer' },
    field: 'email',
  },
  {
    name: 'bad role',
    method: 'POST',
    url: '/api/users',
    body: { email: 'n@example.com', name: 'N', role: 'boss' },
    field: 'role',
  },
  { name: 'empty org name', method: 'POST', url: '/api/orgs', body: { name: '' }, field: 'name' },
  // Query and path parameters
  { name: 'per_page=0', method: 'GET', url: '/api/data_sources?per_page=0', field: 'per_page' },
  { name: 'per_page=1001', method: 'GET', url: '/api/data_sources?per_page=1001', field: 'per_page' },
  { name: 'per_page=abc', method: 'GET', url: '/api/data_sets?per_page=abc', field: 'per_page' },
  { name: 'page=0', method: 'GET', url: '/api/data_sinks?page=0', field: 'page' },
  { name: 'id not a number', method: 'GET', url: '/api/data_sources/abc', field: 'id' },
  { name: 'id 0', method: 'PUT', url: '/api/data_sets/0', body: { name: 'x' }, field: 'id' },
]

describe('validation', () => {
  it('answers each bad request with 400 naming the field, and writes nothing', async () => {
    const t = await makeApp()
    const flow = await buildFlow(t)
    const credential = await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: 'c', credentials_type: 'basic', credentials: { password: 'pw' } },
      }),
    )
    const before = await snapshot(t.app)
    const failures: string[] = []
    for (const c of cases({ ...flow, credential })) {
      const res = await t.call(c.method, c.url, c.body ? { body: c.body } : {})
      const b = res.body
      const good =
        res.status === 400 &&
        b.status === 400 &&
        b.field === c.field &&
        typeof b.message === 'string' &&
        b.message.startsWith(`${c.field}: `)
      if (!good) failures.push(`${c.name}: ${res.status} ${JSON.stringify(b)}`)
    }
    expect(failures).toEqual([])
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('lists every problem of a request, the first one in message', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/data_sources', {
      body: { name: '', connector_type: 'file', colour: 'red' },
    })
    expect(res.status).toBe(400)
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: expect.any(String) },
        { field: 'colour', message: 'is not a known field' },
      ]),
    )
  })
})
