import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium against a running stack (TIKETI_WEB_URL). One file at a
// time, so the stack is not shared by competing journeys.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
