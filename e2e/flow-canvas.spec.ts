import type { Page } from '@playwright/test'
import { expect, test, type Api } from './fixtures'

/**
 * The flow canvas against the real server. Every test that changes a flow works on its own copy of the demo
 * "Web shop orders" flow (Orders → Large orders → Large orders in EUR, Orders → Order summaries; one sink on each
 * data set), so tests never depend on each other's changes.
 */

async function demoFlowId(api: Api, name: string): Promise<number> {
  const { body } = await api('GET', '/api/flows?flows_only=1')
  const flow = body.flows.find((f: { name: string }) => f.name === name)
  expect(flow, `demo flow ${name}`).toBeTruthy()
  return flow.id
}

/** A fresh copy of the Web shop orders flow (all PAUSED after copying), activated unless asked not to. */
async function webShopCopy(api: Api, name: string, { active = true } = {}) {
  const copy = await api('POST', `/api/flows/${await demoFlowId(api, 'Web shop orders')}/copy`, {
    body: { name },
  })
  expect(copy.status).toBe(200)
  const flow = copy.body.flows[0]
  if (active) expect((await api('PUT', `/api/flows/${flow.id}/activate?all=1`)).status).toBe(200)
  const ids = (kind: 'data_sets' | 'data_sinks') =>
    Object.fromEntries(copy.body[kind].map((r: { name: string; id: number }) => [r.name, r.id]))
  return {
    id: flow.id as number,
    sourceId: flow.data_source_id as number,
    sets: ids('data_sets'),
    sinks: ids('data_sinks'),
  }
}

async function signIn(page: Page, key: string) {
  await page.addInitScript((k) => localStorage.setItem('flow-console.api-key', k), key)
}

const node = (page: Page, name: string) => page.getByRole('group', { name, exact: true })

async function expectStatuses(page: Page, statuses: Record<string, string>) {
  for (const [name, status] of Object.entries(statuses)) await expect(node(page, name)).toContainText(status)
}

test('log in, open a flow, Pause downstream from a data set: its sinks pause, its siblings stay active; Undo', async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E pause downstream')

  await page.goto('/login')
  await page.getByLabel('API key').fill(adminKey)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('link', { name: 'E2E pause downstream' }).click()
  await expect(page).toHaveURL(new RegExp(`/flows/${flow.id}$`))
  await expect(page.getByRole('heading', { level: 1, name: 'E2E pause downstream' })).toBeVisible()
  await expect(page.getByText(/Updated \d+s ago/)).toBeVisible()
  await expect(page.getByRole('region', { name: 'Runs' })).toBeVisible()

  await node(page, 'Large orders').click({ button: 'right' })
  const menu = page.getByRole('menu')
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Activate downstreamAlready active',
    'Activate entire flowAlready active',
    'Pause downstream',
    'Pause entire flow',
    'Run now',
    'Delete downstream…',
    'Delete entire flow…',
    // The editor's items follow the contract's (e2e/editor.spec.ts).
    'Add data set',
    'Add sink',
    'Edit…',
    'Delete…Active: pause it first',
  ])
  // Hovering an item shows its scope: the data set, what derives from it, and their sinks.
  await menu.getByRole('menuitem', { name: 'Pause downstream' }).hover()
  for (const name of ['Large orders', 'Large orders in EUR', 'Large orders report', 'Finance (EUR)'])
    await expect(node(page, name).locator('.resource-node')).toHaveClass(/preview-in/)
  for (const name of ['Orders', 'Order summaries', 'Regional dashboard', 'Orders archive', 'Web shop orders'])
    await expect(node(page, name).locator('.resource-node')).toHaveClass(/preview-out/)

  await menu.getByRole('menuitem', { name: 'Pause downstream' }).click()
  await expect(menu).toBeHidden()
  await expectStatuses(page, {
    'Large orders': 'Paused',
    'Large orders in EUR': 'Paused',
    'Large orders report': 'Paused',
    'Finance (EUR)': 'Paused',
    Orders: 'Active',
    'Order summaries': 'Active',
    'Regional dashboard': 'Active',
    'Orders archive': 'Active',
  })
  const toasts = page.getByRole('region', { name: 'Notifications' })
  await expect(toasts).toContainText('Paused 4 resources')
  const sinks = await api('GET', `/api/data_sinks/${flow.sinks['Finance (EUR)']}`)
  expect(sinks.body.status).toBe('PAUSED')

  // Undo puts back exactly what the call changed.
  await toasts.getByRole('button', { name: 'Undo' }).click()
  await expect(toasts).toContainText('Restored 4 resources')
  await expectStatuses(page, { 'Large orders': 'Active', 'Finance (EUR)': 'Active', Orders: 'Active' })
  expect((await api('GET', `/api/data_sets/${flow.sets['Large orders in EUR']}`)).body.status).toBe('ACTIVE')
})

