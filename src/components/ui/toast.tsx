import { create } from 'zustand'

/**
 * Toasts: what an action did, with Undo when it can be undone, or the server's message when it failed.
 * A small zustand store so code outside components (a mutation's callbacks) can raise one.
 */
export type ToastTone = 'success' | 'error'

export interface Toast {
  id: number
  message: string
  tone: ToastTone
  action?: { label: string; run: () => void }
}

interface ToastStore {
  toasts: Toast[]
  push: (toast: Omit<Toast, 'id'>) => number
  dismiss: (id: number) => void
}

/** Long enough to read the message and reach Undo; errors stay until dismissed. */
const SUCCESS_MS = 10_000
/** Older toasts give way so the stack never covers the canvas. */
const MAX_TOASTS = 4

let nextId = 1

export const useToastStore = create<ToastStore>()((set, get) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++
    set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }))
    if (toast.tone === 'success') setTimeout(() => get().dismiss(id), SUCCESS_MS)
    return id
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}))

export const toast = {
  success: (message: string, action?: Toast['action']) =>
    useToastStore.getState().push({ message, tone: 'success', action }),
  error: (message: string) => useToastStore.getState().push({ message, tone: 'error' }),
}

function ToastItem({ toast: t }: { toast: Toast }) {
  const dismiss = useToastStore((s) => s.dismiss)
  return (
    // An error toast is an alert of its own (announced as it appears); successes sit in the polite region.
    <div className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : undefined}>
      <p className="toast-message">{t.message}</p>
      {t.action && (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            dismiss(t.id)
            t.action?.run()
          }}
        >
          {t.action.label}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  )
}

/**
 * Where toasts appear. The polite live region is always in the page (a region added together with its first
 * message is often not announced); it has no role, so it never competes with a page's own status or alert.
 */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts)
  return (
    <section className="toaster" aria-label="Notifications">
      <div aria-live="polite" className="toast-stack">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </div>
    </section>
  )
}
