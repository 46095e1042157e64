/**
 * Reads a connector's config schema (JSON Schema, as `GET /api/connectors` publishes it) into the fields of a
 * form, so a new connector needs no console change: a string is a text input, a union of literals a select, a
 * boolean a checkbox, an integer or number a number input; `description` is the help text and `required` marks
 * the field. Anything else (objects, arrays) is edited as JSON rather than dropped.
 */

export type FieldValue = string | number | boolean

interface Common {
  key: string
  label: string
  description: string | null
  required: boolean
  default: unknown
}

export type ConfigField = Common &
  (
    | { kind: 'text'; minLength?: number; maxLength?: number }
    | { kind: 'select'; options: { value: FieldValue; label: string }[] }
    | { kind: 'checkbox' }
    | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
    | { kind: 'json' }
  )

type Schema = Record<string, unknown>

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isFieldValue = (value: unknown): value is FieldValue =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

const num = (value: unknown) => (typeof value === 'number' ? value : undefined)

/** `delta_column` and `deltaColumn` → "Delta column". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The branches of a union, without `null` (a nullable field is an optional one here). */
function branches(schema: Schema): Schema[] | null {
  const union = schema.anyOf ?? schema.oneOf
  if (!Array.isArray(union)) return null
  return union.filter(isSchema).filter((b) => b.type !== 'null')
}

/** The schema's own type, ignoring `null` in a type list. */
function typeOf(schema: Schema): string | undefined {
  const { type } = schema
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined
  return typeof type === 'string' ? type : undefined
}

function describeField(key: string, raw: Schema, required: boolean): ConfigField {
  let schema = raw
  const union = branches(schema)
  // A nullable type (`anyOf: [T, null]`) is T.
  if (union && union.length === 1 && union[0]) schema = { ...union[0], ...without(raw, ['anyOf', 'oneOf']) }
  const common: Common = {
    key,
    label: typeof schema.title === 'string' ? schema.title : humanize(key),
    description: typeof schema.description === 'string' ? schema.description : null,
    required,
    default: schema.default,
  }
  const literals = branches(schema)
  if (literals && literals.length > 0 && literals.every((b) => isFieldValue(b.const)))
    return {
      ...common,
      kind: 'select',
      options: literals.map((b) => ({
        value: b.const as FieldValue,
        label: typeof b.title === 'string' ? b.title : String(b.const),
      })),
    }
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isFieldValue))
    return {
      ...common,
      kind: 'select',
      options: schema.enum.map((value) => ({ value, label: String(value) })),
    }
  if (isFieldValue(schema.const))
    return { ...common, kind: 'select', options: [{ value: schema.const, label: String(schema.const) }] }
  const type = typeOf(schema)
  if (type === 'string')
    return { ...common, kind: 'text', minLength: num(schema.minLength), maxLength: num(schema.maxLength) }
  if (type === 'boolean') return { ...common, kind: 'checkbox' }
  if (type === 'integer' || type === 'number')
    return {
      ...common,
      kind: 'number',
      integer: type === 'integer',
      minimum: num(schema.minimum),
      maximum: num(schema.maximum),
    }
  return { ...common, kind: 'json' }
}

function without(schema: Schema, keys: string[]): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !keys.includes(k)))
}

/** The form's fields, in the schema's property order. */
export function fieldsOf(schema: unknown): ConfigField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return []
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
  )
  return Object.entries(schema.properties)
    .filter((entry): entry is [string, Schema] => isSchema(entry[1]))
    .map(([key, property]) => describeField(key, property, required.has(key)))
}

/** A new config: every field's default, if the schema gives one. */
export function defaultsOf(fields: ConfigField[]): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  for (const field of fields) if (field.default !== undefined) config[field.key] = field.default
  return config
}

/** Required fields left empty, as `{key: 'Required'}`: the console asks for them before the server would at activation. */
export function missingRequired(
  fields: ConfigField[],
  config: Record<string, unknown>,
): Record<string, string> {
  const missing: Record<string, string> = {}
  for (const field of fields) {
    if (!field.required || field.kind === 'checkbox') continue
    const value = config[field.key]
    if (value === undefined || value === null || value === '') missing[field.key] = 'Required'
  }
  return missing
}
