import { describe, expect, it } from 'vitest'
import { webShopFlow } from '../../test/flows'
import { layoutFlow } from './canvas/layout'
import { countByKind, scopeKeys, stateOf, structureOf, toScope } from './flow-model'
import { controlCall, undoSteps } from './use-flow-actions'

const structure = structureOf(webShopFlow())

describe('scope of an action (the server rule, flows-api §4)', () => {
  it('a data set: itself, the data sets derived from it and all their sinks', () => {
    expect(toScope(scopeKeys(structure, 'data_set-20002', 'downstream'))).toEqual({
      data_sources: [],
      data_sets: [20002, 20003],
      data_sinks: [6002, 6003],
    })
  })

  it('a sink: itself; a source: the whole flow; entire flow from anywhere: everything', () => {
    expect(scopeKeys(structure, 'data_sink-6004', 'downstream')).toEqual(['data_sink-6004'])
    expect(scopeKeys(structure, 'data_source-5001', 'downstream')).toHaveLength(9)
    expect(scopeKeys(structure, 'data_sink-6004', 'flow')).toHaveLength(9)
  })

  it('counts resources by kind', () => {
    expect(countByKind(structure)).toEqual({ data_source: 1, data_set: 4, data_sink: 4 })
  })
})

describe('layout', () => {
  it('depends on the shape only: a status change gives the same structure object and positions', () => {
    const paused = structureOf(webShopFlow('PAUSED'))
    expect(paused).toEqual(structure)
    const a = layoutFlow(structure)
    const b = layoutFlow(paused)
    expect(b.positions).toEqual(a.positions)
  })

  it('lays out left to right: every node sits right of its upstream node', () => {
    const layout = layoutFlow(structure)
    for (const node of structure.nodes)
      if (node.parent) expect(layout.position(node.key)!.x).toBeGreaterThan(layout.position(node.parent)!.x)
  })
})

describe('undo', () => {
  const state = stateOf(webShopFlow())
  const statusOf = (key: string) => state.resources[key]?.status

  it('restores a whole scope with the opposite call when everything in it changed from one status', () => {
    const call = controlCall(10001, structure, statusOf, 'data_set-20002', 'pause', 'downstream')
    const restore = Object.fromEntries(Object.keys(call.previous).map((k) => [k, 'ACTIVE' as const]))
    expect(undoSteps(call, restore)).toEqual([
      { type: 'flow', target: { kind: 'data_set', id: 20002 }, action: 'activate', scope: 'downstream' },
    ])
  })

  it('restores resource by resource when only some changed, each to its own previous status', () => {
    const mixed = stateOf(webShopFlow('PAUSED', { 'data_sink-6002': 'ACTIVE', 'data_set-20003': 'INIT' }))
    const call = controlCall(
      10001,
      structure,
      (k) => mixed.resources[k]?.status,
      'data_set-20002',
      'activate',
      'downstream',
    )
    const steps = undoSteps(call, {
      'data_set-20002': 'PAUSED',
      'data_set-20003': 'INIT',
      'data_sink-6003': 'PAUSED',
    })
    expect(steps).toEqual([
      { type: 'resource', target: { kind: 'data_set', id: 20002 }, action: 'pause' },
      { type: 'resource', target: { kind: 'data_set', id: 20003 }, action: 'pause' },
      { type: 'resource', target: { kind: 'data_sink', id: 6003 }, action: 'pause' },
    ])
  })
})
