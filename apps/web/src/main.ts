import { App } from './app.js';
import type { Catalog } from './catalog.js';
import { pageElements } from './elements.js';

/**
 * Production builds register the service worker that keeps the demo working offline (`sw.js`,
 * written by build/offline.ts); the dev server has none, so edits are never served stale.
 */
function registerServiceWorker(baseUrl: string): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', baseUrl)).catch((error: unknown) => {
    // Offline support is a bonus: the demo works online without it.
    console.warn('service worker not registered:', error);
  });
}

/** Loads the asset catalog written at build time, then starts the demo. */
async function main(): Promise<void> {
  const baseUrl = new URL('./', document.baseURI).href;
  registerServiceWorker(baseUrl);
  const response = await fetch(new URL('catalog.json', baseUrl));
  if (!response.ok) throw new Error(`catalog.json: HTTP ${response.status}`);
  const app = new App(pageElements(), (await response.json()) as Catalog, baseUrl);
  await app.start();
}

main().catch((error: unknown) => {
  const status = document.getElementById('status');
  if (status !== null) {
    status.dataset.state = 'error';
    status.textContent = error instanceof Error ? error.message : String(error);
  }
});
