import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Launched, launchChromium } from './browser.js';
import {
  applyPreset,
  chooseModel,
  chooseSample,
  shownLabels,
  waitIdleOrThrow,
} from './page-driver.js';
import { type StaticServer, serveStatic } from './server.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

let server: StaticServer;
let browser: Launched;
let page: Page;

beforeAll(async () => {
  server = await serveStatic(dist);
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(120_000);
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  // wasm directly: the backend measurement is not what this file tests.
  await page.goto(`${server.url}?backend=wasm`);
  await waitIdleOrThrow(page);
});

afterAll(async () => {
  await browser?.context.setOffline(false);
  await browser?.close();
  await server?.close();
});

describe('the browser demo offline, once loaded', () => {
  it('reloads and runs an attack with the network off', async () => {
    // The worker precaches the whole build on install, then claims the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await browser.context.setOffline(true);
    // Not vacuous: what the cache does not hold really fails now.
    const missing = await page.evaluate(() =>
      fetch(`never-cached-${Date.now()}.txt`).then(
        (r) => `HTTP ${r.status}`,
        () => 'failed',
      ),
    );
    expect(missing).toBe('failed');

    await page.reload();
    await waitIdleOrThrow(page);
    // Cached responses keep COOP/COEP: still isolated, so wasm threads and Cancel still work.
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await chooseModel(page, 'default');
    await chooseSample(page, 'samples/mosaic-1.png');
    await applyPreset(page, 'hideSingle');
    const target = await shownLabels(page, '#target-labels');
    await page.selectOption('#attack-select', 'ml-deepfool');
    await page.click('#run');
    expect(await waitIdleOrThrow(page)).toContain('success');
    expect(await shownLabels(page, '#predicted-after')).toEqual(target);
  });
});
