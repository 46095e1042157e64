import { describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../test-support/app.js'
import { buildFlow, ok, sinkBody, snapshot, sourceBody } from '../test-support/fixtures.js'

const node = (t: TestApp, id: number) =>
  t.app.db.selectFrom('flow_nodes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const statusOf = async (t: TestApp, kind: string, id: number) =>
  (await ok(t.call('GET', `/api/${kind}/${id}`))).status as string

describe('create', () => {
  it('returns the resource with the common fields and both connector_type and its alias', async () => {
    const t = await makeApp()
    const source = await ok(
      t.call('POST', '/api/data_sources', {
        body: {
          name: 'In',
          description: 'orders',
          tags: ['a', 'b'],
          source_type: 'file',
          source_config: { path: 'in', format: 'csv' },
        },
      }),
    )
    expect(source).toEqual({
      id: expect.any(Number),
      owner_id: 1,
      org_id: 1,
      name: 'In',
      description: 'orders',
      status: 'INIT',
      runtime_status: 'IDLE',
      tags: ['a', 'b'],
      copied_from_id: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.any(String),
      flow_node_id: expect.any(Number),
      origin_node_id: expect.any(Number),
      connector_type: 'file',
      source_type: 'file',
      source_config: { path: 'in', format: 'csv' },
      data_credentials_id: null,
    })
    expect(await ok(t.call('GET', `/api/data_sources/${source.id}`))).toEqual(source)
  })

  it('gives a source its origin node, each data set a node under its parent, each sink its data set node', async () => {
    const t = await makeApp()
    const { source, set, derived, sink, derivedSink } = await buildFlow(t)
    const deeper = await ok(
      t.call('POST', '/api/data_sets', { body: { name: 'd2', parent_data_set_id: derived.id } }),
    )

    expect(source.flow_node_id).toBe(source.origin_node_id)
    const origin = await node(t, source.flow_node_id)
    expect(origin).toMatchObject({ id: source.flow_node_id, origin_node_id: origin.id, parent_node_id: null })
    expect(origin).toMatchObject({ data_source_id: source.id, data_set_id: null, org_id: 1 })

    const chain: [any, any][] = [
      [set, source],
      [derived, set],
      [deeper, derived],
    ]
    for (const [child, parent] of chain) {
      expect(child.flow_node_id).not.toBe(parent.flow_node_id)
      expect(child.origin_node_id).toBe(origin.id)
      expect(await node(t, child.flow_node_id)).toMatchObject({
        data_set_id: child.id,
        data_source_id: null,
        parent_node_id: parent.flow_node_id,
        origin_node_id: origin.id,
      })
    }
    expect(sink).toMatchObject({
      flow_node_id: set.flow_node_id,
      origin_node_id: origin.id,
      data_set_id: set.id,
    })
    expect(derivedSink).toMatchObject({ flow_node_id: derived.flow_node_id, origin_node_id: origin.id })
    // Sinks hang on their data set's node; they have none of their own.
    const nodes = await t.app.db.selectFrom('flow_nodes').select('id').execute()
    expect(nodes).toHaveLength(4)
  })

  it('puts a second source in a flow of its own', async () => {
    const t = await makeApp()
    const a = await ok(t.call('POST', '/api/data_sources', { body: sourceBody() }))
    const b = await ok(t.call('POST', '/api/data_sources', { body: sourceBody() }))
    expect(b.origin_node_id).not.toBe(a.origin_node_id)
  })
})

describe('update', () => {
  it('changes only the fields given', async () => {
    const t = await makeApp()
    const { source } = await buildFlow(t)
    await ok(t.call('PUT', `/api/data_sources/${source.id}`, { body: { description: 'd', tags: ['x'] } }))
    const renamed = await ok(t.call('PUT', `/api/data_sources/${source.id}`, { body: { name: 'Renamed' } }))
    expect(renamed).toEqual({
      ...source,
      name: 'Renamed',
      description: 'd',
      tags: ['x'],
      updated_at: expect.any(String),
    })
    const cleared = await ok(t.call('PUT', `/api/data_sources/${source.id}`, { body: { description: null } }))
    expect(cleared).toMatchObject({ name: 'Renamed', description: null, tags: ['x'] })
  })

  it('replaces a config object whole', async () => {
    const t = await makeApp()
    const { source, sink } = await buildFlow(t)
    const s = await ok(
      t.call('PUT', `/api/data_sources/${source.id}`, { body: { source_config: { path: 'other' } } }),
    )
    expect(s.source_config).toEqual({ path: 'other' })
    const k = await ok(
      t.call('PUT', `/api/data_sinks/${sink.id}`, { body: { sink_config: { format: 'csv' } } }),
    )
    expect(k.sink_config).toEqual({ format: 'csv' })
    expect(k).toMatchObject({ name: sink.name, data_set_id: sink.data_set_id, connector_type: 'file' })
  })

  it('updates a data set transform and a credential without touching other fields', async () => {
    const t = await makeApp()
    const { set } = await buildFlow(t)
    const updated = await ok(
      t.call('PUT', `/api/data_sets/${set.id}`, { body: { transform: '$merge([$, {"x": 1}])' } }),
    )
    expect(updated).toEqual({ ...set, transform: '$merge([$, {"x": 1}])', updated_at: expect.any(String) })
    const cred = await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: 'c', credentials_type: 'basic', credentials: { a: 1 } },
      }),
    )
    const renamed = await ok(t.call('PUT', `/api/data_credentials/${cred.id}`, { body: { name: 'd' } }))
    expect(renamed).toEqual({ ...cred, name: 'd', updated_at: expect.any(String) })
  })

  it('moves a sink to another data set and onto its node', async () => {
    const t = await makeApp()
    const { sink, derived } = await buildFlow(t)
    const moved = await ok(t.call('PUT', `/api/data_sinks/${sink.id}`, { body: { data_set_id: derived.id } }))
    expect(moved).toMatchObject({ data_set_id: derived.id, flow_node_id: derived.flow_node_id })
  })

  it('refuses to change the connector config of an ACTIVE resource (405) and changes nothing', async () => {
    const t = await makeApp()
    const { source, set, sink } = await buildFlow(t)
    for (const [kind, id] of [
      ['data_sources', source.id],
      ['data_sets', set.id],
      ['data_sinks', sink.id],
    ])
      await ok(t.call('PUT', `/api/${kind}/${id}/activate`))
    const before = await snapshot(t.app)
    const refused: [string, object][] = [
      [`/api/data_sources/${source.id}`, { source_config: { path: 'elsewhere', format: 'csv' } }],
      [`/api/data_sources/${source.id}`, { name: 'ok but', connector_type: 'file' }],
      [`/api/data_sets/${set.id}`, { transform: '$' }],
      [`/api/data_sinks/${sink.id}`, { sink_config: { path: 'x', format: 'csv' } }],
    ]
    for (const [url, body] of refused) {
      const res = await t.call('PUT', url, { body })
      expect(res.status, url).toBe(405)
      expect(res.body).toMatchObject({ status: 405, message: expect.stringMatching(/ACTIVE.*pause/) })
    }
    expect(await snapshot(t.app)).toEqual(before)
    // Descriptive fields may still change while active.
    const renamed = await ok(t.call('PUT', `/api/data_sources/${source.id}`, { body: { name: 'Live' } }))
    expect(renamed).toMatchObject({ name: 'Live', status: 'ACTIVE', source_config: source.source_config })
  })
})