test('the same through the keyboard: arrows move between nodes, Shift+F10 opens the menu', async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E keyboard')
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  // The copy keeps its source's name.
  await node(page, 'Web shop orders').focus()
  await page.keyboard.press('ArrowRight')
  await expect(node(page, 'Orders')).toBeFocused()
  // Right goes to the nearest node downstream; Down and Up walk the column.
  await page.keyboard.press('ArrowRight')
  await expect(node(page, 'Large orders')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(node(page, 'Order summaries')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(node(page, 'Large orders')).toBeFocused()

  await page.keyboard.press('Shift+F10')
  const menu = page.getByRole('menu', { name: 'Actions for Large orders' })
  await expect(menu.getByRole('menuitem', { name: 'Activate downstream' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Pause downstream' })).toBeFocused()
  await page.keyboard.press('Enter')

  await expectStatuses(page, {
    'Large orders': 'Paused',
    'Finance (EUR)': 'Paused',
    'Order summaries': 'Active',
    'Regional dashboard': 'Active',
  })
  // Focus returns to the node; the ContextMenu key opens the menu too, and Escape closes it.
  await expect(node(page, 'Large orders')).toBeFocused()
  await page.keyboard.press('ContextMenu')
  await expect(page.getByRole('menu')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('menu')).toBeHidden()
  await expect(node(page, 'Large orders')).toBeFocused()

  // Enter selects the node: its details open and the URL can be shared.
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`node=data_set-${flow.sets['Large orders']}`))
  await expect(page.getByRole('complementary')).toContainText('Large orders')
})

test('Pause entire flow from a sink pauses every resource', async ({ page, api, adminKey }) => {
  const flow = await webShopCopy(api, 'E2E pause all')
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await node(page, 'Regional dashboard').getByRole('button', { name: '⋯' }).click()
  await page.getByRole('menuitem', { name: 'Pause entire flow' }).click()

  await expectStatuses(page, {
    'Web shop orders': 'Paused',
    Orders: 'Paused',
    'Large orders': 'Paused',
    'Order summaries': 'Paused',
    'Orders archive': 'Paused',
    'Regional dashboard': 'Paused',
  })
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Paused 9 resources')
  const read = await api('GET', `/api/flows/${flow.id}?flows_only=1`)
  expect(read.body.flows[0].status).toBe('PAUSED')
})

test('delete downstream through the dialog: the active scope is paused and deleted', async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E delete downstream')
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await node(page, 'Large orders').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Delete downstream…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete downstream' })
  await expect(dialog).toContainText('This permanently deletes 4 resources')
  for (const name of ['Large orders', 'Large orders in EUR', 'Large orders report', 'Finance (EUR)'])
    await expect(dialog.getByRole('listitem').filter({ hasText: name }).first()).toBeVisible()
  await expect(dialog).not.toContainText('Order summaries')
  await dialog.getByRole('button', { name: 'Pause and delete' }).click()

  await expect(dialog).toBeHidden()
  await expect(node(page, 'Large orders')).toHaveCount(0)
  await expect(node(page, 'Finance (EUR)')).toHaveCount(0)
  await expectStatuses(page, { Orders: 'Active', 'Order summaries': 'Active' })
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Paused and deleted 4 resources',
  )
  expect((await api('GET', `/api/data_sets/${flow.sets['Large orders']}`)).status).toBe(404)
  expect((await api('GET', `/api/data_sets/${flow.sets.Orders}`)).status).toBe(200)
})

