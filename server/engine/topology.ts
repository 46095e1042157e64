import { defaultConfiguration, loadFlows } from '../db/flows.js'
import { parseJson, type Tx } from '../db/resources.js'
import type { FlowType, ResourceStatus } from '../db/schema.js'
import { setsByDepth } from '../domain/flow-tree.js'
import type { FileFormat, FileSourceConfig } from './connectors/file-source.js'
import type { FileSinkConfig } from './connectors/file-sink.js'

export interface FlowConfig {
  retryOnError: boolean
  policy: 'ORIGINAL_RECORD' | 'STAGE_RECORD'
  errorStage: { type: 'DISCARD' } | { type: 'WRITE_TO_FILE'; directory: string }
}

export interface TopoSet {
  id: number
  parentId: number | null
  status: ResourceStatus
  transform: string
}

export interface TopoSink {
  id: number
  setId: number
  status: ResourceStatus
  connectorType: string
  config: FileSinkConfig
}

/** What the engine needs of a flow, read fresh between batches so status changes take effect. */
export interface Topology {
  flowId: number
  orgId: number
  flowType: FlowType
  config: FlowConfig
  source: { id: number; status: ResourceStatus; connectorType: string; config: FileSourceConfig }
  sets: Map<number, TopoSet>
  sinks: TopoSink[]
  /** Data set ids, parents before children. */
  order: number[]
}

const formats = new Set<string>(['ndjson', 'csv', 'json'])
const text = (v: unknown) => (typeof v === 'string' ? v : '')
const formatOf = (v: unknown): FileFormat =>
  typeof v === 'string' && formats.has(v) ? (v as FileFormat) : 'ndjson'

function configOf(text: string): FlowConfig {
  const c = { ...defaultConfiguration, ...parseJson<Record<string, unknown>>(text, {}) }
  const stage = c.error_stage as { type?: unknown; directory?: unknown } | undefined
  return {
    retryOnError: c.retry_pipeline_on_error === true,
    policy: c.error_record_policy === 'STAGE_RECORD' ? 'STAGE_RECORD' : 'ORIGINAL_RECORD',
    errorStage:
      stage?.type === 'WRITE_TO_FILE' && typeof stage.directory === 'string'
        ? { type: 'WRITE_TO_FILE', directory: stage.directory }
        : { type: 'DISCARD' },
  }
}

export async function loadTopology(db: Tx, flowId: number): Promise<Topology | undefined> {
  const flow = (await loadFlows(db, [flowId])).get(flowId)
  const source = flow?.sources.find((s) => s.id === flow.origin.data_source_id)
  if (!flow || !source) return undefined
  const sourceConfig = parseJson<Record<string, unknown>>(source.source_config, {})
  return {
    flowId,
    orgId: flow.origin.org_id,
    flowType: flow.origin.flow_type,
    config: configOf(flow.origin.configuration),
    source: {
      id: source.id,
      status: source.status,
      connectorType: source.connector_type,
      config: { path: text(sourceConfig.path), format: formatOf(sourceConfig.format) },
    },
    sets: new Map(
      flow.sets.map((s) => [
        s.id,
        { id: s.id, parentId: s.parent_data_set_id, status: s.status, transform: s.transform },
      ]),
    ),
    sinks: flow.sinks.map((s) => {
      const c = parseJson<Record<string, unknown>>(s.sink_config, {})
      return {
        id: s.id,
        setId: s.data_set_id,
        status: s.status,
        connectorType: s.connector_type,
        config: { path: text(c.path), format: formatOf(c.format) },
      }
    }),
    order: setsByDepth(flow).map((s) => s.id),
  }
}

/** The data sets from the source down to (and including) this one. */
export function pathTo(topo: Topology, setId: number): number[] {
  const out: number[] = []
  let id: number | null = setId
  while (id !== null) {
    const set = topo.sets.get(id)
    if (!set || out.includes(id)) break
    out.unshift(id)
    id = set.parentId
  }
  return out
}

/** A sink receives records only while it and every data set above it are ACTIVE. */
export function isLive(topo: Topology, sink: TopoSink): boolean {
  if (sink.status !== 'ACTIVE') return false
  const path = pathTo(topo, sink.setId)
  return path.length > 0 && path.every((id) => topo.sets.get(id)?.status === 'ACTIVE')
}
