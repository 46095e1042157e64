import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Table types. JSON columns hold text; repositories parse and serialize them. */
export type Role = 'super_user' | 'admin' | 'operator' | 'viewer'
export type ResourceStatus = 'INIT' | 'ACTIVE' | 'PAUSED'
export type RuntimeStatus = 'IDLE' | 'PROCESSING'
export type FlowType = 'streaming' | 'batch'

export interface OrgTable {
  id: Generated<number>
  name: string
  created_at: string
  updated_at: string
}

export interface UserTable {
  id: Generated<number>
  org_id: number
  email: string
  name: string
  role: Role
  created_at: string
  updated_at: string
}

export interface ApiKeyTable {
  id: Generated<number>
  user_id: number
  key_hash: string
  /** 'api_key' keys live until revoked; 'access_token' ones expire. */
  kind: 'api_key' | 'access_token'
  expires_at: string | null
  revoked_at: string | null
  created_at: string
}

interface OwnedColumns {
  id: Generated<number>
  owner_id: number
  org_id: number
  name: string
  description: string | null
  status: ResourceStatus
  tags: string
  copied_from_id: number | null
  created_at: string
  updated_at: string
}

export interface DataCredentialTable extends OwnedColumns {
  credentials_type: string
  credentials: string
  verified_status: string | null
}

export interface FlowNodeTable {
  id: Generated<number>
  org_id: number
  owner_id: number
  /** Equals id on the origin node. Null only between insert and the update that sets it. */
  origin_node_id: number | null
  parent_node_id: number | null
  data_source_id: number | null
  data_set_id: number | null
  // Flow-level fields, used on the origin node only.
  flow_type: FlowType
  name: string | null
  description: string | null
  configuration: string
  /** Bumped by every write that changes what a flow read returns; the ETag is built from it. */
  version: number
  created_at: string
  updated_at: string
}

interface FlowMemberColumns {
  flow_node_id: number | null
  origin_node_id: number | null
}

export interface DataSourceTable extends OwnedColumns, FlowMemberColumns {
  runtime_status: RuntimeStatus
  connector_type: string
  source_config: string
  data_credentials_id: number | null
}

export interface DataSetTable extends OwnedColumns, FlowMemberColumns {
  data_source_id: number | null
  parent_data_set_id: number | null
  transform: string
}

export interface DataSinkTable extends OwnedColumns, FlowMemberColumns {
  data_set_id: number
  connector_type: string
  sink_config: string
  data_credentials_id: number | null
}

export type RunStatus = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled'
export type RunTrigger = 'api' | 'activate' | 'poll'

/** Runs and the engine's delivery state: see docs/decisions/0002-run-engine.md. */
export interface RunTable {
  id: string
  flow_id: number
  org_id: number
  seq: number
  status: RunStatus
  trigger: RunTrigger
  params: string
  not_before: string | null
  created_by: number | null
  created_at: string
  started_at: string | null
  completed_at: string | null
  error_code: string | null
  error_message: string | null
  metrics: string
  /** Why a cancel was asked for, while the run finishes its batch; null when none was. */
  cancel_requested: string | null
  worker: string | null
  heartbeat_at: string | null
  version: number
}

export interface RunErrorTable {
  run_id: string
  n: number
  stage: string
  code: string
  message: string
  record: string | null
  at: string
}

export interface FlowRunStateTable {
  flow_id: number
  delta_column: string | null
  next_entry: number
}

export interface SourceFileTable {
  flow_id: number
  path: string
  fingerprint: string
  size: number
  mtime_ms: number
  windows: string
  complete: number
  created_at: string
}

export interface InputEntryTable {
  flow_id: number
  seq: number
  run_id: string
  path: string
  fingerprint: string
  format: string
  bytes: number
  filter: string | null
  journal: string | null
  created_at: string
}

export interface DeliveryCursorTable {
  /** data_sink: delivered up to here; data_set and data_source: made error records up to here. */
  resource_type: 'data_source' | 'data_set' | 'data_sink'
  resource_id: number
  flow_id: number
  entry_seq: number
  record_offset: number
  updated_at: string
}

export interface PendingFileTable {
  temp_path: string
  final_path: string
  run_id: string
}

export interface DB {
  runs: RunTable
  run_errors: RunErrorTable
  flow_run_state: FlowRunStateTable
  source_files: SourceFileTable
  input_entries: InputEntryTable
  delivery_cursors: DeliveryCursorTable
  pending_files: PendingFileTable
  orgs: OrgTable
  users: UserTable
  api_keys: ApiKeyTable
  data_credentials: DataCredentialTable
  flow_nodes: FlowNodeTable
  data_sources: DataSourceTable
  data_sets: DataSetTable
  data_sinks: DataSinkTable
}

export type OrgRow = Selectable<OrgTable>
export type UserRow = Selectable<UserTable>
export type FlowNodeRow = Selectable<FlowNodeTable>
export type DataCredentialRow = Selectable<DataCredentialTable>
export type DataSourceRow = Selectable<DataSourceTable>
export type DataSetRow = Selectable<DataSetTable>
export type DataSinkRow = Selectable<DataSinkTable>
export type RunRow = Selectable<RunTable>
export type NewFlowNode = Insertable<FlowNodeTable>
export type FlowNodeUpdate = Updateable<FlowNodeTable>