describe('single activate and pause', () => {
  it('refuses to activate an incomplete config with 422 listing the problems, and changes nothing', async () => {
    const t = await makeApp()
    const source = await ok(
      t.call('POST', '/api/data_sources', { body: { name: 'No path', connector_type: 'file' } }),
    )
    const set = await ok(t.call('POST', '/api/data_sets', { body: { name: 's', data_source_id: source.id } }))
    const sink = await ok(
      t.call('POST', '/api/data_sinks', { body: { name: 'k', data_set_id: set.id, connector_type: 'file' } }),
    )
    const before = await snapshot(t.app)
    const res = await t.call('PUT', `/api/data_sources/${source.id}/activate`)
    expect(res.status).toBe(422)
    expect(res.body.status).toBe(422)
    expect(res.body.message).toContain('source_config.path')
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource_type: 'data_source',
          resource_id: source.id,
          field: 'source_config.path',
        }),
        expect.objectContaining({
          resource_type: 'data_source',
          resource_id: source.id,
          field: 'source_config.format',
        }),
      ]),
    )
    const sinkRes = await t.call('PUT', `/api/data_sinks/${sink.id}/activate`)
    expect(sinkRes.status).toBe(422)
    expect(sinkRes.body.errors[0]).toMatchObject({ resource_type: 'data_sink', resource_id: sink.id })
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('changes only that one resource, and is idempotent', async () => {
    const t = await makeApp()
    const { source, set, derived, sink, derivedSink } = await buildFlow(t)
    const activated = await ok(t.call('PUT', `/api/data_sets/${set.id}/activate`))
    expect(activated).toMatchObject({ id: set.id, status: 'ACTIVE' })
    expect(await statusOf(t, 'data_sources', source.id)).toBe('INIT')
    expect(await statusOf(t, 'data_sets', derived.id)).toBe('INIT')
    expect(await statusOf(t, 'data_sinks', sink.id)).toBe('INIT')
    expect(await statusOf(t, 'data_sinks', derivedSink.id)).toBe('INIT')
    expect((await ok(t.call('PUT', `/api/data_sets/${set.id}/activate`))).status).toBe('ACTIVE')
    await ok(t.call('PUT', `/api/data_sources/${source.id}/activate`))
    const paused = await ok(t.call('PUT', `/api/data_sources/${source.id}/pause`))
    expect(paused.status).toBe('PAUSED')
    expect(await statusOf(t, 'data_sets', set.id)).toBe('ACTIVE')
  })
})

