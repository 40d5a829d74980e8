/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves on :3000 and forwards the API and the WebSocket to a running
// stack (TIKETI_API, default the `make run` address), so the browser sees one origin.
const api = process.env.TIKETI_API ?? 'http://127.0.0.1:3001';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    // Time logic must not depend on the machine's zone: run it where Seoul is not local.
    env: { TZ: 'America/New_York' },
  },
});
