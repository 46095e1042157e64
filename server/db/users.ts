import crypto from 'node:crypto'
import type { Database } from './database.js'
import { runHot } from './hot-query.js'
import type { Role, UserRow } from './schema.js'
import type { Actor } from '../domain/permissions.js'

export const now = () => new Date().toISOString()

/** Keys are 32 random bytes; only their SHA-256 is stored, so a leaked database leaks no key. */
export const newSecret = () => `fc_${crypto.randomBytes(32).toString('base64url')}`
export const hashKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex')

export const ACCESS_TOKEN_SECONDS = 3600

export async function createOrg(db: Database, name: string) {
  const t = now()
  return db
    .insertInto('orgs')
    .values({ name, created_at: t, updated_at: t })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function createUser(
  db: Database,
  u: { org_id: number; email: string; name: string; role: Role },
) {
  const t = now()
  return db
    .insertInto('users')
    .values({ ...u, created_at: t, updated_at: t })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Stores the hash of a key (given, or new) and returns the key itself: the only time it is visible. */
export async function issueKey(
  db: Database,
  userId: number,
  opts: { key?: string; kind?: 'api_key' | 'access_token' } = {},
) {
  const key = opts.key ?? newSecret()
  const kind = opts.kind ?? 'api_key'
  const expires =
    kind === 'access_token' ? new Date(Date.now() + ACCESS_TOKEN_SECONDS * 1000).toISOString() : null
  const row = await db
    .insertInto('api_keys')
    .values({
      user_id: userId,
      key_hash: hashKey(key),
      kind,
      expires_at: expires,
      revoked_at: null,
      created_at: now(),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
  return { id: row.id, key, created_at: row.created_at }
}

export async function actorForKey(db: Database, key: string): Promise<Actor | undefined> {
  // Runs on every request, so it is compiled once (see hot-query.ts).
  const [row] = await runHot(
    db,
    'actorForKey',
    (hash: string) =>
      db
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.user_id')
        .select([
          'api_keys.id as key_id',
          'api_keys.kind',
          'api_keys.expires_at',
          'users.id',
          'users.org_id',
          'users.role',
        ])
        .where('api_keys.key_hash', '=', hash)
        .where('api_keys.revoked_at', 'is', null),
    ['\u0000hash'],
    [hashKey(key)],
  )
  if (!row) return undefined
  if (row.expires_at !== null && row.expires_at <= now()) return undefined
  return {
    userId: row.id,
    orgId: row.org_id,
    role: row.role,
    ...(row.kind === 'access_token' ? { tokenId: row.key_id } : {}),
  }
}

export async function revokeKey(db: Database, keyId: number) {
  await db.updateTable('api_keys').set({ revoked_at: now() }).where('id', '=', keyId).execute()
}

export const userOut = (u: UserRow) => ({
  id: u.id,
  org_id: u.org_id,
  email: u.email,
  name: u.name,
  role: u.role,
  created_at: u.created_at,
  updated_at: u.updated_at,
})
