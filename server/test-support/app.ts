import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { buildApp, type App } from '../app.js'
import type { Role } from '../db/schema.js'

export const ADMIN_KEY = 'fc_test_admin_key_0123456789abcdefghijklmnopqrstuv'

const open: App[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()))
})

export interface TestApp {
  app: App
  dataDir: string
  filesDir: string
  /** Calls the API as the given key (the super-user's by default) and returns status, JSON body and headers. */
  call: <T = any>(
    method: string,
    url: string,
    opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ) => Promise<{ status: number; body: T; headers: Record<string, string | string[] | number | undefined> }>
  /** Creates an org (or uses the default one) and a user with a role, returning the user's API key. */
  userWithRole: (role: Role, orgId?: number) => Promise<{ key: string; userId: number; orgId: number }>
}

/** A real app on a fresh SQLite database in a temp dir, closed after each test. */
export async function makeApp(opts: { seedDemo?: boolean } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-test-'))
  const filesDir = path.join(dataDir, 'files')
  const app = await buildApp({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    filesDir,
    databaseUrl: undefined,
    adminApiKey: ADMIN_KEY,
    seedDemo: opts.seedDemo ?? false,
    consoleDir: path.join(dataDir, 'no-console'),
  })
  open.push(app)
  const call: TestApp['call'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...o.headers }
    const key = o.key === undefined ? ADMIN_KEY : o.key
    if (key !== null) headers.authorization = `Bearer ${key}`
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(o.body !== undefined && { payload: o.body as object }),
    })
    let body: unknown = res.body
    try {
      body = res.json()
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.statusCode, body: body as never, headers: res.headers }
  }
  let n = 0
  const userWithRole: TestApp['userWithRole'] = async (role, orgId = 1) => {
    n += 1
    const user = await call('POST', '/api/users', {
      body: { email: `user${n}-${role}@example.com`, name: `User ${n}`, role, org_id: orgId },
    })
    if (user.status !== 200) throw new Error(`could not create user: ${JSON.stringify(user.body)}`)
    const key = await call('POST', `/api/users/${user.body.id}/api_keys`)
    return { key: key.body.api_key as string, userId: user.body.id as number, orgId }
  }
  return { app, dataDir, filesDir, call, userWithRole }
}
