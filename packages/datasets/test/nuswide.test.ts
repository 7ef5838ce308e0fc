import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  nusWideImagePath,
  parseNusWideConcepts,
} from '../src/index.js';
import { loadNusWide } from '../src/node/index.js';
import { COLOURS } from './fixtures/colours.js';
import { fixture } from './shared-path.js';

const root = fixture('nuswide');
const named = (names: readonly string[], labels: ArrayLike<number>) =>
  names.filter((_, j) => labels[j] === 1);

describe('NUS-WIDE', () => {
  it('image-list entries map to paths under Flickr/', () => {
    expect(nusWideImagePath('C:\\ImageData\\Flickr\\actor\\0001_2124494179.jpg')).toBe(
      'actor/0001_2124494179.jpg',
    );
    expect(nusWideImagePath('actor\\0001_2124494179.jpg')).toBe('actor/0001_2124494179.jpg');
    expect(() => parseNusWideConcepts('sky\nsea\nsky\n', 'c.txt')).toThrow(
      /c\.txt:3: concept "sky"/,
    );
  });

  it.each([
    [
      'train',
      [
        ['dancing', 'person'],
        ['airport', 'plane', 'sky'],
        ['animal', 'cat'],
      ],
    ],
    ['test', [['beach', 'sand', 'sky', 'water'], []]],
    [
      'all',
      [
        ['dancing', 'person'],
        ['airport', 'plane', 'sky'],
        ['animal', 'cat'],
        ['beach', 'sand', 'sky', 'water'],
        [],
      ],
    ],
  ] as const)('%s split: 81-label vectors from the per-concept files', async (split, expected) => {
    const nus = await loadNusWide(root, { split, size: [4, 6] });
    expect(nus.labelNames).toHaveLength(81);
    expect(nus.labelNames[0]).toBe('airport');
    expect(nus.labelNames[80]).toBe('zebra');
    expect(nus.entries.map((e) => named(nus.labelNames, e.labels))).toEqual(expected);
    for await (const { x, y, files } of nus.batches({ batchSize: 4, box: { lo: 0, hi: 1 } })) {
      const means = tf.tidy(() => tf.mean(x, [1, 2]).arraySync() as number[][]);
      files.forEach((file, k) => {
        const id = file.replace(/^.*\/(.*)\.jpg$/, '$1');
        expect(file).toContain(join('nuswide', 'Flickr'));
        const colour = COLOURS[id] as readonly number[];
        (means[k] as number[]).forEach((v, c) => {
          expect(v * 255).toBeCloseTo(colour[c] as number, -1);
        });
      });
      tf.dispose([x, y]);
    }
  });

  describe('corrupted copies', () => {
    let tmp = '';
    beforeAll(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'mlap-nuswide-'));
      await cp(root, tmp, { recursive: true });
    });
    afterAll(async () => rm(tmp, { recursive: true, force: true }));
    const labels = (concept: string) =>
      join(tmp, 'Groundtruth', 'TrainTestLabels', `Labels_${concept}_Train.txt`);

    it('a bad label value: typed error with the line, or the image skipped and reported', async () => {
      await writeFile(labels('cat'), '0\r\n0\r\n2\r\n');
      const error = await loadNusWide(tmp, { size: [4, 4] }).catch((e: unknown) => e);
      expect(DatasetFormatError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ file: labels('cat'), line: 3 });
      const nus = await loadNusWide(tmp, { size: [4, 4], skip: true });
      expect(nus.entries.map((e) => e.index)).toEqual([0, 1]);
      expect(nus.skipped).toHaveLength(1);
      expect(nus.skipped[0]).toMatchObject({ index: 2, file: labels('cat') });
      expect(nus.skipped[0]?.reason).toMatch(/Labels_cat_Train\.txt:3: label "2"/);
      await writeFile(labels('cat'), '0\r\n0\r\n1\r\n');
    });

    it('a label file of the wrong length always fails; a missing one names the file', async () => {
      await writeFile(labels('sky'), '0\n1\n0\n1\n');
      await expect(loadNusWide(tmp, { size: [4, 4], skip: true })).rejects.toMatchObject({
        code: 'dataset-format',
        file: labels('sky'),
        line: 4,
      });
      await rm(labels('sky'));
      await expect(loadNusWide(tmp, { size: [4, 4] })).rejects.toSatisfy(
        (e: unknown) =>
          DatasetFileError.isInstance(e) && /Labels_sky_Train\.txt: file not found/.test(String(e)),
      );
      await writeFile(
        labels('sky'),
        await readFile(join(root, 'Groundtruth', 'TrainTestLabels', 'Labels_sky_Train.txt')),
      );
    });

    it('a missing image: DatasetFileError, or skipped and reported', async () => {
      const image = join(tmp, 'Flickr', 'airport', '0002_174174086.jpg');
      await rm(image);
      await expect(loadNusWide(tmp, { size: [4, 4] })).rejects.toSatisfy(
        (e: unknown) => DatasetFileError.isInstance(e) && (e as DatasetFileError).file === image,
      );
      const nus = await loadNusWide(tmp, { size: [4, 4], skip: true });
      expect(nus.count).toBe(2);
      expect(nus.skipped.map((s) => [s.index, s.file])).toEqual([[1, image]]);
    });
  });
});
