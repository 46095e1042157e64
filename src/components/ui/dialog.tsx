import { useEffect, useId, useRef, type ReactNode } from 'react'

interface DialogProps {
  title: string
  children: ReactNode
  /** Escape, or a button that cancels. */
  onClose: () => void
  className?: string
}

/**
 * A modal dialog on the native <dialog>: the browser traps focus, makes the page behind it inert, and closes
 * it on Escape (reported through `onClose`, so the owner decides). Open while mounted.
 */
export function Dialog({ title, children, onClose, className }: DialogProps) {
  const titleId = useId()
  const ref = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  return (
    <dialog
      ref={ref}
      className={['dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  )
}