test('delete entire flow of a paused flow: Delete confirms and the console returns to /flows', async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E delete all', { active: false })
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await node(page, 'Orders archive').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Delete entire flow…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete entire flow' })
  await expect(dialog).toContainText('This permanently deletes 9 resources')
  await expect(dialog.getByRole('button', { name: 'Pause and delete' })).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click()

  await expect(page).toHaveURL(/\/flows$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'E2E delete all' })).toHaveCount(0)
  expect((await api('GET', `/api/flows/${flow.id}`)).status).toBe(404)
})

test("an activation the server refuses shows the server's message and the previous statuses", async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E invalid', { active: false })
  // A sink without a path saves (configs may be partial) but cannot be activated: 422.
  const broken = await api('PUT', `/api/data_sinks/${flow.sinks['Finance (EUR)']}`, {
    body: { sink_config: { format: 'json' } },
  })
  expect(broken.status).toBe(200)
  const refused = await api('PUT', `/api/data_sets/${flow.sets['Large orders']}/flow/activate`)
  expect(refused.status).toBe(422)

  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)
  await node(page, 'Large orders').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Activate downstream' }).click()

  await expect(page.getByRole('alert')).toContainText(refused.body.message)
  await expectStatuses(page, {
    'Large orders': 'Paused',
    'Finance (EUR)': 'Paused',
    'Large orders report': 'Paused',
  })
})

test('a viewer sees every control item disabled with the reason', async ({ page, api }) => {
  const flow = await webShopCopy(api, 'E2E viewer')
  const email = `viewer-${Date.now()}@example.com`
  const user = await api('POST', '/api/users', { body: { email, name: 'Vera Viewer', role: 'viewer' } })
  expect(user.status).toBe(200)
  const key = await api('POST', `/api/users/${user.body.id}/api_keys`)
  await signIn(page, key.body.api_key)
  await page.goto(`/flows/${flow.id}`)

  await node(page, 'Orders').click({ button: 'right' })
  const menu = page.getByRole('menu')
  for (const name of ['Pause downstream', 'Pause entire flow', 'Run now']) {
    const item = menu.getByRole('menuitem', { name })
    await expect(item).toHaveAttribute('aria-disabled', 'true')
    await expect(item).toHaveAccessibleDescription('Operator role required')
  }
  await expect(menu.getByRole('menuitem', { name: 'Delete downstream…' })).toHaveAccessibleDescription(
    'Admin role required',
  )
  // A disabled item does nothing (force: Playwright will not click what says it is disabled).
  await menu.getByRole('menuitem', { name: 'Pause downstream' }).click({ force: true })
  await expect(menu).toBeVisible()
  await page.keyboard.press('Escape')
  await expectStatuses(page, { Orders: 'Active' })
})

test('a status changed through the API appears on the canvas without a reload', async ({
  page,
  api,
  adminKey,
}) => {
  const flow = await webShopCopy(api, 'E2E live')
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)
  await expectStatuses(page, { 'Regional dashboard': 'Active' })
  const before = await node(page, 'Regional dashboard').boundingBox()

  expect((await api('PUT', `/api/data_sinks/${flow.sinks['Regional dashboard']}/pause`)).status).toBe(200)

  await expectStatuses(page, { 'Regional dashboard': 'Paused', 'Order summaries': 'Active' })
  // A status change never moves a node.
  expect(await node(page, 'Regional dashboard').boundingBox()).toEqual(before)
})
