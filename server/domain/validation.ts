import jsonata from 'jsonata'
import type { FastifySchemaCompiler } from 'fastify'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import Type from 'typebox'
import { sinkConnectors, sourceConnectors, type ConnectorSpec } from '../schemas/connectors.js'
import { confinePath } from './paths.js'

export interface Problem {
  field: string
  message: string
}

const compiled = new Map<Type.TSchema, ReturnType<typeof Compile>>()
function checker(schema: Type.TSchema) {
  let c = compiled.get(schema)
  if (!c) compiled.set(schema, (c = Compile(schema)))
  return c
}

interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message: string
}

/** Turns JSON-schema errors into one problem per field, with dotted field names ("source_config.path"). */
export function schemaProblems(errors: readonly SchemaError[], prefix = ''): Problem[] {
  // Array positions read as in JavaScript: data_sets[0].name, the way the domain checks name them too.
  const join = (pointer: string, key?: string) =>
    [prefix, ...pointer.split('/').filter(Boolean), ...(key === undefined ? [] : [key])]
      .filter(Boolean)
      .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '')
  // A union of literals fails once per literal; say "must be one of a, b" once instead.
  const allowed = new Map<string, unknown[]>()
  for (const e of errors) {
    if (e.keyword === 'const')
      allowed.set(e.instancePath, [...(allowed.get(e.instancePath) ?? []), e.params.allowedValue])
    if (e.keyword === 'enum') allowed.set(e.instancePath, e.params.allowedValues as unknown[])
  }
  const out: Problem[] = []
  for (const e of errors) {
    if (e.keyword === 'boolean') continue // repeats an additionalProperties error below it
    const values = allowed.get(e.instancePath)
    if (values && ['const', 'enum', 'anyOf'].includes(e.keyword)) {
      out.push({
        field: join(e.instancePath) || prefix || 'body',
        message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
      })
      continue
    }
    if (e.keyword === 'required') {
      const props = (e.params.requiredProperties ?? [e.params.missingProperty]) as string[]
      for (const p of props) out.push({ field: join(e.instancePath, p), message: 'is required' })
    } else if (e.keyword === 'additionalProperties') {
      const props = (e.params.additionalProperties ?? [e.params.additionalProperty]) as string[]
      for (const p of props) out.push({ field: join(e.instancePath, p), message: 'is not a known field' })
    } else {
      const empty = e.keyword === 'minLength' && e.params.limit === 1
      out.push({
        field: join(e.instancePath) || prefix || 'body',
        message: empty ? 'must not be empty' : e.message,
      })
    }
  }
  const seen = new Set<string>()
  return out.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)))
}

const partials = new Map<Type.TObject, Type.TSchema>()
/**
 * The config schema with every key optional, made once per connector: checker() caches by schema object.
 * Type.Partial drops additionalProperties; keep it so an unknown config key fails now, not at activation.
 */
function partialOf(config: Type.TObject): Type.TSchema {
  let p = partials.get(config)
  if (!p) {
    const { additionalProperties } = config as { additionalProperties?: boolean }
    partials.set(config, (p = Type.Partial(config, { additionalProperties })))
  }
  return p
}

const integerText = /^-?\d+$/

/** Path and query values that Value.Convert would bend into an integer although they are not written as one. */
function looseIntegers(schema: Type.TSchema, value: unknown): SchemaError[] {
  const props = (schema as { properties?: Record<string, { type?: unknown }> }).properties
  if (!props || typeof value !== 'object' || value === null) return []
  return Object.entries(value)
    .filter(([k, v]) => props[k]?.type === 'integer' && typeof v === 'string' && !integerText.test(v))
    .map(([k]) => ({
      keyword: 'type',
      instancePath: `/${k}`,
      params: { type: 'integer' },
      message: 'must be integer',
    }))
}

