import path from 'node:path'

export interface Config {
  port: number
  host: string
  dataDir: string
  filesDir: string
  databaseUrl: string | undefined
  adminApiKey: string | undefined
  seedDemo: boolean
  consoleDir: string | undefined
  /** How often streaming flows are polled for new input (POLL_INTERVAL_MS, default 5000). */
  pollIntervalMs?: number
}

const off = new Set(['0', 'false', 'no', 'off'])

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? './data')
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
    databaseUrl: env.DATABASE_URL || undefined,
    adminApiKey: env.ADMIN_API_KEY || undefined,
    seedDemo: !off.has((env.SEED_DEMO ?? '1').toLowerCase()),
    consoleDir: env.CONSOLE_DIR,
    pollIntervalMs: env.POLL_INTERVAL_MS ? Number(env.POLL_INTERVAL_MS) : 5000,
  }
}
