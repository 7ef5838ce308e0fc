import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The browser end-to-end tests, apart from the per-backend unit-test projects of the root config:
 * each file one Chromium, sequential steps on the built app, files one after another (`pnpm --filter @mlap/web e2e`).
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../', import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
