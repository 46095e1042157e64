import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely'
import * as initial from './migrations/0001-initial.js'
import * as runs from './migrations/0002-runs.js'
import type { DB } from './schema.js'

export type Database = Kysely<DB>

const migrations: Record<string, Migration> = { '0001-initial': initial, '0002-runs': runs }

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) }

/**
 * Kysely prepares every query anew; preparing is the largest cost of a small query here, so reuse prepared
 * statements by SQL text. Safe because Kysely runs one query at a time on this single connection. Bounded,
 * since `in (?, ?, …)` lists make many distinct texts.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500) {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql)
      if (statement) {
        statements.delete(sql)
      } else {
        statement = sqlite.prepare(sql)
        if (statements.size >= max) statements.delete(statements.keys().next().value as string)
      }
      statements.set(sql, statement)
      return statement
    },
  }
}

/**
 * Opens the embedded SQLite database in dataDir (":memory:" for a throwaway one) and applies migrations.
 * synchronous=FULL: an acknowledged write survives kill -9, which the crash tests rely on.
 */
export async function openDatabase(dataDir: string): Promise<Database> {
  let file = ':memory:'
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true })
    file = path.join(dataDir, 'flow-console.sqlite')
  }
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  const { error } = await new Migrator({ db, provider }).migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(`Migration failed: ${JSON.stringify(error)}`)
  return db
}
