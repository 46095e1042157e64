import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test, type Api, type Server } from './fixtures'

/**
 * Runs against the real server and engine (console.md "The Runs panel"). Each test makes its own flow and its
 * own input folder under the server's FILES_DIR, so tests never share data; long runs come from large files,
 * as a real nightly export would be.
 */

const filesDir = (server: Server) => path.join(server.dataDir, 'files')
let folders = 0

/** A fresh folder under FILES_DIR (its path relative to it, as connector configs take it). */
function newFolder(server: Server, name: string): string {
  const rel = `e2e-runs/${name}-${Date.now()}-${++folders}`
  fs.mkdirSync(path.join(filesDir(server), rel), { recursive: true })
  return rel
}

/** A CRM export like the demo's: `rows` valid customers, then one whose id is not a number (an error record). */
function writeCustomers(server: Server, rel: string, rows: number) {
  const lines = ['id,name,email,country']
  for (let i = 1; i <= rows; i++)
    lines.push(`${i},Customer ${i},Customer${i}@Example.com,${['DE', 'US', 'JP'][i % 3]}`)
  lines.push('C-13,Customer 13,customer13@example.com,FR')
  fs.writeFileSync(path.join(filesDir(server), rel, 'customers.csv'), `${lines.join('\n')}\n`)
}

async function demoFlowId(api: Api, name: string): Promise<number> {
  const { body } = await api('GET', '/api/flows?flows_only=1')
  const flow = body.flows.find((f: { name: string }) => f.name === name)
  expect(flow, `demo flow ${name}`).toBeTruthy()
  return flow.id
}

/** A copy of the demo batch flow "CRM customers" reading `rows` customers from its own folder; activated. */
async function crmCopy(api: Api, server: Server, name: string, rows: number) {
  const copy = await api('POST', `/api/flows/${await demoFlowId(api, 'CRM customers')}/copy`, {
    body: { name },
  })
  expect(copy.status).toBe(200)
  const flow = copy.body.flows[0]
  const folder = newFolder(server, 'crm')
  writeCustomers(server, folder, rows)
  const source = await api('PUT', `/api/data_sources/${flow.data_source_id}`, {
    body: { source_config: { path: folder, format: 'csv' } },
  })
  expect(source.status).toBe(200)
  expect((await api('PUT', `/api/flows/${flow.id}/activate?all=1`)).status).toBe(200)
  return { id: flow.id as number }
}

async function signIn(page: Page, key: string) {
  await page.addInitScript((k) => localStorage.setItem('flow-console.api-key', k), key)
}

const runsRegion = (page: Page) => page.getByRole('region', { name: 'Runs' })
/** The panel's rows, newest first (CSS, so they can be read behind the open dialog too). */
const runRows = (page: Page) => runsRegion(page).locator('tbody tr')
const node = (page: Page, name: string) => page.getByRole('group', { name, exact: true })

/** The row's Read, Written and Failed cells, as numbers. */
async function countsOf(row: Locator) {
  const cells = row.locator('td')
  const n = async (i: number) => Number((await cells.nth(i).innerText()).replace(/[^\d]/g, ''))
  return { read: await n(4), written: await n(5), failed: await n(6) }
}

/** Enough rows for a run of a few seconds, so its Running state can be seen. */
const ROWS = 400_000

