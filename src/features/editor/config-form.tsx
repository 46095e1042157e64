import { useMemo, useState } from 'react'
import type { ConfigField } from './config-schema'
import { fieldsOf } from './config-schema'
import { FieldMessage, RequiredMark } from './form-parts'

interface ConfigFormProps {
  /** The connector's config schema (JSON Schema). */
  schema: unknown
  value: Record<string, unknown>
  onChange: (next: Record<string, unknown>) => void
  /** Messages by config key (`path`, not `source_config.path`). */
  errors: Record<string, string>
  /** An active resource's config: shown, not editable. */
  readOnly?: boolean
  /** Unique per form, so ids do not clash when two forms are on screen. */
  idPrefix: string
}

/**
 * A connector's config as form fields, built from its JSON Schema (see config-schema.ts). Keys the schema does
 * not know are kept as they are, so editing never drops what another client stored.
 */
export function ConfigForm({ schema, value, onChange, errors, readOnly = false, idPrefix }: ConfigFormProps) {
  const fields = useMemo(() => fieldsOf(schema), [schema])
  const set = (key: string, next: unknown) => {
    const copy = { ...value }
    if (next === undefined) delete copy[key]
    else copy[key] = next
    onChange(copy)
  }
  if (fields.length === 0) return <p className="hint">This connector needs no settings.</p>
  return (
    <>
      {fields.map((field) => (
        <ConfigInput
          key={field.key}
          field={field}
          id={`${idPrefix}-${field.key}`}
          value={value[field.key]}
          error={errors[field.key]}
          readOnly={readOnly}
          onChange={(next) => set(field.key, next)}
        />
      ))}
    </>
  )
}

interface ConfigInputProps {
  field: ConfigField
  id: string
  value: unknown
  error: string | undefined
  readOnly: boolean
  onChange: (next: unknown) => void
}

function ConfigInput({ field, id, value, error, readOnly, onChange }: ConfigInputProps) {
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const describedBy = [field.description && helpId, error && errorId].filter(Boolean).join(' ') || undefined
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': field.required || undefined,
    disabled: readOnly,
  }

  if (field.kind === 'checkbox')
    return (
      <div className="field field-check">
        <div className="check-row">
          <input
            {...common}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />
          <label htmlFor={id}>{field.label}</label>
        </div>
        {field.description && (
          <p id={helpId} className="hint">
            {field.description}
          </p>
        )}
        <FieldMessage id={errorId} message={error} />
      </div>
    )

  let input
  if (field.kind === 'select') {
    const at = field.options.findIndex((o) => o.value === value)
    input = (
      <select
        {...common}
        value={at < 0 ? '' : String(at)}
        onChange={(e) =>
          onChange(e.target.value === '' ? undefined : field.options[Number(e.target.value)]?.value)
        }
      >
        {(at < 0 || !field.required) && <option value="">{field.required ? 'Choose…' : '(not set)'}</option>}
        {field.options.map((option, i) => (
          <option key={String(option.value)} value={String(i)}>
            {option.label}
          </option>
        ))}
      </select>
    )
  } else if (field.kind === 'number') {
    input = (
      <input
        {...common}
        type="number"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        step={field.integer ? 1 : 'any'}
        min={field.minimum}
        max={field.maximum}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    )
  } else if (field.kind === 'json') {
    input = <JsonInput {...common} value={value} onChange={onChange} />
  } else {
    input = (
      <input
        {...common}
        type="text"
        spellCheck={false}
        autoComplete="off"
        maxLength={field.maxLength}
        value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
    )
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {field.required && <RequiredMark />}
      </label>
      {input}
      {field.description && (
        <p id={helpId} className="hint">
          {field.description}
        </p>
      )}
      <FieldMessage id={errorId} message={error} />
    </div>
  )
}

/** A value the form has no input for, edited as JSON; the text is kept while it does not parse. */
function JsonInput({
  value,
  onChange,
  ...rest
}: {
  id: string
  value: unknown
  onChange: (next: unknown) => void
  disabled: boolean
  'aria-describedby'?: string
  'aria-invalid'?: boolean
}) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)))
  const [invalid, setInvalid] = useState(false)
  return (
    <>
      <textarea
        {...rest}
        className="code-input"
        rows={3}
        spellCheck={false}
        value={text}
        aria-invalid={rest['aria-invalid'] ?? (invalid || undefined)}
        onChange={(e) => {
          setText(e.target.value)
          if (e.target.value.trim() === '') {
            setInvalid(false)
            onChange(undefined)
            return
          }
          try {
            onChange(JSON.parse(e.target.value) as unknown)
            setInvalid(false)
          } catch {
            setInvalid(true)
          }
        }}
      />
      {invalid && <p className="hint">Not valid JSON yet: the last valid value is kept.</p>}
    </>
  )
}
