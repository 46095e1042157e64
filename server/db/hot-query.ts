import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { DB } from './schema.js'

const compiled = new Map<string, CompiledQuery>()

/**
 * Runs a query built once and compiled once, with new parameter values. Building and compiling cost more
 * than executing a small indexed query, and a few queries run on every request (authentication, the
 * ETag check of a polled flow). `sentinels` are the placeholder arguments the query is built with; they
 * must be values that cannot otherwise appear among its parameters.
 */
export async function runHot<A extends unknown[], R>(
  db: Kysely<DB>,
  name: string,
  build: (...args: A) => Compilable<R>,
  sentinels: A,
  args: A,
): Promise<R[]> {
  let query = compiled.get(name)
  if (!query) {
    query = build(...sentinels).compile()
    compiled.set(name, query)
  }
  const parameters = query.parameters.map((p) => {
    const i = sentinels.indexOf(p)
    return i === -1 ? p : args[i]
  })
  return (await db.executeQuery<R>({ ...query, parameters })).rows
}
