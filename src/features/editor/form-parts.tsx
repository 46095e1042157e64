import type { ReactNode } from 'react'
import { sentence, type FormProblems } from './field-errors'

/** The pieces every editor form is made of, so fields, help and the server's messages look and read the same. */

/** The visible mark; the field itself carries `aria-required`, which is what assistive technology announces. */
export function RequiredMark() {
  return (
    <span className="required-mark" aria-hidden="true">
      {' *'}
    </span>
  )
}

/** A field's problem, under it; empty when there is none (the id stays free for aria-describedby). */
export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null
  return (
    <p id={id} className="field-problem">
      {sentence(message)}
    </p>
  )
}

interface TextFieldProps {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  error?: string
  help?: ReactNode
  required?: boolean
  multiline?: boolean
  readOnly?: boolean
  placeholder?: string
}

export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  help,
  required = false,
  multiline = false,
  readOnly = false,
  placeholder,
}: TextFieldProps) {
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const props = {
    id,
    value,
    placeholder,
    disabled: readOnly,
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
    'aria-describedby': [help && helpId, error && errorId].filter(Boolean).join(' ') || undefined,
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <RequiredMark />}
      </label>
      {multiline ? (
        <textarea {...props} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...props} type="text" autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      )}
      {help && (
        <p id={helpId} className="hint">
          {help}
        </p>
      )}
      <FieldMessage id={errorId} message={error} />
    </div>
  )
}

/** A set of radio buttons with a legend; each option may carry a line of help. */
export function RadioGroup<T extends string>({
  name,
  legend,
  value,
  options,
  onChange,
  error,
  disabled = false,
}: {
  name: string
  legend: string
  value: T
  options: { value: T; label: string; help?: string }[]
  onChange: (value: T) => void
  error?: string
  disabled?: boolean
}) {
  const errorId = `${name}-error`
  return (
    <fieldset
      className="field radio-group"
      aria-describedby={error ? errorId : undefined}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`
        return (
          <div key={option.value} className="radio-row">
            <input
              id={id}
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              aria-describedby={option.help ? `${id}-help` : undefined}
              onChange={() => onChange(option.value)}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.help && (
              <span id={`${id}-help`} className="hint">
                {option.help}
              </span>
            )}
          </div>
        )
      })}
      <FieldMessage id={errorId} message={error} />
    </fieldset>
  )
}

/** What the server said that is not about one field (a 403, a 405, a field the form does not show). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  )
}

export function FormActions({
  submitLabel,
  busy,
  onCancel,
  disabled = false,
  cancelLabel = 'Cancel',
}: {
  submitLabel?: string
  busy: boolean
  onCancel: () => void
  disabled?: boolean
  cancelLabel?: string
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
      {submitLabel && (
        <button
          type="submit"
          className="button button-primary"
          disabled={disabled || busy}
          aria-busy={busy || undefined}
        >
          {submitLabel}
        </button>
      )}
    </div>
  )
}

/** The name and description every editor form starts with, with the server's messages for them. */
export function NameFields({
  id,
  name,
  onName,
  description,
  onDescription,
  problems,
  nameHelp,
}: {
  id: string
  name: string
  onName: (value: string) => void
  description: string
  onDescription: (value: string) => void
  problems: FormProblems
  nameHelp?: string
}) {
  return (
    <>
      <TextField
        id={`${id}-name`}
        label="Name"
        required
        value={name}
        onChange={onName}
        error={problems.fields.name}
        help={nameHelp}
      />
      <TextField
        id={`${id}-description`}
        label="Description"
        multiline
        value={description}
        onChange={onDescription}
        error={problems.fields.description}
      />
    </>
  )
}
