import fs from 'node:fs'
import path from 'node:path'
import type { App } from '../app.js'

interface Created {
  id: number
}

/** Sample input written under FILES_DIR so the demo flows point at real files. */
function writeSamples(filesDir: string) {
  const regions = ['EMEA', 'AMER', 'APAC']
  const orders = Array.from({ length: 40 }, (_, i) => ({
    order_id: 1000 + i,
    customer: `customer-${(i % 7) + 1}`,
    region: regions[i % 3],
    amount: Math.round((((i * 37) % 250) + 5.5) * 100) / 100,
    currency: 'USD',
    ordered_at: new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString(),
  }))
  const customers = [
    'id,name,email,country',
    ...Array.from(
      { length: 12 },
      (_, i) => `${i + 1},Customer ${i + 1},customer${i + 1}@example.com,${['DE', 'US', 'JP'][i % 3]}`,
    ),
    // Its id is not a number, so the batch flow's transform makes it an error record (see its error stage).
    'C-13,Customer 13,customer13@example.com,FR',
  ]
  const readings = Array.from({ length: 30 }, (_, i) => ({
    sensor: `s-${(i % 5) + 1}`,
    celsius: 18 + ((i * 7) % 12),
    at: new Date(Date.UTC(2026, 10, 2, 0, i)).toISOString(),
  }))
  const put = (rel: string, text: string) => {
    const file = path.join(filesDir, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    if (!fs.existsSync(file)) fs.writeFileSync(file, text)
  }
  put('demo/orders/in/orders-2026-11-01.ndjson', orders.map((o) => JSON.stringify(o)).join('\n') + '\n')
  put('demo/customers/in/customers.csv', customers.join('\n') + '\n')
  put('demo/sensors/in/readings.json', JSON.stringify(readings, null, 2) + '\n')
}

/** Builds the demo flows through the API itself, so they pass the same validation as anything a user makes. */
export async function seedDemo(app: App, key: string): Promise<void> {
  writeSamples(app.config.filesDir)
  const call = async <T = Created>(method: 'POST' | 'PUT', url: string, payload?: object): Promise<T> => {
    const res = await app.inject({
      method,
      url: `/api${url}`,
      payload,
      headers: { authorization: `Bearer ${key}` },
    })
    if (res.statusCode !== 200) throw new Error(`Demo seed failed at ${method} ${url}: ${res.body}`)
    return res.json<T>()
  }
  const file = (p: string, format: string) => ({ connector_type: 'file', config: { path: p, format } })
  const source = (name: string, description: string, p: string, format: string) => {
    const f = file(p, format)
    return call('POST', '/data_sources', {
      name,
      description,
      connector_type: f.connector_type,
      source_config: f.config,
    })
  }
  const sink = (name: string, dataSetId: number, p: string, format: string) => {
    const f = file(p, format)
    return call('POST', '/data_sinks', {
      name,
      data_set_id: dataSetId,
      connector_type: f.connector_type,
      sink_config: f.config,
    })
  }

  // 1. Streaming, two levels of derived data sets, four sinks; running.
  const orders = await source(
    'Web shop orders',
    'Orders exported by the web shop every few minutes',
    'demo/orders/in',
    'ndjson',
  )
  const all = await call('POST', '/data_sets', { name: 'Orders', data_source_id: orders.id, transform: '' })
  const large = await call('POST', '/data_sets', {
    name: 'Large orders',
    parent_data_set_id: all.id,
    transform: 'amount >= 100 ? $ : undefined',
  })
  const eur = await call('POST', '/data_sets', {
    name: 'Large orders in EUR',
    parent_data_set_id: large.id,
    transform: '$merge([$, {"amount": $round(amount * 0.92, 2), "currency": "EUR"}])',
  })
  const byRegion = await call('POST', '/data_sets', {
    name: 'Order summaries',
    parent_data_set_id: all.id,
    transform: '{"order_id": order_id, "region": region, "amount": amount}',
  })
  await sink('Orders archive', all.id, 'demo/orders/out/archive', 'ndjson')
  await sink('Large orders report', large.id, 'demo/orders/out/large', 'csv')
  await sink('Finance (EUR)', eur.id, 'demo/orders/out/finance-eur', 'json')
  await sink('Regional dashboard', byRegion.id, 'demo/orders/out/regional', 'ndjson')
  await call('PUT', `/data_sources/${orders.id}/flow/activate`)

  // 2. Batch: one data set, one sink; paused.
  const customers = await source(
    'CRM customers',
    'Nightly customer export from the CRM',
    'demo/customers/in',
    'csv',
  )
  const clean = await call('POST', '/data_sets', {
    name: 'Customers',
    data_source_id: customers.id,
    transform: '{"id": $number(id), "name": name, "email": $lowercase(email), "country": country}',
  })
  await sink('Customer master (CSV)', clean.id, 'demo/customers/out', 'csv')
  await call('PUT', `/data_sources/${customers.id}/flow`, {
    flow_type: 'batch',
    configuration: {
      error_record_policy: 'STAGE_RECORD',
      error_stage: { type: 'WRITE_TO_FILE', directory: 'demo/customers/errors' },
    },
  })
  await call('PUT', `/data_sources/${customers.id}/flow/pause`)

  // 3. Streaming, two sibling data sets, not yet activated.
  const sensors = await source(
    'Greenhouse sensors',
    'Temperature readings from the greenhouse',
    'demo/sensors/in',
    'json',
  )
  const readings = await call('POST', '/data_sets', {
    name: 'Readings',
    data_source_id: sensors.id,
    transform: '',
  })
  const hot = await call('POST', '/data_sets', {
    name: 'Too warm',
    parent_data_set_id: readings.id,
    transform: 'celsius > 26 ? {"sensor": sensor, "celsius": celsius, "at": at} : undefined',
  })
  await sink('Readings lake', readings.id, 'demo/sensors/out/lake', 'ndjson')
  await sink('Alerts', hot.id, 'demo/sensors/out/alerts', 'ndjson')
}
