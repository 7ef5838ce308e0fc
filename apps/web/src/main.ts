import { App } from './app.js';
import type { Catalog } from './catalog.js';
import { pageElements } from './elements.js';

/** Loads the asset catalog written at build time, then starts the demo. */
async function main(): Promise<void> {
  const baseUrl = new URL('./', document.baseURI).href;
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
