import { describe, expect, it } from 'vitest'
import { makeApp } from '../test-support/app.js'
import { buildFlow, demoShape } from '../test-support/flows.js'

describe('flow reads', () => {
  it('returns the seed 000 shape from any node id of the flow', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const byOrigin = await t.call('GET', `/api/flows/${f.originId}`)
    expect(byOrigin.status).toBe(200)
    const flow = byOrigin.body.flows[0]
    expect(flow).toMatchObject({
      id: f.originId,
      flow_node_id: f.originId,
      origin_node_id: f.originId,
      parent_flow_node_id: null,
      parent_node_id: null,
      data_source_id: f.sourceId,
      flow_type: 'streaming',
      status: 'INIT',
      runtime_status: 'IDLE',
      name: 'Orders',
      data_source: { id: f.sourceId, name: 'Orders', status: 'INIT' },
      data_sinks: [],
      sharers: { sharers: [], external_sharers: [] },
    })
    const orders = flow.children[0]
    expect(orders).toMatchObject({
      id: f.nodes.orders,
      flow_node_id: f.nodes.orders,
      parent_flow_node_id: f.originId,
      parent_node_id: f.originId,
      origin_node_id: f.originId,
      data_set_id: f.sets.orders,
      data_sinks: [{ id: f.sinks.archive, name: 'archive', status: 'INIT' }],
    })
    expect(orders.children.map((c: any) => c.data_set_id).sort()).toEqual(
      [f.sets.large, f.sets.summaries].sort(),
    )
    const large = orders.children.find((c: any) => c.data_set_id === f.sets.large)
    expect(large.children[0]).toMatchObject({ data_set_id: f.sets.eur, parent_node_id: f.nodes.large })
    for (const kind of ['data_sources', 'data_sets', 'data_sinks'] as const) {
      for (const r of byOrigin.body[kind])
        expect(r).toMatchObject({ origin_node_id: f.originId, flow_node_id: expect.any(Number) })
    }
    expect(byOrigin.body.data_sets).toHaveLength(4)
    expect(byOrigin.body.data_sinks).toHaveLength(4)
    expect(byOrigin.body.data_credentials).toEqual([])

    const views = [
      `/api/flows/${f.nodes.eur}`,
      `/api/data_sources/${f.sourceId}/flow`,
      `/api/data_sets/${f.sets.eur}/flow`,
      `/api/data_sinks/${f.sinks.dashboard}/flow`,
    ]
    for (const url of views) expect((await t.call('GET', url)).body).toEqual(byOrigin.body)
  })

  it('?flows_only=1 omits the flat arrays; unknown ids are 404', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const res = await t.call('GET', `/api/flows/${f.originId}?flows_only=1`)
    expect(Object.keys(res.body)).toEqual(['flows'])
    expect((await t.call('GET', '/api/flows/999999')).status).toBe(404)
    expect((await t.call('GET', `/api/data_sets/${f.sourceId}/flow`)).status).toBe(404)
  })

  it('lists flows paginated by origin, with pagination headers', async () => {
    const t = await makeApp()
    const ids = []
    for (const name of ['A', 'B', 'C'])
      ids.push((await buildFlow(t, { name, sets: { s: null }, sinks: {} })).originId)
    const page2 = await t.call('GET', '/api/flows?per_page=2&page=2')
    expect(page2.body.flows.map((f: any) => f.id)).toEqual([ids[2]])
    expect(page2.body.data_sources).toHaveLength(1)
    expect(page2.headers['x-total-count']).toBe('3')
    expect(page2.headers['x-total-page-count']).toBe('2')
    expect(page2.headers['x-page-count']).toBe('1')
  })

  it('sends an ETag; If-None-Match with it is a 304 until the flow changes', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const first = await t.call('GET', `/api/flows/${f.originId}`)
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^W\/".+"$/)
    const again = await t.call('GET', `/api/data_sets/${f.sets.large}/flow`, {
      headers: { 'if-none-match': etag },
    })
    expect(again.status).toBe(304)
    expect(again.body).toBe('')
    // flows_only is a different representation, so a different tag.
    const slim = await t.call('GET', `/api/flows/${f.originId}?flows_only=1`, {
      headers: { 'if-none-match': etag },
    })
    expect(slim.status).toBe(200)
    // Any change in the flow, even to one sink's name, changes the tag.
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}`, { body: { name: 'Finance' } })
    const changed = await t.call('GET', `/api/flows/${f.originId}`, { headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.etag).not.toBe(etag)
    expect(changed.body.data_sinks.find((s: any) => s.id === f.sinks.finance).name).toBe('Finance')
  })
})

describe('flow update, ownership and copy', () => {
  it('updates name, description, type and merges configuration keys', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const res = await t.call('PUT', `/api/data_sets/${f.sets.eur}/flow`, {
      body: {
        name: 'Renamed',
        description: 'd',
        flow_type: 'batch',
        configuration: { retry_pipeline_on_error: true },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.flows[0]).toMatchObject({ name: 'Renamed', description: 'd', flow_type: 'batch' })
    const res2 = await t.call('PUT', `/api/flows/${f.originId}`, {
      body: { configuration: { error_stage: { type: 'WRITE_TO_FILE', directory: 'errors/orders' } } },
    })
    expect(res2.body.flows[0].configuration).toEqual({
      retry_pipeline_on_error: true,
      error_record_policy: 'ORIGINAL_RECORD',
      error_stage: { type: 'WRITE_TO_FILE', directory: 'errors/orders' },
    })
  })

  it('rejects bad configuration with a 400 naming the field and changes nothing', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const before = await t.call('GET', `/api/flows/${f.originId}`)
    for (const body of [
      { configuration: { error_stage: { type: 'WRITE_TO_FILE', directory: '../escape' } } },
      { configuration: { error_record_policy: 'SOMETIMES' } },
      { flow_type: 'hourly' },
      { colour: 'blue' },
    ]) {
      const res = await t.call('PUT', `/api/flows/${f.originId}`, { body })
      expect(res.status).toBe(400)
      expect(res.body.field).toBeTruthy()
      expect(res.body.message).toContain(res.body.field)
    }
    expect((await t.call('GET', `/api/flows/${f.originId}`)).body).toEqual(before.body)
  })

  it('changing owner and org is for super-users only; it cascades over the scope', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const org = await t.call('POST', '/api/orgs', { body: { name: 'Customer' } })
    const newOwner = await t.userWithRole('admin', org.body.id)
    const admin = await t.userWithRole('admin')
    const cred = await t.call('POST', '/api/data_credentials', {
      body: { name: 'c', credentials_type: 'file', credentials: { token: 's3cr3t' } },
    })
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}`, { body: { data_credentials_id: cred.body.id } })

    const denied = await t.call('PUT', `/api/flows/${f.originId}`, {
      key: admin.key,
      body: { owner_id: newOwner.userId, org_id: org.body.id },
    })
    expect(denied.status).toBe(403)
    expect(denied.body.message).toMatch(/Super-user/)

    const res = await t.call('PUT', `/api/flows/${f.originId}?all=1`, {
      body: { owner_id: newOwner.userId, org_id: org.body.id, include_data_credentials: true },
    })
    expect(res.status).toBe(200)
    for (const kind of ['data_sources', 'data_sets', 'data_sinks', 'data_credentials'] as const) {
      for (const r of res.body[kind])
        expect([kind, r.owner_id, r.org_id]).toEqual([kind, newOwner.userId, org.body.id])
    }
    // The new org now sees the flow; the old org's admin no longer does.
    expect((await t.call('GET', `/api/flows/${f.originId}`, { key: newOwner.key })).status).toBe(200)
    expect((await t.call('GET', `/api/flows/${f.originId}`, { key: admin.key })).status).toBe(404)
  })

  it('copy keeps the structure with new ids, copied_from_id set and everything PAUSED', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    await t.call('PUT', `/api/flows/${f.originId}/activate`)
    const res = await t.call('POST', `/api/flows/${f.originId}/copy`, {
      body: { name: 'Orders (staging)', description: 'copy' },
    })
    expect(res.status).toBe(200)
    const copy = res.body.flows[0]
    expect(copy.id).not.toBe(f.originId)
    expect(copy).toMatchObject({ name: 'Orders (staging)', description: 'copy', status: 'PAUSED' })
    const original = (await t.call('GET', `/api/flows/${f.originId}`)).body
    const shape = (node: any): any => ({
      sinks: node.data_sinks.map((s: any) => s.name),
      children: node.children.map(shape),
    })
    expect(shape(copy)).toEqual(shape(original.flows[0]))
    const oldIds = new Set([...original.data_sets, ...original.data_sinks].map((r: any) => r.id))
    for (const r of [...res.body.data_sets, ...res.body.data_sinks, ...res.body.data_sources]) {
      expect(oldIds.has(r.id)).toBe(false)
      expect(r.status).toBe('PAUSED')
      expect(r.copied_from_id).toEqual(expect.any(Number))
      expect(r.origin_node_id).toBe(copy.id)
    }
    // The original is untouched and still active.
    expect(original.flows[0].status).toBe('ACTIVE')
  })
})