test('start a run from the panel: Running, then Succeeded with the counts the API reports', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  test.setTimeout(120_000)
  const flow = await crmCopy(api, server, 'E2E run succeeds', ROWS)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)
  const region = runsRegion(page)
  await expect(region).toContainText('No runs yet')

  await region.getByRole('button', { name: 'Start run' }).click()
  const dialog = page.getByRole('dialog', { name: 'Start run' })
  await dialog.getByLabel('Wait for completion').check()
  await dialog.getByRole('button', { name: 'Start and wait' }).click()

  // While the console waits, it says so, and the list shows the run going.
  await expect(dialog.getByRole('status')).toContainText('Waiting for the run to end…')
  await expect(runRows(page).first()).toContainText('Running', { timeout: 20_000 })
  await expect(node(page, 'CRM customers')).toContainText('Processing')

  await expect(dialog).toBeHidden({ timeout: 90_000 })
  const row = runRows(page).first()
  await expect(row).toContainText('Succeeded')
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Run succeeded')

  const runs = await api('GET', `/api/flows/${flow.id}/runs`)
  expect(runs.body).toHaveLength(1)
  const run = runs.body[0]
  expect(run.status).toBe('Succeeded')
  expect(run.metrics).toMatchObject({ records_read: ROWS + 1, records_written: ROWS, records_failed: 1 })
  expect(await countsOf(row)).toEqual({
    read: run.metrics.records_read,
    written: run.metrics.records_written,
    failed: run.metrics.records_failed,
  })
  // The canvas shows the run's counts on its nodes, and data no longer moves.
  await expect(node(page, 'Customers')).toContainText('1 failed')
  await expect(node(page, 'CRM customers')).not.toContainText('Processing')

  // A finished run is never asked about again.
  const asked: string[] = []
  page.on('request', (request) => {
    if (request.url().includes(`/api/runs/${run.id}`)) asked.push(request.url())
  })
  await page.waitForTimeout(3_000)
  expect(asked).toEqual([])

  // Its page shows the same numbers, per resource.
  await row.getByRole('link').click()
  await expect(page).toHaveURL(new RegExp(`/flows/${flow.id}/runs/${run.id}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Run ${run.id.slice(0, 8)}`)
  const perResource = page.getByRole('region', { name: 'Records per resource' })
  const n = (x: number) => x.toLocaleString('en-US')
  for (const r of run.metrics.by_resource)
    await expect(
      perResource
        .locator('tbody tr')
        .filter({ hasText: `${n(r.records_in)}${n(r.records_out)}${n(r.records_failed)}` }),
    ).not.toHaveCount(0)
  await expect(page.getByRole('region', { name: 'Error records' })).toContainText('"id":"C-13"')
})

test('cancel a long run from the panel', async ({ page, api, adminKey, server }) => {
  test.setTimeout(120_000)
  const flow = await crmCopy(api, server, 'E2E run cancelled', 800_000)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)

  await runsRegion(page).getByRole('button', { name: 'Start run' }).click()
  await page
    .getByRole('dialog', { name: 'Start run' })
    .getByRole('button', { name: 'Start', exact: true })
    .click()
  const row = runRows(page).first()
  await expect(row).toContainText('Running', { timeout: 20_000 })
  await row.getByRole('button', { name: 'Cancel' }).click()

  await expect(row).toContainText('Cancelled', { timeout: 30_000 })
  await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0)
  const runs = await api('GET', `/api/flows/${flow.id}/runs`)
  expect(runs.body[0].status).toBe('Cancelled')
  expect(runs.body[0].error.code).toBe('CANCELLED')
  // It stopped before reading everything.
  expect(runs.body[0].metrics.records_read).toBeLessThan(800_001)
  expect(await countsOf(row)).toMatchObject({ read: runs.body[0].metrics.records_read })
})

