import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  labelsOf,
  parseImageLabels,
} from '../src/index.js';
import { loadImageFolder } from '../src/node/index.js';
import { fixture, hasShared, sharedDir } from './shared-path.js';

const folder = fixture('folder');
const corrupt = fixture('folder-corrupt');

describe('parseImageLabels', () => {
  it('reads the CSV forms (0/1 columns, or a labels column of names)', () => {
    const columns = parseImageLabels('image,a,b\nx.png,1,0\ny.png,1,1\n', { source: 's.csv' });
    expect(columns.labelNames).toEqual(['a', 'b']);
    expect(columns.entries.map((e) => [e.file, Array.from(e.labels)])).toEqual([
      ['x.png', [1, 0]],
      ['y.png', [1, 1]],
    ]);
    const lists = parseImageLabels('file,labels\nx.png,b a\ny.png,\nz.png,"c;a"\n', {
      source: 'l.csv',
    });
    expect(lists.labelNames).toEqual(['a', 'b', 'c']);
    expect(lists.entries.map((e) => Array.from(e.labels))).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [1, 0, 1],
    ]);
    expect(() => parseImageLabels('file,a\nx.png,7\n', { source: 'bad.csv' })).toThrow(
      expect.objectContaining({ code: 'dataset-format', file: 'bad.csv', line: 2 }),
    );
  });

  it('reads the JSON forms; malformed JSON has its line', () => {
    const list = parseImageLabels('[{"file": "x.png", "labels": ["cat"]}]', { source: 'a.json' });
    expect(list.labelNames).toEqual(['cat']);
    expect(() => parseImageLabels('{\n"x.png": ["a"]\n"y.png": []}', { source: 'b.json' })).toThrow(
      expect.objectContaining({ code: 'dataset-format', file: 'b.json', line: 3 }),
    );
  });
});

describe('loadImageFolder', () => {
  it('without labels: every image, sorted, no labels', async () => {
    const set = await loadImageFolder(folder, { size: [6, 6] });
    expect(set.entries.map((e) => e.id)).toEqual(['beach.jpg', 'cat.png', 'night.png']);
    expect(set.labelNames).toEqual([]);
    const data = await set.toData();
    expect(data.count).toBe(3);
    expect(data.sampleShape).toEqual([6, 6, 3]);
    // the grey PNG became RGB (grey copied to each channel)
    expect(Array.from(data.features.subarray(2 * 108, 2 * 108 + 3))).toEqual([20, 20, 20]);
  });

  it('with a CSV or JSON sidecar (JSON order and label list kept)', async () => {
    const csv = await loadImageFolder(folder, {
      labels: join(folder, 'labels.csv'),
      size: [4, 4],
      channels: 1,
    });
    expect(csv.labelNames).toEqual(['beach', 'cat', 'night']);
    expect(csv.sampleShape).toEqual([4, 4, 1]);
    const json = await loadImageFolder(folder, {
      labels: join(folder, 'labels.json'),
      size: [4, 4],
    });
    expect(json.labelNames).toEqual(['beach', 'cat', 'night', 'sky']);
    expect(json.entries.map((e) => e.id)).toEqual(['night.png', 'beach.jpg', 'cat.png']);
    const data = await json.toData();
    expect(labelsOf(data, 0)).toEqual([2, 3]);
    expect(labelsOf(data, 2)).toEqual([1]);
    for await (const { x, y } of json.batches({ batchSize: 2 })) {
      expect(x.shape.slice(1)).toEqual([4, 4, 3]);
      tf.dispose([x, y]);
    }
  });

  it('corrupted copy: a listed image missing, an unlisted image, an unknown label', async () => {
    const sidecar = join(corrupt, 'labels.json');
    const missing = await loadImageFolder(corrupt, { labels: sidecar, size: [4, 4] }).catch(
      (e: unknown) => e,
    );
    expect(DatasetFileError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ file: join(corrupt, 'gone.png') });
    const set = await loadImageFolder(corrupt, { labels: sidecar, size: [4, 4], skip: true });
    expect(set.entries.map((e) => e.id)).toEqual(['beach.jpg', 'cat.png']);
    expect(set.skipped.map((s) => [s.index, s.file.slice(corrupt.length + 1)])).toEqual([
      [2, 'gone.png'],
      [3, 'stray.png'],
    ]);
    expect(DatasetFormatError.isInstance(set.skipped[1]?.error)).toBe(true);
    expect(set.skipped[1]?.reason).toMatch(/stray\.png: has no entry in the label file/);

    const unknown = join(corrupt, 'unknown.json');
    const labelError = await loadImageFolder(corrupt, { labels: unknown, size: [4, 4] }).catch(
      (e: unknown) => e,
    );
    expect(DatasetLabelError.isInstance(labelError)).toBe(true);
    expect(labelError).toMatchObject({ file: unknown, label: 'dog' });
    const kept = await loadImageFolder(corrupt, { labels: unknown, size: [4, 4], skip: true });
    expect(kept.entries.map((e) => e.id)).toEqual(['beach.jpg', 'stray.png']);
    expect(kept.skipped.map((s) => s.index)).toEqual([1]);

    const broken = join(corrupt, 'broken.json');
    await expect(loadImageFolder(corrupt, { labels: broken, size: [4, 4] })).rejects.toMatchObject({
      code: 'dataset-format',
      file: broken,
      line: 4,
    });
    await expect(loadImageFolder(fixture('no-such-folder'), { size: [4, 4] })).rejects.toThrow(
      /image folder not found/,
    );
  });
});

describe.skipIf(!hasShared)('the real photos of ../shared/images as a folder', () => {
  const tmp = mkdtemp(join(tmpdir(), 'mlap-folder-'));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it('decodes all four, resized, with labels from a JSON sidecar', async () => {
    const dir = join(sharedDir, 'images');
    const sidecar = join(await tmp, 'labels.json');
    await writeFile(
      sidecar,
      JSON.stringify({
        'astronaut.png': ['person'],
        'chelsea.png': ['cat'],
        'coffee.png': ['cup', 'dining table'],
        'rocket.jpg': [],
      }),
    );
    const set = await loadImageFolder(dir, { labels: sidecar, size: [32, 32] });
    expect(set.labelNames).toEqual(['cat', 'cup', 'dining table', 'person']);
    expect(set.skipped).toEqual([]);
    const data = await set.toData();
    expect(data.count).toBe(4);
    expect(data.sampleShape).toEqual([32, 32, 3]);
    expect(labelsOf(data, 2)).toEqual([1, 2]);
    let sum = 0;
    for (const v of data.features) sum += v;
    const mean = sum / data.features.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(235);
  });
});
