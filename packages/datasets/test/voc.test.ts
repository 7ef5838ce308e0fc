import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  createImageSet,
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  ImageDecodeError,
  labelsOf,
  parseVocAnnotation,
  parseVocImageSet,
  VOC_CLASSES,
  vocLabelVector,
} from '../src/index.js';
import { loadVoc, readBytes } from '../src/node/index.js';
import { COLOURS } from './fixtures/colours.js';
import { fixture } from './shared-path.js';

const root = fixture('voc/VOC2012');
const corrupt = fixture('voc-corrupt/VOC2012');
const names = (labels: ArrayLike<number>) => VOC_CLASSES.filter((_, j) => labels[j] === 1);

describe('PASCAL VOC parsing', () => {
  it('reads objects with difficult / truncated flags, ignoring <part> names', () => {
    const a = parseVocAnnotation(
      `<annotation><filename>x.jpg</filename><size><width>5</width><height>4</height><depth>3</depth></size>
       <object><name>person</name><truncated>1</truncated><difficult>0</difficult><part><name>head</name></part></object>
       <object><name> dog </name><difficult>1</difficult></object></annotation>`,
      'x.xml',
    );
    expect(a).toEqual({
      filename: 'x.jpg',
      width: 5,
      height: 4,
      depth: 3,
      objects: [
        { name: 'person', difficult: false, truncated: true },
        { name: 'dog', difficult: true, truncated: false },
      ],
    });
    expect(names(vocLabelVector(a, 'x.xml'))).toEqual(['dog', 'person']);
    expect(names(vocLabelVector(a, 'x.xml', { difficult: 'ignore' }))).toEqual(['person']);
  });

  it('refuses DOCTYPE / entity declarations and expands no other entity', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE annotation [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<annotation><filename>&b;&amp;.jpg</filename><object><name>cat</name></object></annotation>`;
    expect(() => parseVocAnnotation(xml, 'e.xml')).toThrow(
      expect.objectContaining({ code: 'dataset-format', file: 'e.xml', line: 2 }),
    );
    const plain = '<annotation><filename>&b;&amp;.jpg</filename></annotation>';
    expect(parseVocAnnotation(plain, 'e.xml').filename).toBe('&b;&.jpg');
  });

  it('malformed XML → DatasetFormatError with the line; unknown class → DatasetLabelError', () => {
    expect(() =>
      parseVocAnnotation(
        '<annotation>\n<object>\n<name>cat</nam>\n</object>\n</annotation>',
        'b.xml',
      ),
    ).toThrow(expect.objectContaining({ code: 'dataset-format', file: 'b.xml', line: 3 }));
    expect(() => parseVocAnnotation('<foo/>', 'c.xml')).toThrow(/c\.xml: no <annotation>/);
    const a = parseVocAnnotation('<annotation><object><name>unicorn</name></object></annotation>');
    expect(() => vocLabelVector(a, 'u.xml')).toThrow(
      expect.objectContaining({ code: 'dataset-label', file: 'u.xml', label: 'unicorn' }),
    );
    expect(() => parseVocImageSet('a\nb\na\n', 's.txt')).toThrow(/s\.txt:3: image id "a"/);
  });
});

describe('loadVoc on fixtures in the VOC2012 layout', () => {
  it('trainval: 20-label vectors (difficult and truncated count as present)', async () => {
    const voc = await loadVoc(root, { size: [8, 10] });
    expect(voc.labelNames).toEqual(VOC_CLASSES);
    expect(voc.labelNames).toHaveLength(20);
    expect(voc.count).toBe(4);
    expect(voc.sampleShape).toEqual([8, 10, 3]);
    expect(voc.entries.map((e) => e.id)).toEqual([
      '2008_000001',
      '2008_000002',
      '2008_000003',
      '2008_000004',
    ]);
    expect(voc.entries.map((e) => names(e.labels))).toEqual([
      ['dog', 'person'],
      ['car'],
      ['bottle', 'chair', 'diningtable'],
      ['aeroplane'],
    ]);
    const strict = await loadVoc(root, { size: [8, 10], split: 'train', difficult: 'ignore' });
    expect(strict.entries.map((e) => names(e.labels))).toEqual([['person'], ['car']]);
  });

  it('streams resized batches in the box, each image with its own labels', async () => {
    const voc = await loadVoc(root, { size: [6, 8], split: 'trainval' });
    const seen: string[] = [];
    for await (const { x, y, indices, files } of voc.batches({
      batchSize: 3,
      box: { lo: -1, hi: 1 },
    })) {
      expect(x.shape).toEqual([indices.length, 6, 8, 3]);
      expect(y.shape).toEqual([indices.length, 20]);
      const mean = tf.tidy(() => tf.mean(x, [1, 2]).arraySync() as number[][]);
      indices.forEach((i, k) => {
        const id = voc.entries[i]?.id as string;
        seen.push(id);
        const expected = (COLOURS[id] as readonly number[]).map((v) => (v / 255) * 2 - 1);
        (mean[k] as number[]).forEach((v, c) => {
          expect(v).toBeCloseTo(expected[c] as number, 1);
        });
        expect(files[k]).toContain(`${id}.jpg`);
      });
      const labels = y.arraySync();
      indices.forEach((i, k) => {
        expect(labels[k]).toEqual(Array.from(voc.entries[i]?.labels ?? []));
      });
      tf.dispose([x, y]);
    }
    expect(seen).toHaveLength(4);
    const data = await voc.toData();
    expect(data.count).toBe(4);
    expect(data.sampleShape).toEqual([6, 8, 3]);
    expect(data.features).toBeInstanceOf(Uint8Array);
    expect(Math.abs((data.features[0] as number) - 200)).toBeLessThanOrEqual(3);
    expect(labelsOf(data, 0)).toEqual([11, 14]);
  });

  it('a missing split file or folder → DatasetFileError', async () => {
    await expect(loadVoc(root, { size: [4, 4], split: 'test' })).rejects.toSatisfy(
      (e: unknown) => DatasetFileError.isInstance(e) && /test\.txt: file not found/.test(String(e)),
    );
    await expect(loadVoc(fixture('voc/VOC2099'), { size: [4, 4] })).rejects.toThrow(
      /VOC folder not found/,
    );
  });
});

describe('loadVoc on a corrupted copy', () => {
  it('without skip: the first bad sample throws a typed error naming the file', async () => {
    const error = await loadVoc(corrupt, { size: [4, 4], split: 'train' }).catch((e: unknown) => e);
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: `${corrupt}/Annotations/2008_000002.xml`, line: 16 });
  });

  it('with skip: every bad sample is reported with index, file and reason', async () => {
    const reported: number[] = [];
    const voc = await loadVoc(corrupt, {
      size: [4, 4],
      split: 'train',
      skip: true,
      convert: false,
      onSkip: (s) => reported.push(s.index),
    });
    expect(voc.entries.map((e) => e.id)).toEqual(['2008_000001', '2008_000005', '2008_000006']);
    const listing = voc.skipped.map((s) => [
      s.index,
      s.file.slice(corrupt.length + 1),
      s.error.name,
    ]);
    expect(listing).toEqual([
      [1, 'Annotations/2008_000002.xml', expect.any(String)],
      [2, 'Annotations/2008_000003.xml', expect.any(String)],
      [6, 'Annotations/2008_000007.xml', expect.any(String)],
      [3, 'JPEGImages/2008_000004.jpg', expect.any(String)],
    ]);
    expect(DatasetFormatError.isInstance(voc.skipped[0]?.error)).toBe(true);
    expect(voc.skipped[0]?.reason).toMatch(/2008_000002\.xml:16: malformed XML/);
    expect(DatasetLabelError.isInstance(voc.skipped[1]?.error)).toBe(true);
    expect(voc.skipped[1]?.reason).toMatch(/label "unicorn"/);
    expect(DatasetFileError.isInstance(voc.skipped[2]?.error)).toBe(true);
    expect(DatasetFileError.isInstance(voc.skipped[3]?.error)).toBe(true);
    // decoding happens lazily: the grey image (convert: false) and the truncated JPEG are
    // skipped when their batch is read, and reported
    const batchIds: string[] = [];
    for await (const { x, y, indices } of voc.batches({ batchSize: 8 })) {
      batchIds.push(...indices.map((i) => voc.entries[i]?.id as string));
      tf.dispose([x, y]);
    }
    expect(batchIds).toEqual(['2008_000001']);
    expect(voc.skipped.slice(4).map((s) => [s.index, s.file.slice(corrupt.length + 1)])).toEqual([
      [4, 'JPEGImages/2008_000005.jpg'],
      [5, 'JPEGImages/2008_000006.jpg'],
    ]);
    expect(voc.skipped[4]?.reason).toMatch(/has 1 channels; expected 3/);
    expect(voc.skipped[5]?.reason).toMatch(/corrupt image/);
    expect(reported).toEqual([1, 2, 6, 3, 4, 5]);
    // a second epoch leaves them out again without reporting them twice
    let second = 0;
    for await (const { x, y, indices } of voc.batches({ batchSize: 2 })) {
      second += indices.length;
      tf.dispose([x, y]);
    }
    expect(second).toBe(1);
    expect(voc.skipped).toHaveLength(6);
    expect(reported).toHaveLength(6);
  });

  it('without skip, a bad image throws when its batch is decoded', async () => {
    const entry = (id: string, index: number) => ({
      id,
      file: `${corrupt}/JPEGImages/${id}.jpg`,
      labels: new Uint8Array(1),
      index,
    });
    const set = createImageSet(
      { labelNames: ['x'], entries: [entry('2008_000001', 0), entry('2008_000006', 1)], readBytes },
      { size: [4, 4] },
    );
    const read = async () => {
      for await (const { x, y } of set.batches({ batchSize: 1 })) tf.dispose([x, y]);
    };
    await expect(read()).rejects.toSatisfy(
      (e: unknown) =>
        ImageDecodeError.isInstance(e) && /2008_000006\.jpg: corrupt image/.test(String(e)),
    );
    expect(set.skipped).toEqual([]);
    // decode() of one entry throws its typed error whatever the skip option
    const voc = await loadVoc(corrupt, {
      size: [4, 4],
      split: 'train',
      skip: true,
      convert: false,
    });
    await expect(voc.decode(1)).rejects.toSatisfy(
      (e: unknown) =>
        ImageDecodeError.isInstance(e) && /2008_000005\.jpg: has 1 channels/.test(String(e)),
    );
    // with conversion (the default) the grey image becomes RGB
    const converting = await loadVoc(corrupt, { size: [4, 4], split: 'train', skip: true });
    const grey = await converting.decode(1);
    expect([grey.channels, grey.data[0], grey.data[1], grey.data[2]]).toEqual([3, 90, 90, 90]);
  });
});