/**
 * The TypeBox validator of @fastify/type-provider-typebox, except that an integer in a path or query string
 * must be written as one: Value.Convert alone turns "5001.9" into 5001 and "0x10" into 16, so
 * DELETE /api/data_sources/5001.9 would delete data source 5001.
 */
export const validatorCompiler: FastifySchemaCompiler<Type.TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema)
  return (value: unknown) => {
    const loose = httpPart === 'body' ? [] : looseIntegers(schema, value)
    if (loose.length) return { error: loose as never }
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value)
    if (check.Check(converted)) return { value: converted }
    return { error: check.Errors(converted) as never }
  }
}

export type ConnectorRole = 'source' | 'sink'
const catalogs: Record<ConnectorRole, Record<string, ConnectorSpec>> = {
  source: sourceConnectors,
  sink: sinkConnectors,
}

/**
 * Checks a connector type and config. `complete` is false while a resource is being set up (any subset of
 * the fields, each well-formed) and true on activation (everything the connector needs).
 */
export function connectorProblems(
  role: ConnectorRole,
  type: string,
  config: Record<string, unknown>,
  filesDir: string,
  complete: boolean,
): Problem[] {
  const spec = catalogs[role][type]
  const field = `${role}_config`
  if (!spec) {
    const known = Object.keys(catalogs[role]).join(', ')
    return [{ field: 'connector_type', message: `unknown ${role} connector '${type}'; known: ${known}` }]
  }
  const schema = complete ? spec.config : partialOf(spec.config)
  // Check is a compiled predicate; Errors walks the value again, so only pay for it when something is wrong.
  const check = checker(schema)
  const problems = check.Check(config) ? [] : schemaProblems(check.Errors(config), field)
  for (const key of spec.pathKeys) {
    const value = config[key]
    if (typeof value !== 'string') continue
    const confined = confinePath(filesDir, value)
    if (!confined.ok) problems.push({ field: `${field}.${key}`, message: confined.reason })
  }
  return problems
}

/** A transform must compile; the empty transform passes records through. */
export function transformProblems(transform: string): Problem[] {
  if (transform.trim() === '') return []
  try {
    jsonata(transform)
    return []
  } catch (err) {
    const e = err as { message?: string; position?: number }
    const at = e.position === undefined ? '' : ` (at character ${e.position})`
    return [{ field: 'transform', message: `does not compile: ${e.message ?? String(err)}${at}` }]
  }
}

export interface ResourceProblem extends Problem {
  resource_type: 'data_source' | 'data_set' | 'data_sink'
  resource_id: number
}

interface ActivationInput {
  data_sources?: { id: number; connector_type: string; source_config: string }[]
  data_sets?: { id: number; transform: string }[]
  data_sinks?: { id: number; connector_type: string; sink_config: string }[]
}

const parseConfig = (text: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(text)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Everything that would stop these resources from running, so activation can refuse before changing anything. */
export function activationProblems(rows: ActivationInput, filesDir: string): ResourceProblem[] {
  const out: ResourceProblem[] = []
  for (const r of rows.data_sources ?? [])
    for (const p of connectorProblems(
      'source',
      r.connector_type,
      parseConfig(r.source_config),
      filesDir,
      true,
    ))
      out.push({ resource_type: 'data_source', resource_id: r.id, ...p })
  for (const r of rows.data_sets ?? [])
    for (const p of transformProblems(r.transform))
      out.push({ resource_type: 'data_set', resource_id: r.id, ...p })
  for (const r of rows.data_sinks ?? [])
    for (const p of connectorProblems('sink', r.connector_type, parseConfig(r.sink_config), filesDir, true))
      out.push({ resource_type: 'data_sink', resource_id: r.id, ...p })
  return out
}

export function describeProblems(problems: ResourceProblem[]): string {
  const n = problems.length
  const list = problems.map((p) => `${p.resource_type} ${p.resource_id} ${p.field}: ${p.message}`).join('; ')
  return `Activation failed: ${n} problem${n === 1 ? '' : 's'} to fix first: ${list}`
}
