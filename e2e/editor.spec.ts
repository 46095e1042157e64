import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test, type Api, type Server } from './fixtures'

/**
 * Visual editing against the real server (console.md "Editing"): flows are built, changed and re-owned in the
 * console, run by the real engine, and their output is read from the files the server wrote. Every test works in
 * its own folder under the server's files root and on flows it made itself.
 */

interface Order {
  id: number
  customer: string
  amount: number
}

const orders: Order[] = [
  { id: 1, customer: 'Ada', amount: 250 },
  { id: 2, customer: 'Grace', amount: 40 },
  { id: 3, customer: 'Linus', amount: 120 },
  { id: 4, customer: 'Barbara', amount: 8 },
  { id: 5, customer: 'Ken', amount: 99 },
]

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n'

/** A folder of its own under the server's files root (FILES_DIR = <dataDir>/files), named relative to it. */
function workDir(server: Server, label: string) {
  const rel = `e2e-editor/${label}-${Date.now().toString(36)}`
  const abs = path.join(server.dataDir, 'files', rel)
  fs.mkdirSync(path.join(abs, 'in'), { recursive: true })
  return {
    rel,
    write: (file: string, records: unknown[]) =>
      fs.writeFileSync(path.join(abs, 'in', file), ndjson(records)),
    /** Every record of every finished NDJSON file in a folder (files being written start with a dot). */
    read: (folder: string): unknown[] => {
      const dir = path.join(abs, folder)
      if (!fs.existsSync(dir)) return []
      return fs
        .readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .flatMap((f) =>
          fs
            .readFileSync(path.join(dir, f), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as unknown),
        )
    },
  }
}

/**
 * Flows a test made, deleted after it: the server is shared by the specs of a worker, and others count its flows
 * (e2e/flow-list.spec.ts expects the demo's one Init flow).
 */
let made: number[] = []
const keep = (flowId: number) => {
  made.push(flowId)
  return flowId
}
const flowIdOf = (page: Page) => keep(Number(new URL(page.url()).pathname.split('/').pop()))

test.beforeEach(() => {
  made = []
})
test.afterEach(async ({ api }) => {
  for (const id of made) {
    await api('PUT', `/api/flows/${id}/pause?all=1`)
    await api('DELETE', `/api/flows/${id}?all=1`)
  }
})

async function signIn(page: Page, key: string) {
  await page.addInitScript((k) => localStorage.setItem('flow-console.api-key', k), key)
}

const node = (page: Page, name: string) => page.getByRole('group', { name, exact: true })

async function menuItem(page: Page, nodeName: string, item: string) {
  await node(page, nodeName).click({ button: 'right' })
  return page.getByRole('menu').getByRole('menuitem', { name: item, exact: true })
}

