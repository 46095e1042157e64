/**
 * The one e2e fixture: a real server (the built `dist/server/main.js`) on a free port and a fresh data dir,
 * with the demo flows seeded and a known super-user key.
 *
 * The server is worker-scoped (it takes ~1.5 s to start and seed), so tests in a worker share one database:
 * a test that changes data creates its own resources through `api` and uses the ids it got back, never ones
 * another test made. Each test still gets a fresh browser context, so no localStorage (no session) carries over.
 */
import { test as base, expect } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const ADMIN_KEY = 'fc_e2e_admin_key_0123456789abcdefghijklmnopqrstuv'
const root = path.resolve(import.meta.dirname, '..')
const serverEntry = path.join(root, 'dist/server/main.js')

export interface ApiResult<T = any> {
  status: number
  body: T
  headers: Headers
}

/** Calls the API as the super-user (or `key`; `null` sends none), like server/test-support's `call`. */
export type Api = <T = any>(
  method: string,
  url: string,
  opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
) => Promise<ApiResult<T>>

export interface Server {
  baseURL: string
  dataDir: string
  /** Everything the server printed so far, for failure messages. */
  output: () => string
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

async function waitForHealth(baseURL: string, child: ChildProcess, output: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode} before it was healthy:\n${output()}`)
    try {
      const res = await fetch(`${baseURL}/api/health`)
      if (res.ok) return
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`The server did not answer GET /api/health within ${timeoutMs} ms:\n${output()}`)
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  // A graceful close waits for keep-alive connections; do not let that hold up the run.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

async function startServer(): Promise<{ server: Server; child: ChildProcess }> {
  if (!fs.existsSync(serverEntry) || !fs.existsSync(path.join(root, 'dist/console/index.html')))
    throw new Error('No build to test: run `npm run build` first (it writes dist/server and dist/console)')
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-e2e-'))
  let log = ''
  const child = spawn(process.execPath, [serverEntry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      SEED_DEMO: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const server: Server = { baseURL: `http://127.0.0.1:${port}`, dataDir, output: () => log }
  try {
    await waitForHealth(server.baseURL, child, server.output)
  } catch (error) {
    await stop(child)
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return { server, child }
}

export const test = base.extend<{ adminKey: string; api: Api }, { server: Server }>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this destructuring
    async ({}, use) => {
      const { server, child } = await startServer()
      await use(server)
      await stop(child)
      fs.rmSync(server.dataDir, { recursive: true, force: true })
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  // An uncaught exception in the console fails the test even when the screen happens to look right.
  page: async ({ page }, use) => {
    const errors: Error[] = []
    page.on('pageerror', (error) => errors.push(error))
    await use(page)
    expect(errors, 'uncaught errors in the console').toEqual([])
  },
  baseURL: async ({ server }, use) => {
    await use(server.baseURL)
  },
  adminKey: ADMIN_KEY,
  api: async ({ server }, use) => {
    const api: Api = async (method, url, opts = {}) => {
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
      const key = opts.key === undefined ? ADMIN_KEY : opts.key
      if (key !== null) headers.authorization = `Bearer ${key}`
      if (opts.body !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(`${server.baseURL}${url}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      })
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: body as never, headers: res.headers }
    }
    await use(api)
  },
})

export { expect }
