import type { Page } from 'playwright-core';

/** Waits until the page reports idle (every step of the demo ends there), returning its text. */
export async function waitIdle(page: Page, timeout = 150_000): Promise<string> {
  await page.waitForSelector('#status[data-state="idle"]', { timeout });
  return (await page.textContent('#status')) ?? '';
}

/** Fails fast with the page's own message when it reports an error. */
export async function waitIdleOrThrow(page: Page, timeout?: number): Promise<string> {
  const error = page.waitForSelector('#status[data-state="error"]', { timeout }).then(async () => {
    throw new Error(`page error: ${await page.textContent('#status')}`);
  });
  const idle = waitIdle(page, timeout);
  error.catch(() => undefined);
  return Promise.race([idle, error]);
}

/** The comma-separated label names an element shows (its `data-labels`), as a sorted list. */
export async function shownLabels(page: Page, selector: string): Promise<string[]> {
  const value = (await page.getAttribute(selector, 'data-labels')) ?? '';
  return value === '' ? [] : value.split(',').sort();
}

/** Picks a model and waits until it is loaded and its first sample predicted. */
export async function chooseModel(page: Page, model: 'default' | 'centernet'): Promise<void> {
  if ((await page.inputValue('#model-select')) !== model) {
    await page.selectOption('#model-select', model);
  }
  await waitIdleOrThrow(page);
}

/** Picks a sample image by file name and waits for its prediction and target. */
export async function chooseSample(page: Page, file: string): Promise<void> {
  await page.click(`#samples button[data-file="${file}"]`);
  await waitIdleOrThrow(page);
}

/** Applies a target preset. */
export async function applyPreset(page: Page, preset: string): Promise<void> {
  await page.selectOption('#preset-select', preset);
  await page.click('#preset-apply');
  await waitIdleOrThrow(page);
}
