import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  parseCocoInstances,
  parseJson,
} from '../src/index.js';
import { cocoImageDir, loadCoco } from '../src/node/index.js';
import { COLOURS } from './fixtures/colours.js';
import { fixture, hasShared, sharedDir } from './shared-path.js';

const instances = fixture('coco/annotations/instances_val2014.json');
const corrupt = fixture('coco-corrupt/annotations/instances_val2014.json');
const named = (names: readonly string[], labels: ArrayLike<number>) =>
  names.filter((_, j) => labels[j] === 1);

describe('COCO instances', () => {
  it('80 categories in id order become contiguous labels named from the file', async () => {
    const coco = parseCocoInstances(await readFile(instances, 'utf8'), { source: instances });
    expect(coco.labelNames).toHaveLength(80);
    expect(coco.categoryIds).toHaveLength(80);
    expect(
      coco.categoryIds.every((id, j) => j === 0 || id > (coco.categoryIds[j - 1] as number)),
    ).toBe(true);
    expect(coco.labelNames.slice(0, 3)).toEqual(['person', 'bicycle', 'car']);
    expect(coco.labelNames[coco.categoryIds.indexOf(90)]).toBe('toothbrush');
    expect(coco.labelNames.indexOf('toothbrush')).toBe(79);
    expect(coco.labelNames.indexOf('dining table')).toBe(60);
    expect(coco.images.map((im) => [im.id, im.fileName])).toEqual([
      [42, 'COCO_val2014_000000000042.jpg'],
      [73, 'COCO_val2014_000000000073.jpg'],
      [74, 'COCO_val2014_000000000074.jpg'],
    ]);
    expect(coco.images.map((im) => named(coco.labelNames, im.labels))).toEqual([
      ['person', 'cup', 'dining table'],
      ['person', 'cat', 'toothbrush'], // the crowd "person" region counts
      [], // no annotations: kept, all zero
    ]);
    const noCrowd = parseCocoInstances(await readFile(instances, 'utf8'), { ignoreCrowd: true });
    expect(named(noCrowd.labelNames, noCrowd.images[1]?.labels ?? [])).toEqual([
      'cat',
      'toothbrush',
    ]);
  });

  it('the labels match the 80 names of the real CenterNet COCO model', async () => {
    if (!hasShared) return;
    const labels = (await readFile(`${sharedDir}/models/centernet-coco/labels.txt`, 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const coco = parseCocoInstances(await readFile(instances, 'utf8'));
    const norm = (s: string) => s.replace(/[\s_-]/g, '').toLowerCase();
    expect(coco.labelNames.map(norm)).toEqual(labels.map(norm));
  });

  it('malformed JSON → DatasetFormatError with the line', async () => {
    const broken = fixture('coco-corrupt/annotations/instances_broken.json');
    const error = await loadCoco(broken, { size: [4, 4] }).catch((e: unknown) => e);
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: broken, line: 62 });
    expect(String((error as Error).message)).toMatch(/instances_broken\.json:62: malformed JSON/);
    for (const [text, line] of [
      ['{\n "a": [1, 2,\n ]\n}', 3],
      ['{"a": tru}', 1],
      ['[1,\n2\n', 3],
      ['{"a": "x\ny"}', 1],
      ['{}\n{}', 2],
    ] as const) {
      expect(() => parseJson(text, 't.json')).toThrow(
        expect.objectContaining({ code: 'dataset-format', line }),
      );
    }
    expect(() => parseCocoInstances('{"images": []}', { source: 'e.json' })).toThrow(
      /e\.json: "categories" is missing/,
    );
  });

  it('loadCoco streams the images of the folder, resized, with their labels', async () => {
    expect(cocoImageDir(instances)).toBe(fixture('coco/val2014'));
    const coco = await loadCoco(instances, { size: [5, 7] });
    expect(coco.count).toBe(3);
    expect(coco.sampleShape).toEqual([5, 7, 3]);
    for await (const { x, y, indices, files } of coco.batches({ batchSize: 2, shuffleSeed: 3 })) {
      expect(x.shape).toEqual([indices.length, 5, 7, 3]);
      const means = tf.tidy(() => tf.mean(x, [1, 2]).arraySync() as number[][]);
      indices.forEach((i, k) => {
        const name = (files[k] as string).replace(/^.*\/(.*)\.jpg$/, '$1');
        const colour = COLOURS[name] as readonly number[];
        (means[k] as number[]).forEach((v, c) => {
          expect(v * 255).toBeCloseTo(colour[c] as number, -1);
        });
        expect(Array.from(y.arraySync()[k] as number[])).toEqual(
          Array.from(coco.entries[i]?.labels ?? []),
        );
      });
      tf.dispose([x, y]);
    }
  });

  it('corrupted copy: unknown category, missing image, grey image', async () => {
    const error = await loadCoco(corrupt, { size: [4, 4] }).catch((e: unknown) => e);
    expect(DatasetLabelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: corrupt, label: '91' });
    const coco = await loadCoco(corrupt, { size: [4, 4], skip: true, convert: false });
    expect(coco.entries.map((e) => e.id)).toEqual(['42', '75']);
    expect(coco.skipped.map((s) => [s.index, s.file.replace(/^.*coco-corrupt\//, '')])).toEqual([
      [1, 'annotations/instances_val2014.json'],
      [2, 'val2014/COCO_val2014_000000000074.jpg'],
    ]);
    expect(DatasetLabelError.isInstance(coco.skipped[0]?.error)).toBe(true);
    expect(DatasetFileError.isInstance(coco.skipped[1]?.error)).toBe(true);
    const data = await coco.toData();
    expect(data.count).toBe(1);
    expect(data.entryIndices).toEqual([0]);
    expect(data.skipped.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(data.skipped[2]?.reason).toMatch(
      /COCO_val2014_000000000075\.jpg: has 1 channels; expected 3/,
    );
    // a missing image without skip: DatasetFileError naming it
    const missing = await loadCoco(instances, {
      size: [4, 4],
      images: fixture('coco-corrupt/val2014'),
    }).catch((e: unknown) => e);
    expect(DatasetFileError.isInstance(missing)).toBe(true);
    expect(String(missing)).toMatch(/COCO_val2014_000000000074\.jpg: image file not found/);
  });
});
