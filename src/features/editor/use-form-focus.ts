import { useEffect, type RefObject } from 'react'
import type { FormProblems } from './field-errors'

/** After a refused save, focus goes to the first field with a problem, so its message is read and it can be fixed. */
export function useFocusFirstProblem(form: RefObject<HTMLFormElement | null>, problems: FormProblems) {
  useEffect(() => {
    if (Object.keys(problems.fields).length === 0) return
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [form, problems])
}

/**
 * A form dialog opens with focus in its first field (the WAI-ARIA dialog pattern); the browser would focus the
 * dialog itself. `ready`: the form is on screen (it may wait for data).
 */
export function useFocusOnOpen(form: RefObject<HTMLFormElement | null>, ready = true) {
  useEffect(() => {
    if (!ready) return
    form.current
      ?.querySelector<HTMLElement>('input:not([disabled]), textarea:not([disabled]), select:not([disabled])')
      ?.focus()
  }, [form, ready])
}
