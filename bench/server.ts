import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

/** The super-user key of every bench server (the data dirs are throwaway). */
export const BENCH_KEY = 'fc_bench_key_0123456789abcdefghijklmnopqrstuvwxyz'

export interface BenchServer {
  child: ChildProcess
  /** http://127.0.0.1:<port>/api */
  base: string
  stop: () => Promise<void>
}

/**
 * The built server (dist/server) as a child process on loopback, so load generators and browsers measure
 * it as clients would, without sharing its event loop.
 */
export async function startBenchServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const root = path.resolve(import.meta.dirname, '..')
  const child = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: BENCH_KEY,
      SEED_DEMO: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}/api`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base, stop }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error(`the bench server on port ${port} did not start`)
}
