import { existsSync, mkdirSync } from 'node:fs';
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
const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
/** The COCO model and photos come from `../shared` beside the repository (not in a user's install). */
const shared = existsSync(
  fileURLToPath(
    new URL('../../../../shared/models/centernet-coco/centernet.json', import.meta.url),
  ),
);

let server: StaticServer;
let browser: Launched;
let page: Page;

/** The default model's labels. */
const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The top-k list's labels, comma-separated, best first. */
const topKList = async (p: Page) => (await p.getAttribute('#topk-list', 'data-labels')) ?? '';

async function screenshot(name: string): Promise<void> {
  mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: `${docs}web-${name}.png`, fullPage: true });
}

beforeAll(async () => {
  server = await serveStatic(dist);
  browser = await launchChromium();
  page = await browser.context.newPage();
  // Actions wait for controls that stay disabled while a model loads or an attack runs; on a
  // loaded 2-core machine that can take far longer than playwright's 30 s default.
  page.setDefaultTimeout(120_000);
  page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.goto(server.url);
  await waitIdleOrThrow(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the browser demo in headless Chromium', () => {
  it('starts cross-origin isolated and reports the backend it measured', async () => {
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const backend = await page.getAttribute('#backend-status', 'data-backend');
    expect(['wasm', 'webgl', 'cpu']).toContain(backend);
  });

  it.skipIf(!shared)(
    'hides person on the astronaut photo (COCO CenterNet, ML-CW; needs ../shared)',
    async () => {
      await chooseModel(page, 'centernet');
      await chooseSample(page, 'images/astronaut.png');
      expect(await shownLabels(page, '#predicted-before')).toContain('person');
      await applyPreset(page, 'hideAll');
      expect(await page.getAttribute('#labels button[data-label="person"]', 'aria-pressed')).toBe(
        'true',
      );
      await page.selectOption('#attack-select', 'ml-cw');
      await page.click('#run');
      const status = await waitIdleOrThrow(page);
      expect(status).toContain('success');
      const after = await shownLabels(page, '#predicted-after');
      expect(after).not.toContain('person');
      expect(after).toEqual(await shownLabels(page, '#target-labels'));
      await screenshot('astronaut');
    },
  );

  it('meets a hide-one target with ML-DeepFool on a default-dataset mosaic', async () => {
    await chooseModel(page, 'default');
    await chooseSample(page, 'samples/mosaic-1.png');
    await applyPreset(page, 'hideSingle');
    const target = await shownLabels(page, '#target-labels');
    const before = await shownLabels(page, '#predicted-before');
    expect(target.length).toBe(before.length - 1);
    await page.selectOption('#attack-select', 'ml-deepfool');
    await page.click('#run');
    expect(await waitIdleOrThrow(page)).toContain('success');
    expect(await shownLabels(page, '#predicted-after')).toEqual(target);
    expect(await page.getAttribute('#metrics', 'data-success')).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('adversarial-ml-deepfool.png');
    await screenshot('deepfool');
  });

  it('builds a top-k list by keyboard and by dragging, and Rank I puts it on top', async () => {
    // Target: two of the mosaic's digits on top, the third pushed below them.
    const [first = '', second = '', ...rest] = await shownLabels(page, '#predicted-before');
    expect(rest.length).toBeGreaterThan(0);
    const [absent = ''] = digits.filter((d) => d !== first && d !== second && !rest.includes(d));
    const list = () => topKList(page);
    const press = async (selector: string) => {
      await page.focus(selector);
      await page.keyboard.press('Enter');
    };
    await page.selectOption('#attack-select', 'rank1');
    expect(await page.isVisible('#topk')).toBe(true);
    // The preset's labels start the list; empty it by keyboard (focus stays on the ✕ buttons).
    await page.focus('#topk-list li:first-child button[aria-label^="remove"]');
    while ((await list()) !== '') await page.keyboard.press('Enter');
    await press(`#topk-chips button[data-label="${second}"]`);
    await press(`#topk-chips button[data-label="${first}"]`);
    expect(await list()).toBe(`${second},${first}`);
    await press(`#topk-list button[aria-label="move ${first} up"]`);
    expect(await list()).toBe(`${first},${second}`);
    // HTML5 drag and drop, as a mouse user does it: a chip dropped on the list joins it.
    await page
      .locator(`#topk-chips button[data-label="${absent}"]`)
      .dragTo(page.locator('#topk-list'));
    expect(await list()).toBe(`${first},${second},${absent}`);
    await press(`#topk-list button[aria-label="remove ${absent} from the top-k list"]`);
    expect(await list()).toBe(`${first},${second}`);
    expect(await shownLabels(page, '#target-labels')).toEqual([first, second].sort());

    await page.click('#run');
    expect(await waitIdleOrThrow(page)).toContain('success');
    expect(await shownLabels(page, '#topk-after')).toEqual([first, second].sort());
    await screenshot('topk');
  });

  it('puts an absent digit into the top 2 with TkML-AP, inside its L∞ budget', async () => {
    // A label the clean image does not show must climb above present ones: the clean image
    // cannot meet this list already, so success takes a real perturbation.
    const [first = '', ...others] = await shownLabels(page, '#predicted-before');
    const [absent = ''] = digits.filter((d) => d !== first && !others.includes(d));
    await page.selectOption('#attack-select', 'tkml');
    expect(await page.isVisible('#topk')).toBe(true);
    await page.focus('#topk-list li:first-child button[aria-label^="remove"]');
    while ((await topKList(page)) !== '') await page.keyboard.press('Enter');
    for (const label of [first, absent]) {
      await page.focus(`#topk-chips button[data-label="${label}"]`);
      await page.keyboard.press('Enter');
    }
    expect(await topKList(page)).toBe(`${first},${absent}`);
    expect(await page.isDisabled('#epsilon')).toBe(false);
    const epsilon = Number(await page.inputValue('#epsilon')) / 255;
    await page.click('#run');
    expect(await waitIdleOrThrow(page)).toContain('success');
    expect(await shownLabels(page, '#topk-after')).toEqual([first, absent].sort());
    const linf = Number(await page.textContent('#metrics dd[data-metric="L∞"]'));
    expect(linf).toBeGreaterThan(0);
    // The default model's box is [0, 1]; the metric is printed to 4 decimals.
    expect(linf).toBeLessThanOrEqual(epsilon + 5e-5);
  });

  it('cancels a long ML-CW run and returns to idle', async () => {
    await page.selectOption('#attack-select', 'ml-cw');
    await page.fill('#max-iterations', '5000');
    await page.fill('#search-steps', '10');
    await page.click('#run');
    await page.waitForFunction(
      () => document.querySelector('#status')?.textContent?.startsWith('iteration'),
      undefined,
      { timeout: 60_000 },
    );
    await page.keyboard.press('Tab'); // the Cancel button is reachable by keyboard
    await page.focus('#cancel');
    await page.keyboard.press('Enter');
    expect(await waitIdleOrThrow(page, 60_000)).toContain('cancelled');
    expect(await page.isEnabled('#run')).toBe(true);
    expect(await page.isDisabled('#cancel')).toBe(true);
    await screenshot('cancelled');
  });
});
