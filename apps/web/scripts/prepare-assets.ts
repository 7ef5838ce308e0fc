/**
 * Fills `.assets/` (Vite's public folder) before a dev or build run: the tfjs wasm binaries, the
 * default model of `@mlap/models` (referenced in place, not re-committed), a few default-dataset
 * mosaics exported as PNGs, and — when `../shared` is next to the repository — the COCO CenterNet
 * model and the sample photos. `catalog.json` tells the page what is there, so the app still
 * builds and runs without `../shared` (the CenterNet part is then hidden).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelsOf } from '@mlap/datasets';
import { loadDefaultDataset } from '@mlap/datasets/node';
import { encode } from 'fast-png';
import type { Catalog, SampleImage } from '../src/catalog.js';

const appDir = fileURLToPath(new URL('../', import.meta.url));
const out = join(appDir, '.assets');
const sharedDir = join(appDir, '../../../shared');
const require = createRequire(import.meta.url);

/** Copies a file unless an identical-size copy is already there (keeps rebuilds fast). */
function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (existsSync(to) && statSync(to).size === statSync(from).size) return;
  copyFileSync(from, to);
}

function copyWasm(): void {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.wasm'))) {
    copy(join(dist, file), join(out, 'wasm', file));
  }
}

function copyDefaultModel(): void {
  const models = dirname(require.resolve('@mlap/models/package.json'));
  const dir = join(models, 'assets', 'default-model');
  for (const file of ['model.json', 'weights.bin']) {
    copy(join(dir, file), join(out, 'models', 'default', file));
  }
}

/** The first test mosaics with at least one digit, as grayscale PNGs (their true labels too). */
async function exportMosaics(count: number): Promise<SampleImage[]> {
  const { test } = await loadDefaultDataset();
  const [h = 56, w = 56] = test.sampleShape;
  const size = h * w;
  const samples: SampleImage[] = [];
  for (let i = 0; i < test.count && samples.length < count; i++) {
    const digits = labelsOf(test, i).map((j) => test.labelNames[j] ?? String(j));
    if (digits.length === 0) continue;
    const file = `samples/mosaic-${i}.png`;
    const pixels = Uint8Array.from(test.features.subarray(i * size, (i + 1) * size));
    mkdirSync(join(out, 'samples'), { recursive: true });
    writeFileSync(join(out, file), encode({ width: w, height: h, data: pixels, channels: 1 }));
    samples.push({ file, title: `mosaic #${i} (digits ${digits.join(', ')})`, credit: 'MNIST' });
  }
  return samples;
}

const photoCredits: Readonly<Record<string, string>> = {
  'astronaut.png': 'Eileen Collins, NASA portrait — NASA, public domain',
  'chelsea.png': 'Chelsea the cat — Stefan van der Walt, CC0',
  'coffee.png': 'Coffee — Rachel Michetti (Pikolo Espresso Bar), CC0',
  'rocket.jpg': 'Falcon 9 launch — SpaceX, public domain',
};

function copySharedFiles(): { centernet: boolean; photos: SampleImage[] } {
  const model = join(sharedDir, 'models', 'centernet-coco');
  const centernet = existsSync(join(model, 'centernet.json'));
  if (centernet) {
    for (const file of ['centernet.json', 'centernet.bin', 'labels.txt']) {
      copy(join(model, file), join(out, 'models', 'centernet', file));
    }
  }
  const photos: SampleImage[] = [];
  for (const [name, credit] of Object.entries(photoCredits)) {
    const from = join(sharedDir, 'images', name);
    if (!existsSync(from)) continue;
    copy(from, join(out, 'images', name));
    photos.push({ file: `images/${name}`, title: name, credit });
  }
  return { centernet, photos };
}

copyWasm();
copyDefaultModel();
const mosaics = await exportMosaics(6);
const { centernet, photos } = copySharedFiles();
const catalog: Catalog = { centernet, mosaics, photos };
writeFileSync(join(out, 'catalog.json'), `${JSON.stringify(catalog, null, 2)}\n`);
if (!centernet) {
  console.warn(`[@mlap/web] ${sharedDir} has no CenterNet model: the COCO demo is left out`);
}
console.log(
  `[@mlap/web] assets ready: ${mosaics.length} mosaics, ${photos.length} photos, CenterNet ${centernet ? 'yes' : 'no'}`,
);
