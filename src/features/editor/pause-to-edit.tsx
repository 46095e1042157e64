import type { ReactNode } from 'react'

/**
 * Said where an active resource's config is shown read-only: the server refuses to change it (405) while the
 * resource is active. Names and descriptions stay editable.
 */
export function PauseToEdit({ children }: { children: ReactNode }) {
  return (
    <p className="pause-to-edit" role="note">
      <strong>Pause to edit</strong>
      <span className="hint"> · {children}</span>
    </p>
  )
}