/** A whole flow made through the API (POST /api/flows): source → one data set → one sink, all files. */
async function apiFlow(api: Api, dir: string, name: string, transform: string, extra: object = {}) {
  const created = await api('POST', '/api/flows', {
    body: {
      name,
      flow_type: 'batch',
      data_source: { connector_type: 'file', source_config: { path: `${dir}/in`, format: 'ndjson' } },
      data_sets: [{ name: 'Checked', transform }],
      data_sinks: [
        {
          name: 'Checked file',
          data_set_index: 0,
          connector_type: 'file',
          sink_config: { path: `${dir}/out`, format: 'ndjson' },
        },
      ],
      ...extra,
    },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  return {
    id: keep(created.body.flows[0].id as number),
    setId: created.body.data_sets[0].id as number,
    sinkId: created.body.data_sinks[0].id as number,
  }
}

async function runAndWait(api: Api, flowId: number) {
  const run = await api('POST', `/api/flows/${flowId}/runs?await=true`, { body: {} })
  expect(run.status, JSON.stringify(run.body)).toBe(200)
  expect(run.body.status).toBe('Succeeded')
  return run.body
}

test('build a flow from nothing in the console, activate it, run it: the sink folder has the transformed records', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'built')
  dir.write('orders.ndjson', orders)
  await signIn(page, adminKey)
  await page.goto('/flows')

  // New flow: name, type, and a file source from the connector catalog.
  await page.getByRole('button', { name: 'New flow' }).click()
  const newFlow = page.getByRole('dialog', { name: 'New flow' })
  await newFlow.getByLabel('Name').fill('E2E built from nothing')
  await newFlow.getByLabel('Batch').check()
  await expect(newFlow.getByLabel('Connector')).toHaveValue('file')
  await newFlow.getByLabel('Path').fill(`${dir.rel}/in`)
  await newFlow.getByLabel('Format').selectOption('ndjson')
  await newFlow.getByRole('button', { name: 'Create flow' }).click()
  await expect(page).toHaveURL(/\/flows\/\d+$/)
  const flowId = flowIdOf(page)
  await expect(page.getByRole('heading', { level: 1, name: 'E2E built from nothing' })).toBeVisible()
  await expect(node(page, 'E2E built from nothing')).toContainText('Init')

  // Add data set, with the transform previewed on the real engine before saving.
  await (await menuItem(page, 'E2E built from nothing', 'Add data set')).click()
  const addSet = page.getByRole('dialog', { name: 'Add data set' })
  await addSet.getByLabel('Name').fill('Big orders')
  await addSet.getByLabel('Sample records').fill(ndjson(orders.slice(0, 2)))
  await addSet
    .getByLabel('Transform (JSONata)')
    .fill('amount >= 100 ? {"order": id, "customer": customer, "big": true} : undefined')
  const output = addSet.getByRole('list')
  await expect(output.getByRole('listitem')).toHaveText([
    'Record 1: { "order": 1, "customer": "Ada", "big": true }',
    'Record 2: Dropped (no output)',
  ])
  await addSet.getByRole('button', { name: 'Add data set' }).click()
  await expect(addSet).toBeHidden()
  await expect(node(page, 'Big orders')).toBeVisible()

  // Add sink on the data set: a connector and its config form.
  await (await menuItem(page, 'Big orders', 'Add sink')).click()
  const addSink = page.getByRole('dialog', { name: 'Add sink' })
  await addSink.getByLabel('Name').fill('Big orders file')
  await addSink.getByLabel('Path').fill(`${dir.rel}/out`)
  await addSink.getByLabel('Format').selectOption('ndjson')
  await addSink.getByRole('button', { name: 'Add sink' }).click()
  await expect(addSink).toBeHidden()
  await expect(node(page, 'Big orders file')).toBeVisible()

  await (await menuItem(page, 'Big orders file', 'Activate entire flow')).click()
  for (const name of ['E2E built from nothing', 'Big orders', 'Big orders file'])
    await expect(node(page, name)).toContainText('Active')

  // Run it from the Runs panel too: nothing in this test needs the API to build, activate or run the flow.
  const runs = page.getByRole('region', { name: 'Runs' })
  await runs.getByRole('button', { name: 'Start run' }).click()
  const start = page.getByRole('dialog', { name: 'Start run' })
  await start.getByLabel('Wait for completion').check()
  await start.getByRole('button', { name: 'Start and wait' }).click()
  await expect(start).toBeHidden({ timeout: 60_000 })
  await expect(runs.locator('tbody tr').first()).toContainText('Succeeded')
  expect(dir.read('out')).toEqual([
    { order: 1, customer: 'Ada', big: true },
    { order: 3, customer: 'Linus', big: true },
  ])
  const read = await api('GET', `/api/flows/${flowId}`)
  expect(read.body.flows[0].flow_type).toBe('batch')
})

