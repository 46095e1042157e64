import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const apiTarget = process.env.API_URL ?? 'http://localhost:8080'

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/console', emptyOutDir: true, sourcemap: true },
  server: { port: 5173, proxy: { '/api': apiTarget } },
})
