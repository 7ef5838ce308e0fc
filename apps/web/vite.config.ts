import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { offlineServiceWorker } from './build/offline.js';
import { wasmPthreadFix } from './build/wasm-pthread-fix.js';

/**
 * Cross-origin isolation (COOP + COEP) lets the tfjs wasm backend use threads
 * (SharedArrayBuffer); the same headers go on the dev and the preview server.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  // Relative URLs, so the built app also works from a sub-folder of any static host.
  base: './',
  // Models, photos, wasm binaries and dataset PNGs, copied here by scripts/prepare-assets.ts.
  publicDir: fileURLToPath(new URL('.assets/', import.meta.url)),
  resolve: {
    // Workspace packages resolve to their TypeScript sources (no build of them first), and
    // `browser` selects @mlap/backend's browser gradient registration (#register-gradients).
    conditions: ['@mlap/source', 'browser', ...defaultClientConditions],
  },
  plugins: [wasmPthreadFix(), offlineServiceWorker()],
  worker: { format: 'es', plugins: () => [wasmPthreadFix()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2500 },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
