import type { TestApp } from './app.js'

export interface BuiltFlow {
  originId: number
  sourceId: number
  /** Data set ids by name. */
  sets: Record<string, number>
  /** Data sink ids by name. */
  sinks: Record<string, number>
  /** Flow node ids by data set name, plus 'source'. */
  nodes: Record<string, number>
}

export interface FlowShape {
  name?: string
  /** Data sets as name → parent name (null: first level under the source). */
  sets: Record<string, string | null>
  /** Sinks as name → data set name. */
  sinks: Record<string, string>
}

/** Creates a flow through the public CRUD API, the way a client would. */
export async function buildFlow(t: TestApp, shape: FlowShape, key?: string): Promise<BuiltFlow> {
  const ok = async (method: string, url: string, body?: unknown) => {
    const res = await t.call(method, url, { key, body })
    if (res.status !== 200) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const name = shape.name ?? 'Test flow'
  const source = await ok('POST', '/api/data_sources', {
    name,
    connector_type: 'file',
    source_config: { path: `${name.replace(/\W+/g, '-')}/in`, format: 'ndjson' },
  })
  const flow: BuiltFlow = {
    originId: source.flow_node_id,
    sourceId: source.id,
    sets: {},
    sinks: {},
    nodes: { source: source.flow_node_id },
  }
  for (const [setName, parent] of Object.entries(shape.sets)) {
    const body = parent === null ? { data_source_id: source.id } : { parent_data_set_id: flow.sets[parent] }
    const set = await ok('POST', '/api/data_sets', { name: setName, transform: '', ...body })
    flow.sets[setName] = set.id
    flow.nodes[setName] = set.flow_node_id
  }
  for (const [sinkName, setName] of Object.entries(shape.sinks)) {
    const sink = await ok('POST', '/api/data_sinks', {
      name: sinkName,
      data_set_id: flow.sets[setName],
      connector_type: 'file',
      sink_config: { path: `out/${sinkName.replace(/\W+/g, '-')}`, format: 'ndjson' },
    })
    flow.sinks[sinkName] = sink.id
  }
  return flow
}

/** Status of every resource of a flow, keyed "source", "set:<id>", "sink:<id>", read through the API. */
export async function statuses(t: TestApp, originId: number): Promise<Record<string, string>> {
  const res = await t.call('GET', `/api/flows/${originId}`)
  if (res.status !== 200) throw new Error(`GET flow ${originId} → ${res.status}`)
  return statusesOf(res.body)
}

export function statusesOf(body: any): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of body.data_sources) out[`source:${s.id}`] = s.status
  for (const s of body.data_sets) out[`set:${s.id}`] = s.status
  for (const s of body.data_sinks) out[`sink:${s.id}`] = s.status
  return out
}

/** The shape of seed 000's examples, three levels deep with siblings. */
export const demoShape: FlowShape = {
  name: 'Orders',
  sets: { orders: null, large: 'orders', eur: 'large', summaries: 'orders' },
  sinks: { archive: 'orders', report: 'large', finance: 'eur', dashboard: 'summaries' },
}
