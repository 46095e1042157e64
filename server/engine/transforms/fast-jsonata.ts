/**
 * A synchronous evaluator for the common subset of JSONata, built from the expression's AST. `jsonata`
 * evaluates every node through async functions, which caps a mapping at ~30,000 records/s; record
 * mappings are mostly paths, object constructors, arithmetic and a few functions, which this runs as
 * plain closures. It is deliberately conservative: an expression with any node outside the subset does
 * not compile (null), and a record whose values could make the real evaluator behave differently (an
 * array on a path, a type error, a number out of range...) throws FALLBACK, and that record is evaluated
 * by `jsonata` itself. fast-jsonata.test.ts checks both agree.
 */

class Fallback extends Error {}
/** Thrown (one shared instance, so no stack is captured per record) when jsonata must evaluate a record. */
export const FALLBACK = new Fallback('evaluate this record with jsonata')

type Fn = (input: Record<string, unknown>) => unknown

interface Node {
  type: string
  value?: unknown
  position?: number
  [key: string]: unknown
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k)

const fallback = (): never => {
  throw FALLBACK
}

/** Keys a node of each kind may have; any other key (predicates, stages, grouping...) is outside the subset. */
const allowedKeys: Record<string, string[]> = {
  variable: ['type', 'value', 'position'],
  name: ['type', 'value', 'position'],
  string: ['type', 'value', 'position'],
  number: ['type', 'value', 'position'],
  value: ['type', 'value', 'position'],
  path: ['type', 'steps'],
  unary: ['type', 'value', 'position', 'expression', 'lhs'],
  binary: ['type', 'value', 'position', 'lhs', 'rhs'],
  condition: ['type', 'position', 'condition', 'then', 'else'],
  function: ['type', 'name', 'value', 'position', 'arguments', 'procedure'],
}

class Unsupported extends Error {}

