import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyScaling,
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  fitScaling,
  labelsOf,
  parseArff,
  parseMulanLabels,
} from '../src/index.js';
import { loadArffFile, readText } from '../src/node/index.js';
import { fixture, hasShared, sharedDir } from './shared-path.js';

describe('ARFF fixtures', () => {
  it('reads dense rows with labels by name in the XML order', async () => {
    const data = await loadArffFile(fixture('tiny-dense.arff'), { xml: fixture('tiny-dense.xml') });
    expect(data.count).toBe(3);
    expect(data.sampleShape).toEqual([3]);
    expect(data.labelNames).toEqual(['L3', 'L1', 'L2']);
    expect(Array.from(data.features)).toEqual([0.5, -1, 2, 1.5, 0, 3, -0.5, 2, 1]);
    // ARFF rows: (1,0,1), (0,1,0), (1,1,1) in order L1, L2, L3 → XML order L3, L1, L2
    expect(Array.from(data.labels)).toEqual([1, 1, 0, 0, 0, 1, 1, 1, 1]);
    expect(data.range).toEqual({ lo: -1, hi: 3 });
  });

  it('reads sparse MEKA rows (labels first, -C 2)', async () => {
    const data = await loadArffFile(fixture('tiny-sparse.arff'));
    expect(data.labelNames).toEqual(['A', 'B']);
    expect(data.count).toBe(4);
    expect(Array.from(data.features)).toEqual([0.25, 0, 3, 0, -2, 0, 0, 0, 0, 1, 1, 1]);
    expect(labelsOf(data, 0)).toEqual([0]);
    expect(labelsOf(data, 1)).toEqual([1]);
    expect(labelsOf(data, 2)).toEqual([]);
  });

  it.each([
    ['corrupt-value.arff', 12, /"zero" of numeric attribute "Att 2"/],
    ['corrupt-width.arff', 13, /5 values; the header declares 6/],
    ['corrupt-label.arff', 13, /value "2" is not one of \{0,1\} of attribute "L2"/],
    ['corrupt-sparse.arff', 9, /sparse index 9/],
  ])('%s → DatasetFormatError with file and line %i', async (name, line, message) => {
    const xml = name.includes('sparse') ? {} : { xml: fixture('tiny-dense.xml') };
    const error = await loadArffFile(fixture(name), xml).catch((e: unknown) => e);
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: fixture(name), line });
    expect(String((error as Error).message)).toMatch(message);
    expect((error as Error).message).toContain(`${name}:${line}`);
  });

  it('malformed XML → DatasetFormatError with its line; unknown label → DatasetLabelError', async () => {
    const xmlError = await loadArffFile(fixture('tiny-dense.arff'), {
      xml: fixture('corrupt.xml'),
    }).catch((e: unknown) => e);
    expect(xmlError).toMatchObject({
      code: 'dataset-format',
      file: fixture('corrupt.xml'),
      line: 5,
    });
    const labelError = await loadArffFile(fixture('tiny-dense.arff'), {
      xml: fixture('unknown-label.xml'),
    }).catch((e: unknown) => e);
    expect(DatasetLabelError.isInstance(labelError)).toBe(true);
    expect(labelError).toMatchObject({ label: 'L9' });
  });

  it('missing file → DatasetFileError naming it; no label info → DatasetFormatError', async () => {
    const missing = await loadArffFile(fixture('nope.arff')).catch((e: unknown) => e);
    expect(DatasetFileError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toContain('nope.arff: file not found');
    await expect(loadArffFile(fixture('tiny-dense.arff'))).rejects.toThrow(/no label information/);
  });

  it('rejects a header without @data and an unsupported attribute type', () => {
    expect(() => parseArff('@relation r\n@attribute a numeric\n', 'h.arff')).toThrow(/no @data/);
    expect(() => parseArff('@relation r\n@attribute a string\n@data\n', 'h.arff')).toThrow(
      /h\.arff:2: .*unsupported type "string"/,
    );
    expect(() => parseMulanLabels('<labels></labels>', 'e.xml')).toThrow(/no <label/);
  });
});

describe.skipIf(!hasShared)('real MULAN files in ../shared/datasets', () => {
  const dir = join(sharedDir, 'datasets');

  it('yeast: 1500 × 103, 14 labels in XML order matched by name', async () => {
    const train = await loadArffFile(join(dir, 'yeast/yeast-train.arff'), {
      xml: join(dir, 'yeast/yeast.xml'),
    });
    expect(train.count).toBe(1500);
    expect(train.sampleShape).toEqual([103]);
    expect(train.labelNames.slice(0, 5)).toEqual([
      'Class1',
      'Class2',
      'Class3',
      'Class6',
      'Class4',
    ]);
    const positives = train.labelNames.map((_, j) => {
      let n = 0;
      for (let i = 0; i < train.count; i++) n += train.labels[i * 14 + j] as number;
      return n;
    });
    // per-label positives from SOURCE.md, in XML order
    expect(positives).toEqual([
      476, 645, 598, 378, 532, 161, 198, 441, 261, 289, 98, 1128, 1116, 21,
    ]);
    const cardinality = positives.reduce((a, b) => a + b, 0) / train.count;
    expect(cardinality).toBeCloseTo(4.228, 3);
    const scaled = applyScaling(train, fitScaling(train));
    expect(Array.from(scaled.features).reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(Array.from(scaled.features).reduce((a, b) => Math.max(a, b))).toBe(1);
  });

  it('scene: 1196 test rows × 294 features in [0, 1], 6 labels', async () => {
    const test = await loadArffFile(join(dir, 'scene/scene-test.arff'), {
      xml: join(dir, 'scene/scene.xml'),
    });
    expect(test.count).toBe(1196);
    expect(test.sampleShape).toEqual([294]);
    expect(test.labelNames).toEqual([
      'Beach',
      'Sunset',
      'FallFoliage',
      'Field',
      'Mountain',
      'Urban',
    ]);
    let beach = 0;
    for (let i = 0; i < test.count; i++) beach += test.labels[i * 6] as number;
    expect(beach).toBe(200);
    expect(test.range.lo).toBeGreaterThanOrEqual(0);
    expect(test.range.hi).toBeLessThanOrEqual(1);
  });

  it('corrupted copies of yeast and scene fail with the file and the exact line', async () => {
    for (const [file, cut] of [
      ['yeast/yeast-train.arff', 200],
      ['scene/scene-test.arff', 500],
    ] as const) {
      const lines = (await readText(join(dir, file))).split('\n');
      lines[cut - 1] = (lines[cut - 1] as string).slice(0, 40); // a truncated row
      const error = (() => {
        try {
          parseArff(lines.join('\n'), `corrupt-${file}`);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toMatchObject({ code: 'dataset-format', file: `corrupt-${file}`, line: cut });
    }
  });
});
