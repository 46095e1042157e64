// Finds Chromium for the e2e tests, installing Debian's package when this machine allows it.
import { execSync } from 'node:child_process'
import fs from 'node:fs'

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (fs.existsSync(path)) process.exit(0)

const isRoot = process.getuid?.() === 0
const hasApt = fs.existsSync('/usr/bin/apt-get')
if (!isRoot || !hasApt) {
  console.error(
    `Chromium not found at ${path}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
  )
  process.exit(1)
}
console.log('Chromium not found: installing Debian package "chromium" (one time)...')
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
  stdio: 'inherit',
})
if (!fs.existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing; set CHROMIUM_PATH to your Chromium.`)
  process.exit(1)
}