function check(node: Node) {
  const keys = allowedKeys[node.type]
  if (!keys) throw new Unsupported(node.type)
  for (const k of Object.keys(node)) if (!keys.includes(k)) throw new Unsupported(`${node.type}.${k}`)
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

function step(v: unknown, key: string): unknown {
  if (v === undefined || v === null) return undefined
  if (Array.isArray(v)) fallback()
  if (typeof v !== 'object') return undefined
  if (!hasOwn(v, key)) return undefined
  const r = (v as Record<string, unknown>)[key]
  if (Array.isArray(r)) fallback()
  return r
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** JSONata's effective boolean value, for the values it is simple for. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return v.length > 0
  if (finite(v)) return v !== 0
  if (isPlainObject(v)) return Object.keys(v).length > 0
  return fallback()
}

/** JSONata's $string for scalars. */
function str(v: unknown): string {
  if (typeof v === 'string') return v
  if (finite(v)) return JSON.stringify(Number.isInteger(v) ? v : Number(v.toPrecision(15)))
  if (typeof v === 'boolean' || v === null) return JSON.stringify(v)
  return fallback()
}

/** JSONata's $round: half to even, shifting the decimal point in text. */
function round(arg: number, precision: number | undefined): number {
  let x = arg
  if (precision) {
    const [m, e] = x.toString().split('e')
    x = +`${m}e${e ? +e + precision : precision}`
  }
  let result = Math.round(x)
  if (Math.abs(result - x) === 0.5 && Math.abs(result % 2) === 1) result -= 1
  if (precision) {
    const [m, e] = result.toString().split('e')
    result = +`${m}e${e ? +e - precision : -precision}`
  }
  return Object.is(result, -0) ? 0 : result
}

const decimal = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/

const functions: Record<string, { arity: [number, number]; call: (args: unknown[]) => unknown }> = {
  uppercase: { arity: [1, 1], call: ([v]) => stringFn(v, (s) => s.toUpperCase()) },
  lowercase: { arity: [1, 1], call: ([v]) => stringFn(v, (s) => s.toLowerCase()) },
  string: { arity: [1, 1], call: ([v]) => (v === undefined ? undefined : str(v)) },
  number: {
    arity: [1, 1],
    call: ([v]) => {
      if (v === undefined) return undefined
      if (finite(v)) return v
      if (typeof v === 'boolean') return v ? 1 : 0
      if (typeof v === 'string' && decimal.test(v)) {
        const n = parseFloat(v)
        if (Number.isFinite(n) && Number.isFinite(Number(v))) return n
      }
      return fallback()
    },
  },
  round: {
    arity: [1, 2],
    call: ([v, p]) => {
      if (v === undefined) return undefined
      if (!finite(v) || (p !== undefined && !(finite(p) && Number.isInteger(p)))) return fallback()
      return round(v, p)
    },
  },
  abs: { arity: [1, 1], call: ([v]) => numberFn(v, Math.abs) },
  floor: { arity: [1, 1], call: ([v]) => numberFn(v, Math.floor) },
  ceil: { arity: [1, 1], call: ([v]) => numberFn(v, Math.ceil) },
  exists: { arity: [1, 1], call: ([v]) => v !== undefined },
  boolean: { arity: [1, 1], call: ([v]) => (v === undefined ? undefined : truthy(v)) },
  not: { arity: [1, 1], call: ([v]) => (v === undefined ? undefined : !truthy(v)) },
}

function stringFn(v: unknown, f: (s: string) => string) {
  if (v === undefined) return undefined
  return typeof v === 'string' ? f(v) : fallback()
}

function numberFn(v: unknown, f: (n: number) => number) {
  if (v === undefined) return undefined
  return finite(v) ? f(v) : fallback()
}

function arithmetic(op: string): ((l: number, r: number) => number) | undefined {
  switch (op) {
    case '+':
      return (l, r) => l + r
    case '-':
      return (l, r) => l - r
    case '*':
      return (l, r) => l * r
    case '/':
      return (l, r) => l / r
    case '%':
      return (l, r) => l % r
    default:
      return undefined
  }
}

function comparison(op: string): ((l: number | string, r: number | string) => boolean) | undefined {
  switch (op) {
    case '<':
      return (l, r) => l < r
    case '<=':
      return (l, r) => l <= r
    case '>':
      return (l, r) => l > r
    case '>=':
      return (l, r) => l >= r
    default:
      return undefined
  }
}

const scalar = (v: unknown) => v === null || typeof v !== 'object'

function build(node: Node): Fn {
  check(node)
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const v = node.value
      return () => v
    }
    case 'variable':
      if (node.value === '' || node.value === '$') return (input) => input
      throw new Unsupported('variable')
    case 'path': {
      const steps = node.steps as Node[]
      const names: string[] = []
      steps.forEach((s, i) => {
        check(s)
        if (i === 0 && s.type === 'variable' && (s.value === '' || s.value === '$')) return
        if (s.type !== 'name' || typeof s.value !== 'string') throw new Unsupported('path step')
        names.push(s.value)
      })
      if (names.length === 1) {
        const [key] = names as [string]
        return (input) => step(input, key)
      }
      return (input) => {
        let v: unknown = input
        for (const k of names) {
          v = step(v, k)
          if (v === undefined) return undefined
        }
        return v
      }
    }
    case 'unary': {
      if (node.value === '-') {
        const e = build(node.expression as Node)
        return (input) => {
          const v = e(input)
          if (v === undefined) return undefined
          return finite(v) ? -v : fallback()
        }
      }
      if (node.value !== '{') throw new Unsupported('unary')
      const pairs = (node.lhs as [Node, Node][]).map(([k, v]) => {
        check(k)
        if (k.type !== 'string' || typeof k.value !== 'string') throw new Unsupported('computed key')
        return [k.value, build(v)] as const
      })
      const keys = pairs.map(([k]) => k)
      if (new Set(keys).size !== keys.length) throw new Unsupported('duplicate key')
      return (input) => {
        const out: Record<string, unknown> = {}
        for (const [k, f] of pairs) {
          const v = f(input)
          if (v !== undefined) out[k] = v
        }
        return out
      }
    }
    case 'binary': {
      const op = node.value as string
      const l = build(node.lhs as Node)
      const r = build(node.rhs as Node)
      const math = arithmetic(op)
      if (math)
        return (input) => {
          const a = l(input)
          const b = r(input)
          if ((a !== undefined && !finite(a)) || (b !== undefined && !finite(b))) return fallback()
          if (a === undefined || b === undefined) return undefined
          const v = math(a, b)
          return Number.isFinite(v) ? v : fallback()
        }
      const cmp = comparison(op)
      if (cmp)
        return (input) => {
          const a = l(input)
          const b = r(input)
          const ta = typeof a
          const tb = typeof b
          const comparable = (t: string, v: unknown) =>
            t === 'undefined' || t === 'string' || (t === 'number' && finite(v))
          if (!comparable(ta, a) || !comparable(tb, b)) return fallback()
          if (a === undefined || b === undefined) return undefined
          if (ta !== tb) return fallback()
          return cmp(a as number | string, b as number | string)
        }
      if (op === '=' || op === '!=')
        return (input) => {
          const a = l(input)
          const b = r(input)
          if (a === undefined || b === undefined) return false
          if (!scalar(a) || !scalar(b)) return fallback()
          return op === '=' ? a === b : a !== b
        }
      if (op === 'and') return (input) => truthy(l(input)) && truthy(r(input))
      if (op === 'or') return (input) => truthy(l(input)) || truthy(r(input))
      if (op === '&')
        return (input) => {
          const a = l(input)
          const b = r(input)
          return (a === undefined ? '' : str(a)) + (b === undefined ? '' : str(b))
        }
      throw new Unsupported(`operator ${op}`)
    }
    case 'condition': {
      const c = build(node.condition as Node)
      const t = build(node.then as Node)
      const e = node.else === undefined ? undefined : build(node.else as Node)
      return (input) => (truthy(c(input)) ? t(input) : e?.(input))
    }
    case 'function': {
      const proc = node.procedure as Node
      check(proc)
      const spec = proc.type === 'variable' ? functions[proc.value as string] : undefined
      const args = (node.arguments as Node[]).map(build)
      if (!spec || node.value !== '(' || args.length < spec.arity[0] || args.length > spec.arity[1])
        throw new Unsupported('function')
      if (args.length === 1) {
        const [a] = args as [Fn]
        const call = spec.call
        return (input) => call([a(input)])
      }
      return (input) => spec.call(args.map((a) => a(input)))
    }
    default:
      throw new Unsupported(node.type)
  }
}

/**
 * The expression as a synchronous function of a record (a plain object), or null when it uses anything
 * outside the subset. The function throws FALLBACK for a record it cannot evaluate exactly.
 */
export function compileFast(ast: unknown): ((input: unknown) => unknown) | null {
  try {
    const f = build(ast as Node)
    return (input) => (isPlainObject(input) ? f(input) : fallback())
  } catch (err) {
    if (err instanceof Unsupported) return null
    throw err
  }
}
