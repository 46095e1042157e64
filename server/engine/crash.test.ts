import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const KEY = 'fc_crash_test_key_0123456789abcdefghijklmnopqrstuv'
const FILES = 80
const PER_FILE = 4000

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** The real server as a child process (`node --import tsx server/main.ts`), answering once healthy. */
async function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: KEY,
      SEED_DEMO: '0',
      POLL_INTERVAL_MS: '100',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not start: ${stderr}`)
}

function sinkIds(dir: string): number[] {
  if (!fs.existsSync(dir)) return []
  const out: number[] = []
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue
    for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
      if (line) out.push((JSON.parse(line) as { id: number }).id)
  }
  return out
}

const until = async (check: () => Promise<boolean> | boolean, ms: number, what: string) => {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('crash recovery', () => {
  it('kill -9 during a large run, restart: the run is INTERRUPTED and every record reaches every sink exactly once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-crash-'))
    const filesDir = path.join(dataDir, 'files')
    const port = await freePort()
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api${url}`, {
        method,
        headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const json = (await res.json()) as any
      if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`)
      return json
    }
    let server = await startServer(dataDir, port)

    const inDir = path.join(filesDir, 'crash/in')
    fs.mkdirSync(inDir, { recursive: true })
    for (let f = 0; f < FILES; f++) {
      const lines = Array.from({ length: PER_FILE }, (_, i) =>
        JSON.stringify({ id: f * PER_FILE + i, amount: i % 300 }),
      )
      fs.writeFileSync(path.join(inDir, `${String(f).padStart(3, '0')}.ndjson`), lines.join('\n') + '\n')
    }
    const flow = await api('POST', '/flows', {
      name: 'Crash',
      flow_type: 'streaming',
      data_source: {
        name: 'Crash in',
        connector_type: 'file',
        source_config: { path: 'crash/in', format: 'ndjson' },
      },
      data_sets: [
        { name: 'All', transform: '' },
        { name: 'Doubled', parent_index: 0, transform: '{"id": id, "amount2": amount * 2}' },
      ],
      data_sinks: [
        {
          name: 'Plain',
          data_set_index: 0,
          connector_type: 'file',
          sink_config: { path: 'crash/out/plain', format: 'ndjson' },
        },
        {
          name: 'Mapped',
          data_set_index: 1,
          connector_type: 'file',
          sink_config: { path: 'crash/out/mapped', format: 'ndjson' },
        },
      ],
    })
    const flowId = flow.flows[0].id as number
    await api('PUT', `/flows/${flowId}/activate`)

    const plain = path.join(filesDir, 'crash/out/plain')
    const mapped = path.join(filesDir, 'crash/out/mapped')
    const total = FILES * PER_FILE
    await until(() => sinkIds(plain).length > 0, 30_000, 'the first delivered batch')
    const runs = await api('GET', `/flows/${flowId}/runs`)
    expect(runs[0].status).toBe('Running')
    server.kill('SIGKILL')
    await new Promise((r) => server.once('exit', r))
    const before = sinkIds(plain).length
    expect(before).toBeLessThan(total)

    server = await startServer(dataDir, port)
    const interrupted = await api('GET', `/runs/${runs[0].id}`)
    expect(interrupted).toMatchObject({ status: 'Failed', error: { code: 'INTERRUPTED' } })
    await until(
      () => sinkIds(plain).length >= total && sinkIds(mapped).length >= total,
      60_000,
      'the rest to be delivered after the restart',
    )
    await until(
      async () => (await api('GET', `/flows/${flowId}/runs`))[0].status === 'Succeeded',
      10_000,
      'the last run',
    )
    const every = Array.from({ length: total }, (_, i) => i)
    for (const dir of [plain, mapped]) {
      expect(sinkIds(dir).sort((a, b) => a - b)).toEqual(every)
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([])
    }
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    fs.rmSync(dataDir, { recursive: true, force: true })
  }, 120_000)
})
