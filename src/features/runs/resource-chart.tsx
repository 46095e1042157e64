import type { ResourceMetrics } from '../../api/contract'
import { formatCount } from './format'
import { resourceLabel, type ResourceNames } from './resources'

/** A flow with more resources than this draws the first ones; the table beside it lists them all. */
const MAX_BARS = 40

const series = [
  { key: 'records_in', label: 'In' },
  { key: 'records_out', label: 'Out' },
  { key: 'records_failed', label: 'Failed' },
] as const

/**
 * Records in, out and failed per resource as horizontal bars on one scale (plain HTML and CSS: no chart
 * library). The numbers are in the table beside it, so the chart is one image for screen readers.
 */
export function ResourceChart({ rows, names }: { rows: ResourceMetrics[]; names: ResourceNames }) {
  const shown = rows.slice(0, MAX_BARS)
  const max = Math.max(0, ...shown.flatMap((r) => [r.records_in, r.records_out, r.records_failed]))
  if (max === 0) return <p className="hint resource-chart-empty">No records moved through any resource.</p>
  const summary = shown
    .map(
      (r) =>
        `${resourceLabel(r.resource_type, r.resource_id, names)}: ${r.records_in} in, ${r.records_out} out, ${r.records_failed} failed`,
    )
    .join('; ')
  return (
    <figure className="resource-chart">
      <div role="img" aria-label={`Records per resource. ${summary}`} className="resource-chart-rows">
        {shown.map((r) => (
          <div key={`${r.resource_type}-${r.resource_id}`} className="resource-chart-row">
            <span
              className="resource-chart-name"
              title={resourceLabel(r.resource_type, r.resource_id, names)}
            >
              {resourceLabel(r.resource_type, r.resource_id, names)}
            </span>
            <span className="resource-chart-bars">
              {series.map((s) => (
                <span key={s.key} className={`resource-bar bar-${s.key}`}>
                  {r[s.key] > 0 && (
                    // The longest bar leaves room for its number.
                    <span className="resource-bar-fill" style={{ width: `${(r[s.key] / max) * 82}%` }} />
                  )}
                  <span className="resource-bar-value">{r[s.key] > 0 ? formatCount(r[s.key]) : ''}</span>
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
      <figcaption className="resource-chart-legend">
        {series.map((s) => (
          <span key={s.key} className={`legend-item bar-${s.key}`}>
            <span className="legend-swatch" aria-hidden="true" />
            {s.label}
          </span>
        ))}
        {rows.length > MAX_BARS && (
          <span className="hint">
            First {MAX_BARS} of {formatCount(rows.length)} resources
          </span>
        )}
      </figcaption>
    </figure>
  )
}
