/**
 * The console's figures (issue 4), printed, never asserted: generated flows of 1,000 and 10,000 resources opened
 * in headless Chromium against the built server. Called from bench/run.ts so `npm run bench` stays the one entry.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { chromium, type Browser, type Page } from '@playwright/test'
import { openDatabase } from '../server/db/database.js'
import { generateFlow } from './generate.js'
import { BENCH_KEY, startBenchServer } from './server.js'

const KEY = BENCH_KEY
const PORT = 8182
const root = path.resolve(import.meta.dirname, '..')
const consoleDir = path.join(root, 'dist/console')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const row = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`)

/** The JavaScript /login and /flows load before anything else: index.html's entry script and its preloads. */
function initialJs(): { files: string[]; gzipBytes: number } {
  const html = fs.readFileSync(path.join(consoleDir, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  const gzipBytes = files.reduce(
    (sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(consoleDir, f)), { level: 9 }).length,
    0,
  )
  return { files, gzipBytes }
}

/**
 * Code that runs in the page, as strings: tsx may wrap functions in helpers the page does not have, and this
 * file is type-checked without the DOM library.
 *
 * The probe records the time (since navigation started) of the first frame in which React Flow's nodes are in
 * the DOM and none is hidden waiting to be measured.
 */
const drawProbe = `(() => {
  const check = () => {
    const nodes = [...document.querySelectorAll('.react-flow__node')]
    if (nodes.length > 0 && nodes.every((n) => n.style.visibility !== 'hidden')) window.__drawnAt = performance.now()
    else requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
})()`
const frameCounter = `(() => {
  window.__frames = 0
  window.__maxNodes = 0
  window.__counting = true
  const tick = () => {
    if (!window.__counting) return
    window.__frames += 1
    window.__maxNodes = Math.max(window.__maxNodes, document.querySelectorAll('.react-flow__node').length)
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`
const stopCounter = `(() => { window.__counting = false; return { frames: window.__frames, maxNodes: window.__maxNodes } })()`

async function openFlow(page: Page, flowId: number) {
  await page.goto(`http://127.0.0.1:${PORT}/flows/${flowId}`)
  await page.waitForFunction('window.__drawnAt !== undefined', null, { timeout: 60_000 })
  return page.evaluate<number>('window.__drawnAt')
}

const mounted = (page: Page) => page.evaluate<number>(`document.querySelectorAll('.react-flow__node').length`)

/** Drags the pane for ~1.5 s and counts animation frames; also the most nodes mounted at any frame. */
async function pan(page: Page) {
  const box = (await page.locator('.react-flow__pane').boundingBox())!
  await page.evaluate(frameCounter)
  const start = performance.now()
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  for (let i = 1; i <= 90; i++) {
    // Down and to the left, then back: the view crosses many rows of a wide, tall tree.
    const phase = i <= 45 ? i : 90 - i
    await page.mouse.move(x - phase * 12, y - phase * 6)
    await page.waitForTimeout(8)
  }
  await page.mouse.up()
  const seconds = (performance.now() - start) / 1000
  const { frames, maxNodes } = await page.evaluate<{ frames: number; maxNodes: number }>(stopCounter)
  return { fps: frames / seconds, maxNodes }
}

/** Waits for the next poll of the open flow to come back 304 and counts canvas commits around it. */
async function unchangedPoll(page: Page, flowId: number) {
  const commits = () => page.evaluate<number>(`performance.getEntriesByName('flow-canvas:commit').length`)
  // Let the first answers settle (the first poll after load may still carry a fresh ETag).
  await page.waitForTimeout(500)
  const before = await commits()
  const response = await page.waitForResponse(
    (r) => new URL(r.url()).pathname === `/api/flows/${flowId}` && r.request().method() === 'GET',
    { timeout: 15_000 },
  )
  await page.waitForTimeout(300)
  return {
    status: response.status(),
    sentEtag: (await response.request().headerValue('if-none-match')) !== null,
    commits: (await commits()) - before,
  }
}

async function measureFlow(browser: Browser, flowId: number, resources: number) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  await context.addInitScript({
    content: `localStorage.setItem('flow-console.api-key', ${JSON.stringify(KEY)})`,
  })
  await context.addInitScript({ content: drawProbe })
  const page = await context.newPage()
  const drawn: number[] = []
  const layout: number[] = []
  for (let i = 0; i < 3; i++) {
    drawn.push(await openFlow(page, flowId))
    layout.push(
      await page.evaluate<number>(`performance.getEntriesByName('flow-layout').at(-1)?.duration ?? NaN`),
    )
  }
  await page.waitForTimeout(300)
  const atRest = await mounted(page)
  const panned = await pan(page)
  // Zoomed all the way out, as far as the console allows: the most nodes a view can hold.
  const zoomOut = page.locator('.react-flow__controls-zoomout')
  for (let i = 0; i < 20 && (await zoomOut.isEnabled()); i++) await zoomOut.click()
  await page.waitForTimeout(300)
  const zoomedOut = await mounted(page)
  const pannedOut = await pan(page)
  const poll = await unchangedPoll(page, flowId)
  // Layout again in the same page (to the list and back), as when someone switches between flows.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('table').waitFor()
  await page.goBack()
  await page.locator('.react-flow__node').first().waitFor()
  const warmLayout = await page.evaluate<number>(
    `performance.getEntriesByName('flow-layout').at(-1)?.duration ?? NaN`,
  )
  await context.close()

  console.log(`\nGenerated flow of ${resources.toLocaleString('en')} resources (1280×720)`)
  row(
    'Navigation → all visible nodes drawn (median of 3, first)',
    `${median(drawn).toFixed(0)} ms (${drawn[0]!.toFixed(0)} ms)`,
  )
  row(
    'Node components mounted: at rest / max panning / zoomed out / max panning',
    `${atRest} / ${panned.maxNodes} / ${zoomedOut} / ${pannedOut.maxNodes}`,
  )
  row(
    'Panning (drag, ~1.5 s): at the opening zoom / zoomed out',
    `${panned.fps.toFixed(0)} / ${pannedOut.fps.toFixed(0)} fps`,
  )
  row(
    'Tree layout in the page: page load (median of 3) / again in the page',
    `${median(layout).toFixed(1)} / ${warmLayout.toFixed(1)} ms`,
  )
  row(
    'Unchanged poll',
    `${poll.status}${poll.sentEtag ? ' (If-None-Match sent)' : ''}, ${poll.commits} canvas re-render${poll.commits === 1 ? '' : 's'}`,
  )
}

export async function runConsoleBench() {
  // Figures for the console as it is now: build it (quietly) rather than measure a stale dist/console.
  const built = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  if (built.status !== 0) throw new Error('vite build failed')

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-console-bench-ui-'))
  let server = await startBenchServer(dataDir, PORT)
  await server.stop()
  const db = await openDatabase(dataDir)
  // PAUSED: no engine activity, so the flows stay unchanged and a poll can come back 304.
  const flows = [
    await generateFlow(db, { resources: 1_000, ownerId: 1, orgId: 1, name: 'Bench 1k', status: 'PAUSED' }),
    await generateFlow(db, { resources: 10_000, ownerId: 1, orgId: 1, name: 'Bench 10k', status: 'PAUSED' }),
  ]
  await db.destroy()
  server = await startBenchServer(dataDir, PORT)

  const js = initialJs()
  console.log(`\nConsole (headless Chromium, ${os.cpus().length} cores)`)
  row(
    'Initial JavaScript for /login and /flows (gzip -9)',
    `${(js.gzipBytes / 1024).toFixed(1)} KB in ${js.files.length} file(s)`,
  )

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  try {
    for (const flow of flows) await measureFlow(browser, flow.originId, flow.resources)
  } finally {
    await browser.close()
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
