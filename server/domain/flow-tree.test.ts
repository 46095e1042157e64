import { describe, expect, it } from 'vitest'
import { filterScope, scopeOf, setsByDepth, wholeFlow, type FlowRows } from './flow-tree.js'

/*
 * source 1 (node 100)
 * └─ set 10 (node 110)            sinks 1000
 *    ├─ set 11 (node 111)         sinks 1001, 1002
 *    │  └─ set 13 (node 113)      sink 1003
 *    │     └─ set 14 (node 114)   sink 1004
 *    └─ set 12 (node 112)         sink 1005
 * └─ set 20 (node 120)            sink 2000   (second first-level branch)
 */
const flow: FlowRows = {
  nodes: [
    { id: 100, parent_node_id: null, data_source_id: 1, data_set_id: null },
    { id: 110, parent_node_id: 100, data_source_id: null, data_set_id: 10 },
    { id: 111, parent_node_id: 110, data_source_id: null, data_set_id: 11 },
    { id: 112, parent_node_id: 110, data_source_id: null, data_set_id: 12 },
    { id: 113, parent_node_id: 111, data_source_id: null, data_set_id: 13 },
    { id: 114, parent_node_id: 113, data_source_id: null, data_set_id: 14 },
    { id: 120, parent_node_id: 100, data_source_id: null, data_set_id: 20 },
  ],
  sources: [{ id: 1, flow_node_id: 100 }],
  sets: [
    { id: 10, flow_node_id: 110, data_source_id: 1, parent_data_set_id: null },
    { id: 11, flow_node_id: 111, data_source_id: null, parent_data_set_id: 10 },
    { id: 12, flow_node_id: 112, data_source_id: null, parent_data_set_id: 10 },
    { id: 13, flow_node_id: 113, data_source_id: null, parent_data_set_id: 11 },
    { id: 14, flow_node_id: 114, data_source_id: null, parent_data_set_id: 13 },
    { id: 20, flow_node_id: 120, data_source_id: 1, parent_data_set_id: null },
  ],
  sinks: [
    { id: 1000, data_set_id: 10 },
    { id: 1001, data_set_id: 11 },
    { id: 1002, data_set_id: 11 },
    { id: 1003, data_set_id: 13 },
    { id: 1004, data_set_id: 14 },
    { id: 1005, data_set_id: 12 },
    { id: 2000, data_set_id: 20 },
  ],
}

const everything = {
  data_sources: [1],
  data_sets: [10, 11, 12, 13, 14, 20],
  data_sinks: [1000, 1001, 1002, 1003, 1004, 1005, 2000],
}
const sorted = (s: ReturnType<typeof scopeOf>) => ({
  data_sources: [...s.data_sources].sort((a, b) => a - b),
  data_sets: [...s.data_sets].sort((a, b) => a - b),
  data_sinks: [...s.data_sinks].sort((a, b) => a - b),
})

describe('scopeOf', () => {
  it('a data source controls the whole flow', () => {
    expect(sorted(scopeOf(flow, { kind: 'data_sources', id: 1 }, false))).toEqual(everything)
  })

  it('a first-level data set controls itself, every derived set at any depth and all their sinks', () => {
    expect(sorted(scopeOf(flow, { kind: 'data_sets', id: 10 }, false))).toEqual({
      data_sources: [],
      data_sets: [10, 11, 12, 13, 14],
      data_sinks: [1000, 1001, 1002, 1003, 1004, 1005],
    })
  })

  it('a mid-level data set leaves its parent, siblings and the other branch alone', () => {
    expect(sorted(scopeOf(flow, { kind: 'data_sets', id: 11 }, false))).toEqual({
      data_sources: [],
      data_sets: [11, 13, 14],
      data_sinks: [1001, 1002, 1003, 1004],
    })
  })

  it('a leaf data set controls itself and its sinks', () => {
    expect(sorted(scopeOf(flow, { kind: 'data_sets', id: 14 }, false))).toEqual({
      data_sources: [],
      data_sets: [14],
      data_sinks: [1004],
    })
  })

  it('a data sink controls only itself', () => {
    expect(scopeOf(flow, { kind: 'data_sinks', id: 1003 }, false)).toEqual({
      data_sources: [],
      data_sets: [],
      data_sinks: [1003],
    })
  })

  it('a flow node controls the scope of the resource it holds', () => {
    expect(sorted(scopeOf(flow, { kind: 'flow_nodes', id: 100 }, false))).toEqual(everything)
    expect(sorted(scopeOf(flow, { kind: 'flow_nodes', id: 113 }, false))).toEqual({
      data_sources: [],
      data_sets: [13, 14],
      data_sinks: [1003, 1004],
    })
  })

  it.each([
    { kind: 'data_sources' as const, id: 1 },
    { kind: 'data_sets' as const, id: 14 },
    { kind: 'data_sinks' as const, id: 2000 },
    { kind: 'flow_nodes' as const, id: 112 },
  ])('all=1 from $kind $id is the entire flow', (target) => {
    expect(sorted(scopeOf(flow, target, true))).toEqual(everything)
  })

  it('an id that is not in the flow touches nothing', () => {
    expect(scopeOf(flow, { kind: 'data_sets', id: 999 }, false)).toEqual({
      data_sources: [],
      data_sets: [],
      data_sinks: [],
    })
    expect(scopeOf(flow, { kind: 'data_sinks', id: 999 }, false).data_sinks).toEqual([])
    expect(scopeOf(flow, { kind: 'flow_nodes', id: 999 }, false).data_sets).toEqual([])
  })
})

describe('tree helpers', () => {
  it('orders data sets parents first with their depth', () => {
    const order = setsByDepth(flow)
    const depth = Object.fromEntries(order.map((o) => [o.id, o.depth]))
    expect(depth).toEqual({ 10: 1, 11: 2, 12: 2, 13: 3, 14: 4, 20: 1 })
    const position = new Map(order.map((o, i) => [o.id, i]))
    for (const s of flow.sets) {
      if (s.parent_data_set_id !== null)
        expect(position.get(s.parent_data_set_id)!).toBeLessThan(position.get(s.id)!)
    }
  })

  it('filters a scope by status', () => {
    const withStatus = {
      ...flow,
      sources: flow.sources.map((s) => ({ ...s, status: 'ACTIVE' })),
      sets: flow.sets.map((s) => ({ ...s, status: s.id === 11 ? 'ACTIVE' : 'PAUSED' })),
      sinks: flow.sinks.map((s) => ({ ...s, status: s.id === 1003 ? 'ACTIVE' : 'INIT' })),
    }
    expect(filterScope(wholeFlow(flow), withStatus, (s) => s === 'ACTIVE')).toEqual({
      data_sources: [1],
      data_sets: [11],
      data_sinks: [1003],
    })
  })
})