describe('delete', () => {
  it('refuses while ACTIVE (405) and while something depends on it (409), deleting nothing', async () => {
    const t = await makeApp()
    const { source, set, derived, derivedSink } = await buildFlow(t)
    const cred = await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: 'c', credentials_type: 'basic', credentials: { a: 1 } },
      }),
    )
    await ok(t.call('PUT', `/api/data_sources/${source.id}`, { body: { data_credentials_id: cred.id } }))
    await ok(t.call('PUT', `/api/data_sinks/${derivedSink.id}/activate`))
    const before = await snapshot(t.app)

    const active = await t.call('DELETE', `/api/data_sinks/${derivedSink.id}`)
    expect(active.status).toBe(405)
    expect(active.body).toMatchObject({ status: 405, message: expect.stringMatching(/ACTIVE/) })
    for (const [kind, id] of [
      ['data_sources', source.id],
      ['data_sets', set.id],
      ['data_sets', derived.id],
      ['data_credentials', cred.id],
    ]) {
      const res = await t.call('DELETE', `/api/${kind}/${id}`)
      expect(res.status, `${kind} ${id}`).toBe(409)
      expect(res.body).toMatchObject({ status: 409, message: expect.stringContaining('delete those first') })
    }
    expect(await snapshot(t.app)).toEqual(before)
  })

  it('deletes bottom-up with 200 {status, message, deleted}, removing flow nodes', async () => {
    const t = await makeApp()
    const { source, set, derived, sink, derivedSink } = await buildFlow(t)
    const order: [string, number][] = [
      ['data_sinks', derivedSink.id],
      ['data_sinks', sink.id],
      ['data_sets', derived.id],
      ['data_sets', set.id],
      ['data_sources', source.id],
    ]
    for (const [kind, id] of order) {
      const res = await t.call('DELETE', `/api/${kind}/${id}`)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 200, message: 'Ok', deleted: { [kind]: [id] } })
      expect((await t.call('GET', `/api/${kind}/${id}`)).status).toBe(404)
    }
    const left = await snapshot(t.app)
    for (const table of ['flow_nodes', 'data_sources', 'data_sets', 'data_sinks'])
      expect(left[table]).toEqual([])
  })

  it('deletes a paused resource and an unused credential', async () => {
    const t = await makeApp()
    const source = await ok(t.call('POST', '/api/data_sources', { body: sourceBody() }))
    await ok(t.call('PUT', `/api/data_sources/${source.id}/activate`))
    await ok(t.call('PUT', `/api/data_sources/${source.id}/pause`))
    expect((await t.call('DELETE', `/api/data_sources/${source.id}`)).status).toBe(200)
    const cred = await ok(
      t.call('POST', '/api/data_credentials', {
        body: { name: 'c', credentials_type: 'basic', credentials: { a: 1 } },
      }),
    )
    const res = await t.call('DELETE', `/api/data_credentials/${cred.id}`)
    expect(res.body).toEqual({ status: 200, message: 'Ok', deleted: { data_credentials: [cred.id] } })
  })

  it('answers 404 for an unknown id', async () => {
    const t = await makeApp()
    for (const kind of ['data_credentials', 'data_sources', 'data_sets', 'data_sinks']) {
      const res = await t.call('DELETE', `/api/${kind}/999999`)
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ status: 404, message: expect.stringContaining('999999 not found') })
    }
    expect((await t.call('POST', '/api/data_sinks', { body: sinkBody(999999) })).status).toBe(404)
  })
})
