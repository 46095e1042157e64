export type StatusTone = 'positive' | 'warning' | 'negative' | 'neutral' | 'progress'

/** A status as text and colour: the word carries the meaning, the colour only helps scanning. */
export function StatusBadge({ label, tone }: { label: string; tone: StatusTone }) {
  return (
    <span className={`status-badge status-${tone}`}>
      <span className="status-dot" aria-hidden="true" />
      {label}
    </span>
  )
}
