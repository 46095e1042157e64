import { useQuery } from '@tanstack/react-query'
import type { Run } from '../../api/contract'
import { isRunActive, runQueries } from '../../api/run-queries'
import { formatCount, formatDateTime } from './format'
import { stageLabel, type ResourceNames } from './resources'

/** A short record on one line, as it would sit in a file; a long one indented so it can be read. */
function showRecord(record: unknown): string {
  const line = JSON.stringify(record)
  return line.length <= 120 ? line : JSON.stringify(record, null, 2)
}

/**
 * The run's first error records (`GET /api/runs/{id}/errors`): where each failed (`errorStage`), why
 * (`errorCode`, `errorMessage`) and the record — as the source produced it or as the failing stage saw it,
 * per the flow's error record policy. Asked for only when the run has any; once it has ended, never again.
 */
export function ErrorRecords({ run, names }: { run: Run; names: ResourceNames }) {
  const failed = run.metrics.records_failed
  const errors = useQuery({
    ...runQueries.errors(run.id, isRunActive(run.status)),
    enabled: failed > 0,
  })

  return (
    <section className="run-card" aria-labelledby="run-error-records">
      <h2 id="run-error-records">Error records</h2>
      {failed === 0 ? (
        <p className="hint">
          {isRunActive(run.status)
            ? 'No error records so far.'
            : 'None: every record this run read went through.'}
        </p>
      ) : errors.isPending ? (
        <p className="hint">Loading error records…</p>
      ) : errors.error ? (
        <p className="form-error" role="alert">
          Could not load the error records: {errors.error.message}
        </p>
      ) : (
        <>
          <p className="hint">
            {errors.data.records.length < errors.data.total
              ? `The first ${formatCount(errors.data.records.length)} of ${formatCount(errors.data.total)} error records.`
              : `${formatCount(errors.data.total)} error ${errors.data.total === 1 ? 'record' : 'records'}.`}{' '}
            An error record does not fail the run: it goes to the flow’s error stage.
          </p>
          <ol className="error-records">
            {errors.data.records.map((e, i) => {
              const stage = stageLabel(e.errorStage, names)
              return (
                // Error records have no id; their position is their identity in this fixed list.
                <li key={i} className="error-record">
                  <div className="error-record-head">
                    <span className="error-record-stage">
                      {stage.kind && <span className="kind-tag">{stage.kind}</span>}
                      {stage.name}
                    </span>
                    <code>{e.errorCode}</code>
                    <time className="hint" dateTime={e.errorTimestamp}>
                      {formatDateTime(e.errorTimestamp)}
                    </time>
                  </div>
                  <dl className="error-record-body">
                    <dt>errorStage</dt>
                    <dd className="run-mono">{e.errorStage}</dd>
                    <dt>errorMessage</dt>
                    <dd className="error-record-message">{e.errorMessage}</dd>
                    <dt>record</dt>
                    <dd>
                      {e.record === null || e.record === undefined ? (
                        <span className="hint">Not kept: the flow’s error stage discards records.</span>
                      ) : (
                        <pre className="run-code">{showRecord(e.record)}</pre>
                      )}
                    </dd>
                  </dl>
                </li>
              )
            })}
          </ol>
        </>
      )}
    </section>
  )
}
