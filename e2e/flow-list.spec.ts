import { expect, test } from './fixtures'

test('the flow list: counts, search, status filter, and Activate / Pause of an entire flow', async ({
  page,
  api,
  adminKey,
}) => {
  const { body } = await api('GET', '/api/flows?flows_only=1')
  const demo = body.flows.find((f: { name: string }) => f.name === 'Web shop orders')
  const copy = await api('POST', `/api/flows/${demo.id}/copy`, { body: { name: 'E2E list row' } })
  const flowId = copy.body.flows[0].id

  await page.addInitScript((k) => localStorage.setItem('flow-console.api-key', k), adminKey)
  await page.goto('/flows')
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'E2E list row' }) })
  // Name, type, status, sources, data sets, sinks.
  await expect(row).toContainText('StreamingPaused144')
  await expect(row.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-disabled', 'true')

  await row.getByRole('button', { name: 'Activate' }).click()
  await expect(row).toContainText('Active')
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Activated 9 resources')
  expect((await api('GET', `/api/flows/${flowId}?flows_only=1`)).body.flows[0].status).toBe('ACTIVE')

  await row.getByRole('button', { name: 'Pause' }).click()
  await expect(row).toContainText('Paused')
  expect((await api('GET', `/api/flows/${flowId}?flows_only=1`)).body.flows[0].status).toBe('PAUSED')

  await page.getByLabel('Search flows').fill('list row')
  await expect(page.getByRole('rowheader')).toHaveText(['E2E list row'])
  await page.getByLabel('Search flows').fill('')
  await page.getByLabel('Status').selectOption('INIT')
  await expect(page.getByRole('rowheader')).toHaveText(['Greenhouse sensors'])
  await page.getByLabel('Search flows').fill('no such flow')
  await expect(page.getByText('No flows match these filters.')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.getByRole('rowheader', { name: 'E2E list row' })).toBeVisible()
})
