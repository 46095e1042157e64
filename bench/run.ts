/**
 * npm run bench: prints figures, asserts nothing. Servers run as child processes on loopback so the load
 * generator (autocannon) and the server do not share one event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { openDatabase } from '../server/db/database.js'
import { generateFlow } from './generate.js'

const KEY = 'fc_bench_key_0123456789abcdefghijklmnopqrstuvwxyz'
const root = path.resolve(import.meta.dirname, '..')

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_API_KEY: KEY, SEED_DEMO: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error('server did not start')
}

async function load(title: string, url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: 16, duration: 5, headers: { authorization: `Bearer ${KEY}`, ...headers } })
  const ok = result['2xx'] + result['3xx']
  console.log(
    `${title.padEnd(58)} ${Math.round(result.requests.average).toString().padStart(7)} req/s   p99 ${String(result.latency.p99).padStart(4)} ms   ${result.non2xx - result['3xx'] > 0 ? `${result.non2xx - result['3xx']} errors` : `${ok} ok`}`,
  )
}

const time = async (fn: () => Promise<unknown>, runs: number) => {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  return { median: samples[Math.floor(runs / 2)]!, best: samples[0]! }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-bench-'))
  // The first start creates the super-user; then flows are written straight into the database.
  let server = await startServer(dataDir, 8181)
  server.kill()
  await new Promise((r) => server.once('exit', r))
  const db = await openDatabase(dataDir)
  const small = await generateFlow(db, { resources: 100, ownerId: 1, orgId: 1, name: 'Bench 100' })
  const large = await generateFlow(db, { resources: 10_000, ownerId: 1, orgId: 1, name: 'Bench 10k' })
  await db.destroy()

  server = await startServer(dataDir, 8181)
  const base = 'http://127.0.0.1:8181/api'
  console.log(`\nAPI throughput (autocannon, 16 connections, 5 s each, server on loopback; ${os.cpus().length} cores)`)
  await load('GET /api/health', `${base}/health`)
  await load('GET /api/data_sinks?per_page=100 (authenticated list)', `${base}/data_sinks?per_page=100`)
  await load(`GET /api/flows/{id}, ${small.resources}-resource flow (200)`, `${base}/flows/${small.originId}`)
  const etag = (await fetch(`${base}/flows/${small.originId}`, { headers: { authorization: `Bearer ${KEY}` } })).headers.get('etag') ?? ''
  await load(`GET /api/flows/{id}, ${small.resources}-resource flow (304 path)`, `${base}/flows/${small.originId}`, { 'if-none-match': etag })

  console.log(`\nFlow control on a generated flow of ${large.resources} resources (median of 5 over HTTP, alternating)`)
  const put = (url: string) => fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.arrayBuffer())
  let flip = false
  const toggle = (suffix: string) => () => put(`${base}/flows/${large.originId}/${(flip = !flip) ? 'pause' : 'activate'}?all=1${suffix}`)
  const slim = await time(toggle('&flows_only=1'), 5)
  const full = await time(toggle(''), 5)
  console.log(`${'Pause/activate entire flow, ?flows_only=1 response'.padEnd(58)} ${slim.median.toFixed(1).padStart(7)} ms   best ${slim.best.toFixed(1)} ms`)
  console.log(`${'Pause/activate entire flow, full response'.padEnd(58)} ${full.median.toFixed(1).padStart(7)} ms   best ${full.best.toFixed(1)} ms`)
  const read = await time(() => fetch(`${base}/flows/${large.originId}?flows_only=1`, { headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.arrayBuffer()), 5)
  console.log(`${'GET the 10k flow after a change (cold cache), flows_only'.padEnd(58)} ${read.median.toFixed(1).padStart(7)} ms`)

  server.kill()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

await main()
