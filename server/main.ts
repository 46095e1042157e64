import { buildApp } from './app.js'
import { configFromEnv } from './config.js'

const config = configFromEnv()
const app = await buildApp({
  ...config,
  logger: process.env.LOG_LEVEL !== 'silent' && process.env.LOG_REQUESTS === '1',
})
await app.listen({ port: config.port, host: config.host })
process.stdout.write(
  `Flow Console is running: open http://localhost:${config.port}/ (API at /api, reference at /api/openapi.json)\n`,
)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0))
  })
}
