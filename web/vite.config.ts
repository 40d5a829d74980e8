/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// `npm run dev` serves on :3000 and forwards the API and the WebSocket to a running
// stack (TIKETI_API, default the `make run` address), so the browser sees one origin.
const api = process.env.TIKETI_API ?? 'http://127.0.0.1:3001';

export default defineConfig({
  plugins: [
    react(),
    // Every asset also as .gz and .br beside it: the api serves the precompressed file the
    // browser accepts, so no byte is compressed per request.
    compression({
      algorithms: [
        defineAlgorithm('gzip', { level: 9 }),
        defineAlgorithm('brotliCompress', {}),
      ],
      include: /\.(js|css|html|svg|json|txt)$/,
      threshold: 512,
    }),
  ],
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    outDir: 'dist',
    // Source maps stay with the developer (`npm run dev`); the public bundle ships none.
    sourcemap: false,
    rollupOptions: {
      output: {
        // React and the router change far less often than the app: their own long-cached
        // chunk survives app deploys.
        manualChunks: { vendor: ['react', 'react-dom', 'react-router-dom'] },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    // Time logic must not depend on the machine's zone: run it where Seoul is not local.
    env: { TZ: 'America/New_York' },
  },
});
