export interface EngineOptions {
  /** How often streaming flows are polled for new input (and the scheduler looks for work). */
  pollIntervalMs: number
  /** Records per batch: each batch is one file per sink and one transaction. */
  batchRecords: number
  /** Retries of a failing source or sink when the flow has retry_pipeline_on_error. */
  retries: number
  /** First retry delay; each further one doubles it. */
  retryBaseMs: number
  /** Runs (of different flows) executing at once. */
  maxConcurrentRuns: number
  /** Error records kept per run for GET /api/runs/{id}/errors. */
  errorSampleLimit: number
  /** A Running run whose heartbeat is older than this, on another host, is taken as interrupted. */
  staleHeartbeatMs: number
}

export const defaultEngineOptions: EngineOptions = {
  pollIntervalMs: 5000,
  batchRecords: 50_000,
  retries: 3,
  retryBaseMs: 500,
  maxConcurrentRuns: 2,
  errorSampleLimit: 1000,
  staleHeartbeatMs: 60_000,
}
