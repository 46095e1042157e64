import type { App } from '../app.js'
import { createOrg, createUser, issueKey } from '../db/users.js'
import { seedDemo } from './seed.js'

/**
 * On first start (no users yet) creates the default org and its super-user, whose key is ADMIN_API_KEY or a
 * new one printed once; then seeds the demo flows when SEED_DEMO is on.
 */
export async function ensureSuperUser(app: App): Promise<void> {
  const existing = await app.db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  if (existing) return
  const org = await createOrg(app.db, 'Default org')
  const user = await createUser(app.db, {
    org_id: org.id,
    email: 'admin@localhost',
    name: 'Administrator',
    role: 'super_user',
  })
  const { key } = await issueKey(app.db, user.id, { key: app.config.adminApiKey })
  if (!app.config.adminApiKey) {
    process.stdout.write(
      `\nCreated the super-user admin@localhost. Its API key, shown only this once:\n\n    ${key}\n\n` +
        'Set ADMIN_API_KEY before the first start to choose it yourself.\n\n',
    )
  }
  if (app.config.seedDemo) await seedDemo(app, key)
}
