import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { compileFast, FALLBACK } from './fast-jsonata.js'
import { compileTransform } from './transform.js'

/** A small deterministic PRNG so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const samples: unknown[] = [
  undefined,
  null,
  0,
  1,
  -2.5,
  2.5,
  3.14159,
  1e21,
  0.1,
  '',
  'abc',
  'Hello World',
  '42',
  '-3.5e2',
  '0x1F',
  ' 7',
  true,
  false,
  [],
  [1, 2],
  ['x'],
  {},
  { b: 1 },
  { b: [1] },
  { b: { c: 'deep' } },
]

function record(next: () => number) {
  const out: Record<string, unknown> = {}
  for (const key of ['a', 'b', 'name', 'amount', 'n', 'flag']) {
    const pick = Math.floor(next() * (samples.length + 3))
    if (pick < samples.length && samples[pick] !== undefined) out[key] = samples[pick]
  }
  return out
}

const expressions = [
  '$',
  'a',
  'a.b',
  'a.b.c',
  '$.name',
  '{"id": n, "name": $uppercase(name), "total": amount * 2}',
  '{"x": a, "y": b, "z": "lit", "t": true, "u": null}',
  'amount >= 100 ? $ : undefined',
  'amount > 1 and n < 5',
  'flag or a',
  'a = b',
  'a != "abc"',
  'name & "-" & n',
  '-amount',
  'amount + n - 1',
  'amount / n',
  'amount % 3',
  '$number(a)',
  '$string(amount)',
  '$lowercase(name)',
  '$round(amount, 2)',
  '$round(amount)',
  '$abs(n)',
  '$floor(amount)',
  '$ceil(amount)',
  '$exists(a.b)',
  '$boolean(a)',
  '$not(flag)',
  'a ? b : "none"',
  '{"k": a.b, "n": $number(n) * 1.5}',
]

describe('fast JSONata subset', () => {
  it.each(expressions)('agrees with jsonata on random records: %s', async (text) => {
    const expr = jsonata(text)
    const fast = compileFast(expr.ast())
    expect(fast, 'expression should be in the subset').not.toBeNull()
    const next = rng(text.length * 7919)
    let fastCount = 0
    for (let i = 0; i < 300; i++) {
      const input = record(next)
      let expected: { value?: unknown; error?: unknown }
      try {
        expected = { value: await expr.evaluate(input) }
      } catch (error) {
        expected = { error }
      }
      let got: unknown
      try {
        got = fast!(input)
      } catch (err) {
        if (err === FALLBACK) continue
        throw err
      }
      fastCount += 1
      const where = `${text} on ${JSON.stringify(input)}`
      expect(expected.error, where).toBeUndefined()
      expect(JSON.stringify(got), where).toBe(JSON.stringify(expected.value))
      expect(got === undefined, where).toBe(expected.value === undefined)
    }
    expect(fastCount).toBeGreaterThan(0)
  })

  it.each(['a[0]', 'a.b[x > 1]', '$sum(a)', '[a, b]', '($x := 1; $x)', 'a.*', '**.b', '{a: b}', 'a in [1]'])(
    'leaves everything else to jsonata: %s',
    (text) => {
      expect(compileFast(jsonata(text).ast())).toBeNull()
    },
  )

  it('transforms drop undefined, fan out arrays and turn errors into error outcomes', async () => {
    expect(await compileTransform('amount > 5 ? $ : undefined').apply({ amount: 1 })).toEqual({
      ok: true,
      values: [],
    })
    expect(await compileTransform('items').apply({ items: [{ a: 1 }, { a: 2 }] })).toEqual({
      ok: true,
      values: [{ a: 1 }, { a: 2 }],
    })
    expect(await compileTransform('$error("bad record")').apply({})).toEqual({
      ok: false,
      code: 'TRANSFORM_ERROR',
      message: 'bad record',
    })
    const typeError = await compileTransform('{"x": name + 1}').apply({ name: 'a' })
    expect(typeError).toMatchObject({ ok: false, code: 'TRANSFORM_ERROR' })
    expect((typeError as { message: string }).message).toMatch(/^T2001/)
    expect(await compileTransform('').apply({ a: 1 })).toEqual({ ok: true, values: [{ a: 1 }] })
  })
})
