import Type from 'typebox'
import { Id, Nullable, Timestamp } from './common.js'

const Status = Type.Union([Type.Literal('INIT'), Type.Literal('ACTIVE'), Type.Literal('PAUSED')])
const RuntimeStatus = Type.Union([Type.Literal('IDLE'), Type.Literal('PROCESSING')])
const Tags = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })
const Config = Type.Record(Type.String(), Type.Unknown())
const Name = Type.String({ minLength: 1, maxLength: 255 })
const Description = Nullable(Type.String({ maxLength: 10_000 }))

const owned = {
  id: Id,
  owner_id: Id,
  org_id: Id,
  name: Type.String(),
  description: Nullable(Type.String()),
  status: Status,
  tags: Type.Array(Type.String()),
  copied_from_id: Nullable(Id),
  created_at: Timestamp,
  updated_at: Timestamp,
}
const inFlow = { flow_node_id: Nullable(Id), origin_node_id: Nullable(Id) }

export const DataCredential = Type.Object({
  ...owned,
  credentials_type: Type.String(),
  verified_status: Nullable(Type.String()),
})
export const DataSource = Type.Object({
  ...owned,
  ...inFlow,
  runtime_status: RuntimeStatus,
  connector_type: Type.String(),
  source_type: Type.String({ description: 'Alias of connector_type' }),
  source_config: Config,
  data_credentials_id: Nullable(Id),
})
export const DataSet = Type.Object({
  ...owned,
  ...inFlow,
  data_source_id: Nullable(Id),
  parent_data_set_id: Nullable(Id),
  transform: Type.String(),
})
export const DataSink = Type.Object({
  ...owned,
  ...inFlow,
  data_set_id: Id,
  connector_type: Type.String(),
  sink_type: Type.String({ description: 'Alias of connector_type' }),
  sink_config: Config,
  data_credentials_id: Nullable(Id),
})

const commonInput = { name: Name, description: Type.Optional(Description), tags: Type.Optional(Tags) }
// Type.Partial drops additionalProperties, so every Update* passes `strict` again: unknown fields stay 400s.
const strict = { additionalProperties: false }

export const CreateDataCredential = Type.Object(
  {
    ...commonInput,
    credentials_type: Type.String({ minLength: 1, maxLength: 100 }),
    credentials: Type.Record(Type.String(), Type.Unknown(), { description: 'Secret; write-only' }),
  },
  strict,
)
export const UpdateDataCredential = Type.Partial(CreateDataCredential, strict)

const connectorFields = (key: 'source' | 'sink') => ({
  connector_type: Type.Optional(Type.String({ minLength: 1 })),
  [`${key}_type`]: Type.Optional(Type.String({ minLength: 1, description: 'Alias of connector_type' })),
  [`${key}_config`]: Type.Optional(Config),
  data_credentials_id: Type.Optional(Nullable(Id)),
})

export const CreateDataSource = Type.Object({ ...commonInput, ...connectorFields('source') }, strict)
export const UpdateDataSource = Type.Partial(CreateDataSource, strict)

export const CreateDataSet = Type.Object(
  {
    ...commonInput,
    data_source_id: Type.Optional(Id),
    parent_data_set_id: Type.Optional(Id),
    transform: Type.Optional(
      Type.String({ maxLength: 100_000, description: 'JSONata; empty passes records through' }),
    ),
  },
  strict,
)
export const UpdateDataSet = Type.Partial(
  Type.Object({ ...commonInput, transform: Type.String({ maxLength: 100_000 }) }),
  strict,
)

export const CreateDataSink = Type.Object(
  { ...commonInput, data_set_id: Id, ...connectorFields('sink') },
  strict,
)
export const UpdateDataSink = Type.Partial(CreateDataSink, strict)

export const Deleted = Type.Object({
  status: Type.Integer(),
  message: Type.String(),
  deleted: Type.Object({
    data_credentials: Type.Optional(Type.Array(Id)),
    data_sources: Type.Optional(Type.Array(Id)),
    data_sets: Type.Optional(Type.Array(Id)),
    data_sinks: Type.Optional(Type.Array(Id)),
  }),
})

export type DataCredentialOut = Type.Static<typeof DataCredential>
export type DataSourceOut = Type.Static<typeof DataSource>
export type DataSetOut = Type.Static<typeof DataSet>
export type DataSinkOut = Type.Static<typeof DataSink>
