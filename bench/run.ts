/**
 * npm run bench: prints figures, asserts nothing. Servers run as child processes on loopback so the load
 * generator (autocannon) and the server do not share one event loop.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { openDatabase } from '../server/db/database.js'
import { runConsoleBench } from './console.js'
import { generateFlow } from './generate.js'
import { BENCH_KEY, startBenchServer } from './server.js'
import { benchEngine } from './engine.js'

const KEY = BENCH_KEY

async function load(title: string, url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({
    url,
    connections: 16,
    duration: 5,
    headers: { authorization: `Bearer ${KEY}`, ...headers },
  })
  const ok = result['2xx'] + result['3xx']
  console.log(
    `${title.padEnd(58)} ${Math.round(result.requests.average).toString().padStart(7)} req/s   p99 ${String(result.latency.p99).padStart(4)} ms   ${result.non2xx - result['3xx'] > 0 ? `${result.non2xx - result['3xx']} errors` : `${ok} ok`}`,
  )
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-bench-'))
  // The first start creates the super-user; then flows are written straight into the database.
  let server = await startBenchServer(dataDir, 8181)
  await server.stop()
  const db = await openDatabase(dataDir)
  const small = await generateFlow(db, { resources: 100, ownerId: 1, orgId: 1, name: 'Bench 100' })
  const large = await generateFlow(db, { resources: 10_000, ownerId: 1, orgId: 1, name: 'Bench 10k' })
  await db.destroy()

  server = await startBenchServer(dataDir, 8181)
  const base = 'http://127.0.0.1:8181/api'
  console.log(
    `\nAPI throughput (autocannon, 16 connections, 5 s each, server on loopback; ${os.cpus().length} cores)`,
  )
  await load('GET /api/health', `${base}/health`)
  await load('GET /api/data_sinks?per_page=100 (authenticated list)', `${base}/data_sinks?per_page=100`)
  await load(`GET /api/flows/{id}, ${small.resources}-resource flow (200)`, `${base}/flows/${small.originId}`)
  const etag =
    (
      await fetch(`${base}/flows/${small.originId}`, { headers: { authorization: `Bearer ${KEY}` } })
    ).headers.get('etag') ?? ''
  await load(
    `GET /api/flows/{id}, ${small.resources}-resource flow (304 path)`,
    `${base}/flows/${small.originId}`,
    { 'if-none-match': etag },
  )

  console.log(`\nFlow control on a generated flow of ${large.resources} resources (HTTP, median of 5)`)
  const auth = { authorization: `Bearer ${KEY}` }
  const put = (url: string) => fetch(url, { method: 'PUT', headers: auth }).then((r) => r.arrayBuffer())
  const read = () =>
    fetch(`${base}/flows/${large.originId}?flows_only=1`, { headers: auth }).then((r) => r.arrayBuffer())
  const flow = `${base}/flows/${large.originId}`
  // Each sample starts from an ACTIVE flow; only the pause is timed.
  const pause = async (suffix: string, warm: boolean) => {
    const samples: number[] = []
    for (let i = 0; i < 5; i++) {
      await put(`${flow}/activate?all=1&flows_only=1`)
      if (warm) await read()
      const start = performance.now()
      await put(`${flow}/pause?all=1${suffix}`)
      samples.push(performance.now() - start)
    }
    return samples.sort((a, b) => a - b)[2]!
  }
  const row = (label: string, ms: number) =>
    console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms`)
  row('Pause entire flow, ?flows_only=1, flow open in a console', await pause('&flows_only=1', true))
  row('Pause entire flow, ?flows_only=1, first call after a change', await pause('&flows_only=1', false))
  row('Pause entire flow, full response (all 10k resources)', await pause('', true))
  // A change outside flow control (renaming a sink) leaves nothing cached for the new version.
  const tree = (await (await fetch(`${flow}?flows_only=1`, { headers: auth })).json()) as {
    flows: { children: { data_sinks: { id: number }[] }[] }[]
  }
  const sinkId = tree.flows[0]!.children[0]!.data_sinks[0]!.id
  const cold: number[] = []
  for (let i = 0; i < 5; i++) {
    await fetch(`${base}/data_sinks/${sinkId}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Sink renamed ${i}` }),
    })
    const start = performance.now()
    await read()
    cold.push(performance.now() - start)
  }
  row('GET the flow, ?flows_only=1, first read after an edit', cold.sort((a, b) => a - b)[2]!)

  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

await main()
await benchEngine(8183)
await runConsoleBench()
