import { expect, test } from './fixtures'

test('a wrong key shows the server’s message and stays on /login', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('API key').fill('not-a-real-key')
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(page.getByRole('alert')).toHaveText(
    'The API key or access token is unknown, revoked or expired',
  )
  await expect(page).toHaveURL(/\/login$/)
})

test('the right key lands on /flows, shows who is signed in, and Sign out returns to /login', async ({
  page,
  adminKey,
  api,
}) => {
  const me = await api('GET', '/api/me')
  expect(me.status).toBe(200)

  await page.goto('/')
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByLabel('API base URL')).toHaveValue(new URL('/api', page.url()).href)
  await page.getByLabel('API key').fill(adminKey)
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(page).toHaveURL(/\/flows$/)
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible()
  const flows = await api('GET', '/api/flows?flows_only=1')
  for (const flow of flows.body.flows) {
    await expect(page.getByRole('rowheader', { name: flow.name, exact: true })).toBeVisible()
  }
  const banner = page.getByRole('banner')
  await expect(banner).toContainText(me.body.name)
  await expect(banner).toContainText('Super-user')

  // The session survives a reload: the key is kept in localStorage.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible()

  await banner.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()

  // Signed out means signed out: a console page sends us back to /login, remembering it.
  await page.goto('/flows/123')
  await expect(page).toHaveURL(/\/login\?next=%2Fflows%2F123$/)
})

test('a deep link survives signing in', async ({ page, adminKey }) => {
  await page.goto('/no-such-page')
  await expect(page).toHaveURL(/\/login\?next=%2Fno-such-page$/)
  await page.getByLabel('API key').fill(adminKey)
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await page.getByRole('link', { name: 'Go to flows' }).click()
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible()
})