describe('POST /api/flows', () => {
  const body = {
    name: 'Orders in one call',
    flow_type: 'batch',
    description: 'made whole',
    configuration: { error_record_policy: 'STAGE_RECORD' },
    data_source: { connector_type: 'file', source_config: { path: 'orders/in', format: 'ndjson' } },
    data_sets: [
      { name: 'All', transform: '' },
      { name: 'Large', transform: 'amount > 100 ? $ : undefined', parent_index: 0 },
      { name: 'Large EUR', transform: '$merge([$, {"currency": "EUR"}])', parent_index: 1 },
    ],
    data_sinks: [
      {
        name: 'Archive',
        data_set_index: 0,
        connector_type: 'file',
        sink_config: { path: 'out/all', format: 'ndjson' },
      },
      {
        name: 'Finance',
        data_set_index: 2,
        sink_type: 'file',
        sink_config: { path: 'out/eur', format: 'csv' },
      },
    ],
  }

  it('creates the source, the data set tree and the sinks in one transaction', async () => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/flows', { body })
    expect(res.status).toBe(200)
    const flow = res.body.flows[0]
    expect(flow).toMatchObject({
      name: 'Orders in one call',
      flow_type: 'batch',
      description: 'made whole',
      status: 'INIT',
    })
    expect(flow.configuration.error_record_policy).toBe('STAGE_RECORD')
    expect(res.body.data_sources[0].name).toBe('Orders in one call')
    const all = flow.children[0]
    expect(all).toMatchObject({ name: 'All', data_sinks: [{ name: 'Archive' }] })
    expect(all.children[0]).toMatchObject({ name: 'Large' })
    expect(all.children[0].children[0]).toMatchObject({
      name: 'Large EUR',
      data_sinks: [{ name: 'Finance' }],
    })
    expect((await t.call('GET', `/api/flows/${flow.id}`)).body).toEqual(res.body)
  })

  it.each([
    [{ data_sets: [{ name: 'x', transform: '$$$(' }] }, 'data_sets[0].transform'],
    [{ data_sets: [{ name: 'x', parent_index: 0 }] }, 'data_sets[0].parent_index'],
    [
      { data_sinks: [{ name: 's', data_set_index: 3, connector_type: 'file', sink_config: {} }] },
      'data_sinks[0].data_set_index',
    ],
    [
      { data_source: { connector_type: 'file', source_config: { path: '/etc' } } },
      'data_source.source_config.path',
    ],
    [{ data_source: { connector_type: 'ftp' } }, 'data_source.connector_type'],
  ])('rejects %j with a 400 naming %s, writing nothing', async (patch, field) => {
    const t = await makeApp()
    const res = await t.call('POST', '/api/flows', { body: { ...body, ...patch } })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe(field)
    expect(res.body.message.startsWith(`${field}: `)).toBe(true)
    for (const table of ['data_sources', 'data_sets', 'data_sinks', 'flow_nodes'] as const) {
      const rows = await t.app.db.selectFrom(table).select('id').execute()
      expect([table, rows.length]).toEqual([table, 0])
    }
  })

  it('names nested fields the same way in field, message and errors[], schema and domain checks alike', async () => {
    const t = await makeApp()
    const schema = await t.call('POST', '/api/flows', { body: { ...body, data_sets: [{ name: '' }] } })
    expect(schema.body.field).toBe('data_sets[0].name')
    expect(schema.body.message).toBe('data_sets[0].name: must not be empty')
    const domain = await t.call('POST', '/api/flows', {
      body: {
        ...body,
        data_source: { connector_type: 'file', source_config: { path: '/abs', format: 'csv' } },
      },
    })
    expect(domain.body.field).toBe('data_source.source_config.path')
    expect(domain.body.errors.map((e: any) => e.field)).toEqual(['data_source.source_config.path'])
  })

  it('needs the admin role', async () => {
    const t = await makeApp()
    const operator = await t.userWithRole('operator')
    const res = await t.call('POST', '/api/flows', { key: operator.key, body })
    expect(res.status).toBe(403)
    expect(res.body.message).toMatch(/Admin role/)
  })
})

describe('flow ETag and credentials', () => {
  it('renaming credentials a flow uses changes that flow’s ETag', async () => {
    const t = await makeApp()
    const f = await buildFlow(t, demoShape)
    const cred = await t.call('POST', '/api/data_credentials', {
      body: { name: 'c', credentials_type: 'file', credentials: { k: 'v' } },
    })
    await t.call('PUT', `/api/data_sinks/${f.sinks.finance}`, { body: { data_credentials_id: cred.body.id } })
    const before = await t.call('GET', `/api/flows/${f.originId}`)
    await t.call('PUT', `/api/data_credentials/${cred.body.id}`, { body: { name: 'renamed' } })
    const after = await t.call('GET', `/api/flows/${f.originId}`, {
      headers: { 'if-none-match': before.headers.etag as string },
    })
    expect(after.status).toBe(200)
    expect(after.body.data_credentials[0].name).toBe('renamed')
  })
})
