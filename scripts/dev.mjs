// npm run dev: the API server under tsx watch (restarts on change) and Vite's dev server proxying /api to it.
import { spawn } from 'node:child_process'

const port = process.env.PORT ?? '8080'
const env = { ...process.env, PORT: port }
const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...env, API_URL: `http://localhost:${port}` } }),
]
const stop = () => {
  for (const c of children) c.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const c of children) c.on('exit', (code) => code && stop())