test('Duplicate flow asks for a name and description and opens the copy, paused', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'duplicate')
  const flow = await apiFlow(api, dir.rel, 'E2E original', '')
  expect((await api('PUT', `/api/flows/${flow.id}/activate?all=1`)).status).toBe(200)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await page.getByRole('button', { name: 'Duplicate flow' }).click()
  const dialog = page.getByRole('dialog', { name: 'Duplicate flow' })
  await expect(dialog.getByLabel('Name')).toHaveValue('E2E original (copy)')
  await dialog.getByLabel('Name').fill('E2E duplicate')
  await dialog.getByLabel('Description').fill('Same flow, new name')
  await dialog.getByRole('button', { name: 'Duplicate' }).click()

  await expect(page.getByRole('heading', { level: 1, name: 'E2E duplicate' })).toBeVisible()
  const copyId = flowIdOf(page)
  expect(copyId).not.toBe(flow.id)
  for (const name of ['E2E original', 'Checked', 'Checked file'])
    await expect(node(page, name)).toContainText('Paused')
  const copy = await api('GET', `/api/flows/${copyId}`)
  expect(copy.body.flows[0]).toMatchObject({ name: 'E2E duplicate', description: 'Same flow, new name' })
  expect(copy.body.data_sets.map((s: { copied_from_id: number }) => s.copied_from_id)).toEqual([flow.setId])
})

test('Flow settings: error records of a failing transform land in the chosen directory', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'errors')
  dir.write('orders.ndjson', orders)
  const flow = await apiFlow(
    api,
    dir.rel,
    'E2E error records',
    'amount < 10 ? $error("too small: " & amount) : $',
  )
  expect((await api('PUT', `/api/flows/${flow.id}/activate?all=1`)).status).toBe(200)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await page.getByRole('button', { name: 'Flow settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Flow settings' })
  await expect(settings.getByLabel('Discard')).toBeChecked()
  await expect(settings.getByLabel('Original record')).toBeChecked()
  await settings.getByLabel('Write to file').check()
  await settings.getByLabel('Stage record').check()
  await settings.getByLabel('Retry on error').check()

  // The server's message shows next to the field it is about.
  const directory = settings.getByLabel('Directory')
  await directory.fill('../outside')
  await settings.getByRole('button', { name: 'Save' }).click()
  await expect(directory).toHaveAttribute('aria-invalid', 'true')
  await expect(directory).toHaveAccessibleDescription(/Must not contain '\.\.'/)

  await directory.fill(`${dir.rel}/errors`)
  await settings.getByRole('button', { name: 'Save' }).click()
  await expect(settings).toBeHidden()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Saved the flow settings')
  const configuration = (await api('GET', `/api/flows/${flow.id}`)).body.flows[0].configuration
  expect(configuration).toEqual({
    retry_pipeline_on_error: true,
    error_record_policy: 'STAGE_RECORD',
    error_stage: { type: 'WRITE_TO_FILE', directory: `${dir.rel}/errors` },
  })

  const run = await runAndWait(api, flow.id)
  expect(run.metrics.records_failed).toBe(1)
  expect(dir.read('out')).toHaveLength(4)
  const errors = dir.read('errors') as { record: Order; errorMessage: string }[]
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatchObject({
    record: orders[3],
    errorMessage: expect.stringContaining('too small: 8'),
  })
})

test('Edit… of an active data set says "Pause to edit"; once paused, its transform changes', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'edit')
  const flow = await apiFlow(api, dir.rel, 'E2E edit', 'amount >= 100 ? $ : undefined')
  expect((await api('PUT', `/api/flows/${flow.id}/activate?all=1`)).status).toBe(200)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await (await menuItem(page, 'Checked', 'Edit…')).click()
  let dialog = page.getByRole('dialog', { name: 'Edit data set' })
  await expect(dialog.getByText('Pause to edit')).toBeVisible()
  await expect(dialog.getByLabel('Transform (JSONata)')).toHaveValue('amount >= 100 ? $ : undefined')
  await expect(dialog.getByLabel('Transform (JSONata)')).not.toBeEditable()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(node(page, 'Checked')).toBeFocused()

  await (await menuItem(page, 'Checked', 'Pause entire flow')).click()
  await expect(node(page, 'Checked')).toContainText('Paused')
  await (await menuItem(page, 'Checked', 'Edit…')).click()
  dialog = page.getByRole('dialog', { name: 'Edit data set' })
  await expect(dialog.getByText('Pause to edit')).toHaveCount(0)
  await dialog.getByLabel('Transform (JSONata)').fill('amount >= 50 ? $ : undefined')
  await dialog.getByLabel('Name').fill('Checked (50+)')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(node(page, 'Checked (50+)')).toBeVisible()
  const set = await api('GET', `/api/data_sets/${flow.setId}`)
  expect(set.body).toMatchObject({ name: 'Checked (50+)', transform: 'amount >= 50 ? $ : undefined' })
})

