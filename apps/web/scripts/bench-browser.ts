/**
 * Benchmark (not a test): the CenterNet hide-*person* attack (ML-CW, the page's defaults: ≤ 10
 * iterations, 1 binary-search step) on astronaut.png in headless Chromium without a GPU, once per
 * backend, each in a fresh browser. Run `pnpm --filter @mlap/web bench:browser` (it builds first);
 * BENCH_BACKENDS=wasm,webgl,cpu picks backends, BENCH_TIMEOUT_S bounds each run (default 600).
 */
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../e2e/browser.js';
import { applyPreset, chooseSample, shownLabels, waitIdleOrThrow } from '../e2e/page-driver.js';
import { serveStatic } from '../e2e/server.js';

const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgl,cpu').split(',');
const timeout = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

interface Row {
  backend: string;
  status: string;
  seconds?: number;
  load?: string;
  success?: string;
  l2?: string;
  iterations?: string;
  hidden?: boolean;
}

async function benchOne(url: string, backend: string): Promise<Row> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}?backend=${backend}`);
    await waitIdleOrThrow(page, timeout);
    const running = await page.getAttribute('#backend-status', 'data-backend');
    if (running !== backend) return { backend, status: `could not start (got ${running})` };
    await chooseSample(page, 'images/astronaut.png');
    await applyPreset(page, 'hideAll');
    await page.selectOption('#attack-select', 'ml-cw');
    const started = Date.now();
    await page.click('#run');
    const status = await waitIdleOrThrow(page, timeout);
    const metric = (name: string) => page.textContent(`#metrics dd[data-metric="${name}"]`);
    return {
      backend,
      status,
      seconds: (Date.now() - started) / 1000,
      load: (await page.textContent('#model-status'))?.replace(/.*loaded in /, '') ?? '',
      success: (await metric('success')) ?? '',
      l2: (await metric('L2')) ?? '',
      iterations: (await metric('iterations')) ?? '',
      hidden: !(await shownLabels(page, '#predicted-after')).includes('person'),
    };
  } catch (error) {
    return { backend, status: `failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await browser.close();
  }
}

const server = await serveStatic(dist);
try {
  console.log('CenterNet hide-person (ML-CW) on astronaut.png, headless Chromium, no GPU:');
  for (const backend of backends) {
    const row = await benchOne(server.url, backend);
    console.log(JSON.stringify(row));
  }
} finally {
  await server.close();
}