test('Run now on a node opens the panel on the run; a failed run shows its error and its error records', async ({
  page,
  api,
  adminKey,
  server,
}) => {
  // The first file's records all fail the transform ($error): they become error records and nothing is
  // written. The second file's record reaches the sink, whose path is a file, not a folder: the run fails.
  const folder = newFolder(server, 'failing')
  const input = path.join(filesDir(server), folder, 'in')
  fs.mkdirSync(input)
  fs.writeFileSync(
    path.join(input, 'a.ndjson'),
    '{"id":1,"bad":true}\n{"id":2,"bad":true}\n{"id":3,"bad":true}\n',
  )
  fs.utimesSync(path.join(input, 'a.ndjson'), new Date('2020-01-01'), new Date('2020-01-01'))
  fs.writeFileSync(path.join(input, 'b.ndjson'), '{"id":4,"bad":false}\n')
  fs.writeFileSync(path.join(filesDir(server), folder, 'out'), 'a file where the sink expects a folder\n')
  const created = await api('POST', '/api/flows', {
    body: {
      name: 'E2E run fails',
      flow_type: 'batch',
      configuration: {
        error_record_policy: 'ORIGINAL_RECORD',
        error_stage: { type: 'WRITE_TO_FILE', directory: `${folder}/errors` },
      },
      data_source: {
        name: 'Checked orders',
        connector_type: 'file',
        source_config: { path: `${folder}/in`, format: 'ndjson' },
      },
      data_sets: [{ name: 'Checked', transform: 'bad ? $error("Rejected order " & $string(id)) : $' }],
      data_sinks: [
        {
          name: 'Out',
          data_set_index: 0,
          connector_type: 'file',
          sink_config: { path: `${folder}/out`, format: 'ndjson' },
        },
      ],
    },
  })
  expect(created.status).toBe(200)
  const flowId = created.body.flows[0].id
  const setId = created.body.data_sets[0].id
  expect((await api('PUT', `/api/flows/${flowId}/activate?all=1`)).status).toBe(200)

  await signIn(page, adminKey)
  await page.goto(`/flows/${flowId}`)
  await node(page, 'Checked').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Run now' }).click()

  // The panel opens on the new run: its row is the current one and has focus.
  const row = runRows(page).first()
  await expect(row).toHaveAttribute('aria-current', 'true')
  await expect(row.getByRole('link')).toBeFocused()
  await expect(row).toContainText('Failed')
  await expect(row).toContainText('SINK_ERROR')
  const runId = new URL(page.url()).searchParams.get('run')
  expect(runId).toBeTruthy()
  const run = (await api('GET', `/api/runs/${runId}`)).body
  expect(run.status).toBe('Failed')
  expect(await countsOf(row)).toEqual({ read: 3, written: 0, failed: 3 })

  // The header says the last run failed and leads to it.
  await page.getByRole('link', { name: 'Last run failed' }).click()
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/runs/${runId}$`))
  const why = page.getByRole('region', { name: 'Why the run failed' })
  await expect(why).toContainText(run.error.code)
  await expect(why).toContainText(run.error.message)

  const errors = (await api('GET', `/api/runs/${runId}/errors`)).body
  expect(errors).toHaveLength(3)
  const list = page.getByRole('region', { name: 'Error records' })
  await expect(list).toContainText('3 error records.')
  const items = list.getByRole('listitem')
  await expect(items).toHaveCount(3)
  for (const [i, e] of errors.entries()) {
    await expect(items.nth(i)).toContainText(e.errorMessage)
    await expect(items.nth(i)).toContainText(`data_set ${setId}`)
    await expect(items.nth(i)).toContainText('Checked')
    await expect(items.nth(i)).toContainText(JSON.stringify(e.record))
  }
  await expect(page.getByRole('region', { name: 'Records per resource' })).toContainText('Checked orders')
})

test('the form refuses a window that ends before it starts, and a viewer cannot start runs', async ({
  page,
  api,
  adminKey,
  server,
  browser,
}) => {
  const flow = await crmCopy(api, server, 'E2E run form', 10)
  await signIn(page, adminKey)
  await page.goto(`/flows/${flow.id}`)
  await runsRegion(page).getByRole('button', { name: 'Start run' }).click()
  const dialog = page.getByRole('dialog', { name: 'Start run' })
  await dialog.getByLabel('Window start').fill('2026-11-02T08:00')
  await dialog.getByLabel('Window end').fill('2026-11-01T08:00')
  await dialog.getByRole('button', { name: 'Start', exact: true }).click()
  await expect(dialog.getByLabel('Window end')).toHaveAccessibleDescription(
    'Window end must be after window start',
  )
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  expect((await api('GET', `/api/flows/${flow.id}/runs`)).body).toEqual([])

  const email = `runs-viewer-${Date.now()}@example.com`
  const user = await api('POST', '/api/users', { body: { email, name: 'Vic Viewer', role: 'viewer' } })
  const key = await api('POST', `/api/users/${user.body.id}/api_keys`)
  const viewer = await browser.newContext({ baseURL: server.baseURL })
  const viewerPage = await viewer.newPage()
  await signIn(viewerPage, key.body.api_key)
  await viewerPage.goto(`/flows/${flow.id}`)
  const start = runsRegion(viewerPage).getByRole('button', { name: 'Start run' })
  await expect(start).toHaveAttribute('aria-disabled', 'true')
  await expect(start).toHaveAccessibleDescription('Operator role required')
  await viewer.close()
})
