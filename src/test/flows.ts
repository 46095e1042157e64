import type { Flow, FlowNode, FlowStatus } from '../api/contract'

/**
 * Flow responses for tests, in the server's shape: the demo "Web shop orders" flow — source 5001, data sets
 * Orders (20001) → Large orders (20002) → Large orders in EUR (20003), Orders → Order summaries (20004), one sink
 * on each data set (6001–6004).
 */
const t = '2026-01-01T00:00:00.000Z'
const sharers = { sharers: [], external_sharers: [] }

function set(
  nodeId: number,
  id: number,
  name: string,
  parent: number,
  sink: { id: number; name: string },
  status: FlowStatus,
  children: FlowNode[] = [],
): FlowNode {
  return {
    id: nodeId,
    flow_node_id: nodeId,
    origin_node_id: 10001,
    parent_flow_node_id: parent,
    parent_node_id: parent,
    data_set_id: id,
    name,
    status,
    created_at: t,
    updated_at: t,
    data_sinks: [{ ...sink, status }],
    sharers,
    children,
  }
}

export function webShopFlow(
  status: FlowStatus = 'ACTIVE',
  overrides: Partial<Record<string, FlowStatus>> = {},
): Flow {
  const s = (key: string) => overrides[key] ?? status
  const eur = set(
    10004,
    20003,
    'Large orders in EUR',
    10003,
    { id: 6003, name: 'Finance (EUR)' },
    s('data_set-20003'),
  )
  eur.data_sinks[0]!.status = s('data_sink-6003')
  const large = set(
    10003,
    20002,
    'Large orders',
    10002,
    { id: 6002, name: 'Large orders report' },
    s('data_set-20002'),
    [eur],
  )
  large.data_sinks[0]!.status = s('data_sink-6002')
  const summaries = set(
    10005,
    20004,
    'Order summaries',
    10002,
    { id: 6004, name: 'Regional dashboard' },
    s('data_set-20004'),
  )
  summaries.data_sinks[0]!.status = s('data_sink-6004')
  const orders = set(
    10002,
    20001,
    'Orders',
    10001,
    { id: 6001, name: 'Orders archive' },
    s('data_set-20001'),
    [large, summaries],
  )
  orders.data_sinks[0]!.status = s('data_sink-6001')
  return {
    id: 10001,
    flow_node_id: 10001,
    origin_node_id: 10001,
    parent_flow_node_id: null,
    parent_node_id: null,
    data_source_id: 5001,
    owner_id: 1,
    org_id: 1,
    flow_type: 'streaming',
    name: 'Web shop orders',
    description: null,
    configuration: {},
    status: s('data_source-5001'),
    runtime_status: 'IDLE',
    created_at: t,
    updated_at: t,
    data_source: { id: 5001, name: 'Web shop orders', status: s('data_source-5001') },
    data_sinks: [],
    sharers,
    children: [orders] as Flow['children'],
  }
}

export const meAs = (role: 'viewer' | 'operator' | 'admin' | 'super_user', id = 2) => ({
  id,
  org_id: 1,
  email: `${role}@example.com`,
  name: `A ${role}`,
  role,
  created_at: t,
  updated_at: t,
  org: { id: 1, name: 'Default org', created_at: t, updated_at: t },
})
