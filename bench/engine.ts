/**
 * Engine throughput and memory, through the real server (a child process running dist/server): a batch
 * flow per scenario, input written under FILES_DIR, one run started with ?await=true. Records/s is the
 * run's records_read over its own duration (started_at → completed_at), which includes copying and
 * hashing the input into the journal. Prints figures, asserts nothing.
 */
import { BENCH_KEY, startBenchServer, type BenchServer } from './server.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const KEY = BENCH_KEY

async function api<T>(server: BenchServer, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json()) as T
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** Peak resident set of a process (Linux /proc), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
    return kb ? Number(kb) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Writes `records` NDJSON order records into `files` files; returns the bytes written. */
async function generate(dir: string, records: number, files = 1): Promise<number> {
  fs.mkdirSync(dir, { recursive: true })
  let bytes = 0
  const per = Math.ceil(records / files)
  for (let f = 0; f < files; f++) {
    const out = fs.createWriteStream(path.join(dir, `part-${f}.ndjson`))
    let chunk: string[] = []
    for (let i = f * per; i < Math.min(records, (f + 1) * per); i++) {
      chunk.push(
        JSON.stringify({
          id: i,
          name: `customer-${i % 9973}`,
          amount: (i % 1000) + 0.25,
          region: ['EMEA', 'AMER', 'APAC'][i % 3],
          tags: ['web', i % 2 ? 'repeat' : 'new'],
        }),
      )
      if (chunk.length === 10_000) {
        const text = chunk.join('\n') + '\n'
        bytes += text.length
        if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()))
        chunk = []
      }
    }
    const text = chunk.length ? chunk.join('\n') + '\n' : ''
    bytes += text.length
    await new Promise<void>((resolve) => out.end(text, () => resolve()))
  }
  return bytes
}

interface RunBody {
  status: string
  started_at: string
  completed_at: string
  error: unknown
  metrics: { records_read: number; records_written: number; bytes_read: number }
}

async function scenario(
  server: BenchServer,
  filesDir: string,
  name: string,
  transform: string,
  records: number,
  files = 1,
) {
  const bytes = await generate(path.join(filesDir, name, 'in'), records, files)
  const flow = await api<{ flows: { id: number }[] }>(server, 'POST', '/flows', {
    name,
    flow_type: 'batch',
    data_source: { name, connector_type: 'file', source_config: { path: `${name}/in`, format: 'ndjson' } },
    data_sets: [{ name: `${name} set`, transform }],
    data_sinks: [
      {
        name: `${name} out`,
        data_set_index: 0,
        connector_type: 'file',
        sink_config: { path: `${name}/out`, format: 'ndjson' },
      },
    ],
  })
  const id = flow.flows[0]!.id
  await api(server, 'PUT', `/flows/${id}/activate`)
  const run = await api<RunBody>(server, 'POST', `/flows/${id}/runs?await=true`)
  if (run.status !== 'Succeeded') throw new Error(`${name}: run ${run.status} ${JSON.stringify(run.error)}`)
  const seconds = (Date.parse(run.completed_at) - Date.parse(run.started_at)) / 1000
  fs.rmSync(path.join(filesDir, name), { recursive: true, force: true })
  return { records: run.metrics.records_read, seconds, bytes, rate: run.metrics.records_read / seconds }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
const line = (title: string, value: string) => console.log(`${title.padEnd(58)} ${value}`)

export async function benchEngine(port: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-bench-engine-'))
  const filesDir = path.join(dataDir, 'files')
  console.log(
    `\nEngine: file → transform → file, one batch run each through the server (${os.cpus().length} cores)`,
  )
  let server = await startBenchServer(dataDir, port, { POLL_INTERVAL_MS: '200' })
  try {
    const mapping = await scenario(
      server,
      filesDir,
      'mapping',
      '{"id": id, "customer": $uppercase(name), "total": amount * 2, "region": region}',
      400_000,
    )
    line(
      `JSONata mapping, ${mapping.records.toLocaleString('en')} records (${mb(mapping.bytes)})`,
      `${Math.round(mapping.rate).toLocaleString('en').padStart(9)} records/s   ${mapping.seconds.toFixed(1)} s`,
    )
    const pass = await scenario(server, filesDir, 'passthrough', '', 1_000_000)
    line(
      `Pass-through, ${pass.records.toLocaleString('en')} records (${mb(pass.bytes)})`,
      `${Math.round(pass.rate).toLocaleString('en').padStart(9)} records/s   ${pass.seconds.toFixed(1)} s`,
    )
    await server.stop()
    // Each size on a fresh server, so its peak resident set is that of the large run alone: flat means the
    // peak does not grow with the input.
    const largest = Number(process.env.BENCH_LARGE_RECORDS ?? 3_000_000)
    for (const records of [Math.round(largest / 4), largest]) {
      server = await startBenchServer(dataDir, port, { POLL_INTERVAL_MS: '200' })
      const idle = peakRssMb(server.child.pid)
      const large = await scenario(server, filesDir, 'large', '', records, 3)
      const peak = peakRssMb(server.child.pid)
      line(
        `Pass-through, ${mb(large.bytes)} input (${large.records.toLocaleString('en')} records)`,
        `${Math.round(large.rate).toLocaleString('en').padStart(9)} records/s   ${large.seconds.toFixed(1)} s`,
      )
      line(
        `  server peak RSS after start → after this run`,
        peak === undefined ? 'n/a (no /proc)' : `${idle?.toFixed(0)} MB → ${peak.toFixed(0)} MB`,
      )
      await server.stop()
    }
  } finally {
    if (server.child.exitCode === null) await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
