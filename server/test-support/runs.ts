import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import type { EngineOptions } from '../engine/options.js'
import { makeApp, type TestApp } from './app.js'

/** Engine settings that keep run tests fast: short polls and retries, small batches. */
export const fastEngine: Partial<EngineOptions> = { pollIntervalMs: 40, retryBaseMs: 5, batchRecords: 1000 }

/** A real app whose engine polls every few milliseconds. */
export async function makeRunApp(options: Partial<EngineOptions> = {}): Promise<TestApp> {
  const t = await makeApp()
  t.app.engine.configure({ ...fastEngine, ...options })
  return t
}

/** Writes records as one input file (NDJSON unless the name says .csv or .json) under FILES_DIR. */
export function writeInput(t: TestApp, rel: string, records: unknown[], mtime?: Date) {
  const file = path.join(t.filesDir, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  let text: string
  if (rel.endsWith('.json')) text = JSON.stringify(records)
  else if (rel.endsWith('.csv')) {
    const cols = Object.keys(records[0] as object)
    text =
      [cols.join(','), ...records.map((r) => cols.map((c) => String((r as any)[c])).join(','))].join('\n') +
      '\n'
  } else text = records.map((r) => JSON.stringify(r)).join('\n') + '\n'
  fs.writeFileSync(file, text)
  if (mtime) fs.utimesSync(file, mtime, mtime)
  return file
}

/** Every record in a sink folder's visible files, in file order (name), parsed by extension. */
export function readSink(t: TestApp, rel: string): any[] {
  const dir = path.join(t.filesDir, rel)
  if (!fs.existsSync(dir)) return []
  const out: any[] = []
  const files = fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .map((n) => ({ n, m: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => a.m - b.m || (a.n < b.n ? -1 : 1))
  for (const { n } of files) {
    const text = fs.readFileSync(path.join(dir, n), 'utf8')
    if (n.endsWith('.json')) out.push(...JSON.parse(text))
    else if (n.endsWith('.csv')) {
      const [header, ...rows] = text.trim().split('\n')
      const cols = header!.split(',')
      for (const row of rows) out.push(Object.fromEntries(row.split(',').map((v, i) => [cols[i], v])))
    } else
      out.push(
        ...text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      )
  }
  return out
}

/** Hidden files (temp files of a run) left in a folder. */
export function hiddenFiles(t: TestApp, rel: string): string[] {
  const dir = path.join(t.filesDir, rel)
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith('.')) : []
}

/** Polls until the check passes (or fails the test after `ms`). */
export async function eventually<T>(check: () => Promise<T> | T, ms = 10_000): Promise<T> {
  const start = Date.now()
  let last: unknown
  for (;;) {
    try {
      return await check()
    } catch (err) {
      last = err
    }
    if (Date.now() - start > ms) throw last
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Starts a run through the canonical API and waits for it to end. */
export async function runToEnd(t: TestApp, flowId: number, params?: Record<string, unknown>, key?: string) {
  const res = await t.call('POST', `/api/flows/${flowId}/runs?await=true`, {
    key,
    body: params === undefined ? {} : { params },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}

export const ids = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, amount: (from + i) % 200 }))
