/**
 * The API's types, taken type-only from the server's TypeBox schemas so the contract has one source and
 * nothing is generated. Type-only imports are erased at build time: no server code reaches the bundle.
 */
import type Type from 'typebox'
import type {
  Me as MeSchema,
  Org as OrgSchema,
  RoleSchema,
  User as UserSchema,
} from '../../server/schemas/auth.ts'
import type { ErrorResponse } from '../../server/schemas/common.ts'
import type {
  CopyFlow as CopyFlowSchema,
  CreateFlow as CreateFlowSchema,
  DeleteResponse as DeleteResponseSchema,
  DryRunResponse as DryRunResponseSchema,
  Flow as FlowSchema,
  FlowConfiguration as FlowConfigurationSchema,
  FlowNode as FlowNodeSchema,
  FlowResponse as FlowResponseSchema,
  ScopeSchema,
  UpdateFlow as UpdateFlowSchema,
} from '../../server/schemas/flows.ts'
import type {
  CreateDataSet as CreateDataSetSchema,
  CreateDataSink as CreateDataSinkSchema,
  DataSet as DataSetSchema,
  DataSink as DataSinkSchema,
  DataSource as DataSourceSchema,
  UpdateDataSet as UpdateDataSetSchema,
  UpdateDataSink as UpdateDataSinkSchema,
  UpdateDataSource as UpdateDataSourceSchema,
} from '../../server/schemas/resources.ts'
import type {
  ErrorRecord as ErrorRecordSchema,
  Run as RunSchema,
  RunMetrics as RunMetricsSchema,
  RunParams as RunParamsSchema,
} from '../../server/schemas/runs.ts'

export type Me = Type.Static<typeof MeSchema>
export type Role = Type.Static<typeof RoleSchema>
/** Every error the API sends: `{status, message}` plus details such as `field` or the ids involved. */
export type ApiErrorBody = Type.Static<typeof ErrorResponse>

/** A flow as the flow routes return it: its origin node, with data sets nested under `children`. */
export type Flow = Type.Static<typeof FlowSchema>
export type FlowStatus = Flow['status']
/**
 * A data set node. The schema types nested `children` loosely (TypeBox has no recursive object here), but the
 * server sends the same shape at every depth, which this type says.
 */
export type FlowNode = Omit<Type.Static<typeof FlowNodeSchema>, 'children'> & { children: FlowNode[] }
/** What `GET /api/flows`, `GET /api/flows/{id}` and every control route answer. */
export type FlowResponse = Type.Static<typeof FlowResponseSchema>
/** Resource ids by kind: the scope of a control or delete call. */
export type Scope = Type.Static<typeof ScopeSchema>
/** `?dry_run=1` on a control or delete route: what it would touch, and which of those are active. */
export type DryRunResponse = Type.Static<typeof DryRunResponseSchema>
export type DeleteResponse = Type.Static<typeof DeleteResponseSchema>

export type DataSource = Type.Static<typeof DataSourceSchema>
export type DataSet = Type.Static<typeof DataSetSchema>
export type DataSink = Type.Static<typeof DataSinkSchema>

export type User = Type.Static<typeof UserSchema>
export type Org = Type.Static<typeof OrgSchema>

/**
 * Bodies of the editing calls (flows-api.md §2, §5). The server builds `source_config` / `sink_config` with
 * computed keys, which TypeBox's static types drop, so those two are added back here.
 */
type Config = Record<string, unknown>
type CreateFlowStatic = Type.Static<typeof CreateFlowSchema>
export type CreateFlowBody = Omit<CreateFlowStatic, 'data_source' | 'data_sinks'> & {
  data_source: CreateFlowStatic['data_source'] & { source_config?: Config }
  data_sinks?: (NonNullable<CreateFlowStatic['data_sinks']>[number] & { sink_config?: Config })[]
}
export type UpdateFlowBody = Type.Static<typeof UpdateFlowSchema>
export type CopyFlowBody = Type.Static<typeof CopyFlowSchema>
export type FlowConfiguration = Type.Static<typeof FlowConfigurationSchema>
export type CreateDataSetBody = Type.Static<typeof CreateDataSetSchema>
export type CreateDataSinkBody = Type.Static<typeof CreateDataSinkSchema> & { sink_config?: Config }
export type UpdateDataSourceBody = Type.Static<typeof UpdateDataSourceSchema> & { source_config?: Config }
export type UpdateDataSetBody = Type.Static<typeof UpdateDataSetSchema>
export type UpdateDataSinkBody = Type.Static<typeof UpdateDataSinkSchema> & { sink_config?: Config }

/**
 * `GET /api/connectors`. Its schema lives in server/routes/editing.ts (not exported), so it is restated here; the
 * config schema is plain JSON Schema, read by the editor's form builder.
 */
export interface Connector {
  type: string
  label: string
  config_schema: Record<string, unknown>
}
export interface ConnectorCatalog {
  sources: Connector[]
  sinks: Connector[]
}

/** `POST /api/transforms/preview`: one result per sample record, in order (server/routes/editing.ts). */
export type PreviewResult =
  { ok: true; output: unknown[] } | { ok: false; error: { code: string; message: string } }
export interface PreviewResponse {
  results: PreviewResult[]
}

/** One execution of a flow (flows-api.md §6). */
export type Run = Type.Static<typeof RunSchema>
export type RunStatus = Run['status']
export type RunTrigger = Run['trigger']
export type RunMetrics = Type.Static<typeof RunMetricsSchema>
/** What a run's `metrics.by_resource` says about one source, data set or sink. */
export type ResourceMetrics = RunMetrics['by_resource'][number]
/** `params` of `POST /api/flows/{id}/runs`: the window, startTime and the delta column. */
export type RunParams = Type.Static<typeof RunParamsSchema>
/** A line of `GET /api/runs/{id}/errors`: the failing record and where and why it failed. */
export type ErrorRecord = Type.Static<typeof ErrorRecordSchema>
