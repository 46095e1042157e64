import Type from 'typebox'
import { Id, Nullable, Pagination, Timestamp } from './common.js'

export const RunStatus = Type.Union(
  [
    Type.Literal('Pending'),
    Type.Literal('Running'),
    Type.Literal('Succeeded'),
    Type.Literal('Failed'),
    Type.Literal('Cancelled'),
  ],
  { description: 'Pending → Running → Succeeded | Failed | Cancelled' },
)

export const RunTrigger = Type.Union([Type.Literal('api'), Type.Literal('activate'), Type.Literal('poll')], {
  description:
    'api: started through an API; poll: a streaming flow found new input; activate: a streaming flow ' +
    'has data waiting for a data set or sink that is active again (catch-up)',
})

const UnixSeconds = Type.Union(
  [Type.Number({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })],
  {
    description: 'Unix time in seconds, as a number or a string of digits',
  },
)

export const RunParams = Type.Object(
  {
    windowStartTime: Type.Optional(UnixSeconds),
    windowEndTime: Type.Optional(UnixSeconds),
    startTime: Type.Optional(UnixSeconds),
    deltaColumn: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 255 }) },
        { additionalProperties: false, description: 'Fixed by the first run that gives it' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Only records whose delta column value (or, without one, whose file modification time) is in ' +
      '[windowStartTime, windowEndTime) are read; the run does not start before startTime.',
  },
)

const ResourceMetrics = Type.Object({
  resource_type: Type.Union([
    Type.Literal('data_source'),
    Type.Literal('data_set'),
    Type.Literal('data_sink'),
  ]),
  resource_id: Id,
  records_in: Type.Integer(),
  records_out: Type.Integer(),
  records_failed: Type.Integer(),
})

export const RunMetrics = Type.Object({
  records_read: Type.Integer({ description: 'Distinct source records this run read' }),
  records_written: Type.Integer({ description: 'Sum over sinks' }),
  records_failed: Type.Integer({ description: 'Error records' }),
  bytes_read: Type.Integer({ description: 'Bytes of the new source files this run ingested' }),
  bytes_written: Type.Integer(),
  files_read: Type.Integer({ description: 'New source files this run ingested' }),
  files_written: Type.Integer(),
  by_resource: Type.Array(ResourceMetrics),
})

export const RunError = Type.Object({ code: Type.String(), message: Type.String() })

export const Run = Type.Object({
  id: Type.String({ format: 'uuid' }),
  flow_id: Id,
  status: RunStatus,
  trigger: RunTrigger,
  params: Type.Record(Type.String(), Type.Unknown()),
  created_at: Timestamp,
  started_at: Nullable(Timestamp),
  completed_at: Nullable(Timestamp),
  error: Nullable(RunError),
  metrics: RunMetrics,
})

export const RunIdParams = Type.Object({ run_id: Type.String({ format: 'uuid' }) })

export const StartRun = Type.Object({ params: Type.Optional(RunParams) }, { additionalProperties: false })

const AwaitFlag = Type.Optional(
  Type.Union([Type.Boolean(), Type.Literal('1'), Type.Literal('0')], {
    description: 'Answer when the run ends, or after 60 s with its status then',
  }),
)
export const AwaitQuery = Type.Object({ await: AwaitFlag })

export const RunListQuery = Pagination

export const ErrorsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
})

export const ErrorRecord = Type.Object({
  record: Type.Unknown({
    description:
      'The record as the source produced it (ORIGINAL_RECORD) or as the failing stage saw it ' +
      '(STAGE_RECORD); null when the error stage is DISCARD',
  }),
  errorStage: Type.String({ description: 'Resource kind and id, e.g. "data_set 20001"' }),
  errorCode: Type.String(),
  errorMessage: Type.String(),
  errorTimestamp: Timestamp,
})

// Seed 002: the execution API.
export const ExecutionParams = Type.Object({ flow_id: Id })
export const ExecutionRunParams = Type.Object({ flow_id: Id, runId: Type.String({ format: 'uuid' }) })
export const ExecutionStatus = Type.Object({ runId: Type.String(), status: RunStatus })
export const ExecutionQuery = Type.Object({
  await: AwaitFlag,
  api_key: Type.Optional(Type.String({ description: 'The API key, if not sent as x-api-key' })),
})
export const ExecutionStatusQuery = Type.Object({ api_key: ExecutionQuery.properties.api_key })

// Seed 004: on-demand flow runs.
export const CreateFlowRun = Type.Object(
  {
    flowId: Type.Union([Id, Type.String({ pattern: '^[0-9]+$' })], {
      description: 'The flow (any of its node ids), as a number or a string',
    }),
    params: Type.Optional(RunParams),
  },
  { additionalProperties: false },
)
export const CreatedFlowRuns = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), etag: Type.String() })),
})
export const FlowRunsQuery = Type.Object({
  ...Pagination.properties,
  property: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], {
      description: 'Filters as name==value: flowId==<id>, status==<status>; repeat for several',
    }),
  ),
})

const FlowRunMetrics = Type.Object({
  ...RunMetrics.properties,
  durationSummary: Type.Object({
    startedAtUTC: Nullable(Type.Integer({ description: 'Epoch milliseconds' })),
    completedAtUTC: Nullable(Type.Integer({ description: 'Epoch milliseconds' })),
  }),
  sizeSummary: Type.Object({ inputBytes: Type.Integer(), outputBytes: Type.Integer() }),
  recordSummary: Type.Object({
    inputRecordCount: Type.Integer(),
    outputRecordCount: Type.Integer(),
    failedRecordCount: Type.Integer(),
  }),
  fileSummary: Type.Object({ inputFileCount: Type.Integer(), outputFileCount: Type.Integer() }),
  statusSummary: Type.Object({ status: RunStatus, errors: Type.Array(RunError) }),
})

export const FlowRun = Type.Object({
  ...Run.properties,
  flowId: Type.String(),
  etag: Type.String(),
  createdAt: Type.Integer({ description: 'Epoch milliseconds' }),
  updatedAt: Type.Integer({ description: 'Epoch milliseconds' }),
  metrics: FlowRunMetrics,
})
export const FlowRunList = Type.Object({ items: Type.Array(FlowRun) })
