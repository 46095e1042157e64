import Type from 'typebox'
import { Flag, Id, Nullable, Pagination, Timestamp } from './common.js'
import {
  CreateDataSet,
  CreateDataSink,
  CreateDataSource,
  DataCredential,
  DataSet,
  DataSink,
  DataSource,
} from './resources.js'

const Status = Type.Union([Type.Literal('INIT'), Type.Literal('ACTIVE'), Type.Literal('PAUSED')])
const Brief = Type.Object({ id: Id, name: Type.String(), status: Status })
const Sharers = Type.Object({
  sharers: Type.Array(Type.Unknown()),
  external_sharers: Type.Array(Type.Unknown()),
})

export const FlowConfiguration = Type.Object(
  {
    retry_pipeline_on_error: Type.Optional(Type.Boolean()),
    error_record_policy: Type.Optional(
      Type.Union([Type.Literal('ORIGINAL_RECORD'), Type.Literal('STAGE_RECORD')]),
    ),
    error_stage: Type.Optional(
      Type.Union([
        Type.Object({ type: Type.Literal('DISCARD') }, { additionalProperties: false }),
        Type.Object(
          {
            type: Type.Literal('WRITE_TO_FILE'),
            directory: Type.String({ minLength: 1, description: 'Relative to the data root' }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
)

export const FlowNode = Type.Object(
  {
    id: Id,
    flow_node_id: Id,
    origin_node_id: Id,
    parent_flow_node_id: Nullable(Id),
    parent_node_id: Nullable(Id),
    data_set_id: Nullable(Id),
    name: Nullable(Type.String()),
    status: Status,
    created_at: Timestamp,
    updated_at: Timestamp,
    data_sinks: Type.Array(Brief),
    sharers: Sharers,
    children: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description: 'Child flow nodes, same shape',
    }),
  },
  { description: 'A data set node' },
)

export const Flow = Type.Object(
  {
    id: Id,
    flow_node_id: Id,
    origin_node_id: Id,
    parent_flow_node_id: Type.Null(),
    parent_node_id: Type.Null(),
    data_source_id: Nullable(Id),
    owner_id: Id,
    org_id: Id,
    flow_type: Type.Union([Type.Literal('streaming'), Type.Literal('batch')]),
    name: Type.String(),
    description: Nullable(Type.String()),
    configuration: Type.Record(Type.String(), Type.Unknown()),
    status: Status,
    runtime_status: Type.Union([Type.Literal('IDLE'), Type.Literal('PROCESSING')]),
    created_at: Timestamp,
    updated_at: Timestamp,
    data_source: Nullable(Brief),
    data_sinks: Type.Array(Brief),
    sharers: Sharers,
    children: Type.Array(FlowNode),
  },
  { description: 'The origin node of a flow, holding its data source; data sets nest under children' },
)

export const FlowResponse = Type.Object({
  flows: Type.Array(Flow),
  data_sources: Type.Optional(Type.Array(DataSource)),
  data_sets: Type.Optional(Type.Array(DataSet)),
  data_sinks: Type.Optional(Type.Array(DataSink)),
  data_credentials: Type.Optional(Type.Array(DataCredential)),
})

const Ids = Type.Array(Id)
export const ScopeSchema = Type.Object({ data_sources: Ids, data_sets: Ids, data_sinks: Ids })
export const DryRunResponse = Type.Object({
  scope: ScopeSchema,
  active: ScopeSchema,
})

export const ReadQuery = Type.Object({ flows_only: Flag })
export const ListQuery = Type.Object({ ...Pagination.properties, flows_only: Flag })
export const ControlQuery = Type.Object({ all: Flag, full_tree: Flag, dry_run: Flag, flows_only: Flag })

export const UpdateFlow = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    flow_type: Type.Optional(Type.Union([Type.Literal('streaming'), Type.Literal('batch')])),
    configuration: Type.Optional(FlowConfiguration),
    owner_id: Type.Optional(Id),
    org_id: Type.Optional(Id),
    include_data_credentials: Type.Optional(Type.Boolean()),
    include_code_containers: Type.Optional(
      Type.Boolean({ description: 'Accepted for compatibility; there are no code containers' }),
    ),
  },
  { additionalProperties: false },
)

export const CopyFlow = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  },
  { additionalProperties: false },
)

export const DeleteResponse = Type.Object({
  status: Type.Integer(),
  message: Type.String(),
  deleted: ScopeSchema,
})

const Index = Type.Integer({ minimum: 0 })
// In POST /api/flows a sink names its data set by position (data_set_index), since the ids do not exist yet.
const { data_set_id: _byId, ...sinkFields } = CreateDataSink.properties
export const CreateFlow = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    flow_type: Type.Optional(
      Type.Union([Type.Literal('streaming'), Type.Literal('batch')], { default: 'streaming' }),
    ),
    configuration: Type.Optional(FlowConfiguration),
    data_source: Type.Object(
      { ...CreateDataSource.properties, name: Type.Optional(CreateDataSource.properties.name) },
      { additionalProperties: false, description: 'The origin; its name defaults to the flow name' },
    ),
    data_sets: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: CreateDataSet.properties.name,
            description: CreateDataSet.properties.description,
            tags: CreateDataSet.properties.tags,
            transform: CreateDataSet.properties.transform,
            parent_index: Type.Optional({
              ...Index,
              description:
                'Index in data_sets of an earlier data set this one derives from; absent: reads the source',
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
    data_sinks: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ...sinkFields,
            data_set_index: { ...Index, description: 'Index in data_sets of the data set this sink reads' },
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
  },
  { additionalProperties: false },
)