test('drag a sink onto another data set: after confirming it reads from there', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'move')
  const flow = await apiFlow(api, dir.rel, 'E2E move', '', {
    data_sets: [{ name: 'Checked' }, { name: 'Other' }],
  })
  const other = (await api('GET', `/api/flows/${flow.id}`)).body.data_sets.find(
    (s: { name: string }) => s.name === 'Other',
  )
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  const from = (await node(page, 'Checked file').boundingBox())!
  const to = (await node(page, 'Other').boundingBox())!
  await page.mouse.move(from.x + 40, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 })
  await expect(node(page, 'Other').locator('.resource-node')).toHaveClass(/is-drop-target/)
  await page.mouse.up()

  const dialog = page.getByRole('dialog', { name: 'Move data sink' })
  await expect(dialog).toContainText('Move Checked file from Checked to Other?')
  await dialog.getByRole('button', { name: 'Move' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Moved “Checked file” to “Other”',
  )
  expect((await api('GET', `/api/data_sinks/${flow.sinkId}`)).body.data_set_id).toBe(other.id)
})

test('Delete… removes one node, and is refused (with the reason) where the server would refuse it', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'delete')
  const flow = await apiFlow(api, dir.rel, 'E2E delete one', '')
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  const guarded = await menuItem(page, 'Checked', 'Delete…')
  await expect(guarded).toHaveAttribute('aria-disabled', 'true')
  await expect(guarded).toHaveAccessibleDescription('Has 1 data sink: use Delete downstream…')
  await page.keyboard.press('Escape')

  await (await menuItem(page, 'Checked file', 'Delete…')).click()
  const dialog = page.getByRole('dialog', { name: 'Delete data sink' })
  await expect(dialog).toContainText(
    'This permanently deletes the data sink Checked file from E2E delete one.',
  )
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(node(page, 'Checked file')).toHaveCount(0)
  await expect(node(page, 'Checked')).toBeVisible()
  expect((await api('GET', `/api/data_sinks/${flow.sinkId}`)).status).toBe(404)
})

test('Change owner… is for super-users only: an admin does not see it; a super-user gives the flow away', async ({
  page,
  browser,
  api,
  adminKey,
  server,
}) => {
  const dir = workDir(server, 'owner')
  const flow = await apiFlow(api, dir.rel, 'E2E owner', '')
  const email = `owner-${Date.now()}@example.com`
  const user = await api('POST', '/api/users', { body: { email, name: 'Olivia Owner', role: 'admin' } })
  expect(user.status).toBe(200)
  const key = await api('POST', `/api/users/${user.body.id}/api_keys`)

  const adminContext = await browser.newContext()
  const adminPage = await adminContext.newPage()
  await signIn(adminPage, key.body.api_key)
  await adminPage.goto(`/flows/${flow.id}`)
  await expect(adminPage.getByRole('button', { name: 'Duplicate flow' })).toBeVisible()
  await expect(adminPage.getByRole('button', { name: 'Flow settings' })).toBeVisible()
  await expect(adminPage.getByRole('button', { name: 'Change owner…' })).toHaveCount(0)
  await adminContext.close()

  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)
  await page.getByRole('button', { name: 'Change owner…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change owner' })
  await expect(dialog.getByLabel('Org')).toHaveValue(String(user.body.org_id))
  await dialog.getByLabel('Owner').selectOption({ label: `Olivia Owner (${email})` })
  await dialog.getByLabel('Include data credentials').check()
  await dialog.getByRole('button', { name: 'Change owner' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'E2E owner now belongs to Olivia Owner',
  )
  const read = await api('GET', `/api/flows/${flow.id}`)
  expect(read.body.flows[0].owner_id).toBe(user.body.id)
  expect(read.body.data_sinks[0].owner_id).toBe(user.body.id)
})
