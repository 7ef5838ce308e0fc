import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  labelsOf,
  parseCsv,
  splitCsv,
} from '../src/index.js';
import { loadArffFile, loadCsvFile } from '../src/node/index.js';
import { fixture, hasShared, sharedDir } from './shared-path.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('splitCsv', () => {
  it('handles quotes, doubled quotes, line breaks in quotes, CRLF and a BOM', () => {
    const records = splitCsv('\ufeffa,"b,c", d \r\n"x""y","multi\nline",z\n\n3,4,5');
    expect(records).toEqual([
      { fields: ['a', 'b,c', 'd'], line: 1 },
      { fields: ['x"y', 'multi\nline', 'z'], line: 2 },
      { fields: ['3', '4', '5'], line: 5 },
    ]);
    expect(splitCsv('a;b\n1;2', 's', ';')[1]?.fields).toEqual(['1', '2']);
  });

  it('unterminated quote → DatasetFormatError at the line it opened', async () => {
    const error = await loadCsvFile(fixture('corrupt-quote.csv'), { labels: { last: 1 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'dataset-format',
      file: fixture('corrupt-quote.csv'),
      line: 3,
    });
    expect(String(error)).toMatch(/unterminated " quote/);
  });
});

describe('CSV loader', () => {
  it('labels by name (header order kept as named), ignored id column, blank lines', async () => {
    const data = await loadCsvFile(fixture('tiny.csv'), {
      labels: { names: ['bird, small', 'cat', 'dog'] },
      ignore: ['id'],
    });
    expect(data.count).toBe(3);
    expect(data.sampleShape).toEqual([3]);
    expect(data.labelNames).toEqual(['bird, small', 'cat', 'dog']);
    expect(Array.from(data.features)).toEqual([0.5, -1, 2, 1.5, 0, 3, -0.5, 2, 1]);
    expect(labelsOf(data, 0)).toEqual([0, 1]);
    expect(labelsOf(data, 1)).toEqual([2]);
    expect(labelsOf(data, 2)).toEqual([0, 1, 2]);
    expect(Array.from(data.rowLines)).toEqual([2, 3, 5]);
    expect(data.range).toEqual({ lo: -1, hi: 3 });
    expect(data.skipped).toEqual([]);
  });

  it('labels by count; header detected as absent when every field is a number', async () => {
    const first = await loadCsvFile(fixture('tiny-noheader.csv'), { labels: { first: 2 } });
    expect(first.labelNames).toEqual(['column 1', 'column 2']);
    expect(Array.from(first.features)).toEqual([0.25, 0.75, Math.fround(0.001), -2]);
    expect(labelsOf(first, 0)).toEqual([0]);
    const last = parseCsv('a,b,c\n0.5,1,0\n', { labels: { last: 2 } });
    expect(last.labelNames).toEqual(['b', 'c']);
    expect(Array.from(last.features)).toEqual([0.5]);
  });

  it.each([
    [3, /column "f2" holds "NaN": NaN and ∞ are not allowed/],
    [4, /column "f2" holds "inf": NaN and ∞/],
    [5, /column "f2" holds "-Infinity": NaN and ∞/],
    [6, /column "f2" holds "abc", which is not a number/],
    [7, /column "f2" is empty/],
    [8, /label column "A" holds "2"; expected 0 or 1/],
    [9, /row has 3 values; expected 4/],
  ])('corrupt row at line %i → DatasetFormatError with file and line', (line, message) => {
    const lines = [
      'f1,f2,A,B',
      ...Array.from({ length: 9 }, (_, i) => (i + 2 === line ? '' : `${i},${i},1,0`)),
    ];
    const bad = (
      [
        '0.3,NaN,0,1',
        '0.5,inf,1,1',
        '0.7,-Infinity,0,0',
        '0.9,abc,1,0',
        '1.1,,0,1',
        '1.3,1.4,2,0',
        '1.5,1.6,1',
      ] as const
    )[line - 3] as string;
    lines[line - 1] = bad;
    const error = caught(() =>
      parseCsv(lines.join('\n'), { labels: { last: 2 }, source: 'x.csv' }),
    );
    expect(DatasetFormatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: 'x.csv', line });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`x.csv:${line}: `);
  });

  it('skip: every bad row is skipped and reported (index, file, line), good rows kept', async () => {
    const seen: number[] = [];
    const data = await loadCsvFile(fixture('corrupt-values.csv'), {
      labels: { names: ['A', 'B'] },
      skip: true,
      onSkip: (s) => seen.push(s.index),
    });
    expect(data.count).toBe(2);
    expect(Array.from(data.rowLines)).toEqual([2, 10]);
    expect(Array.from(data.features)).toEqual([
      expect.closeTo(0.1, 6),
      expect.closeTo(0.2, 6),
      expect.closeTo(1.7, 6),
      expect.closeTo(1.8, 6),
    ]);
    expect(data.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const s of data.skipped) {
      expect(s.file).toBe(fixture('corrupt-values.csv'));
      expect(s.reason).toContain(`corrupt-values.csv:${s.index + 2}:`);
      expect(DatasetFormatError.isInstance(s.error)).toBe(true);
    }
    // without skip the first bad row fails
    await expect(
      loadCsvFile(fixture('corrupt-values.csv'), { labels: { names: ['A', 'B'] } }),
    ).rejects.toMatchObject({ code: 'dataset-format', line: 3 });
  });

  it('unknown label column → DatasetLabelError; missing file → DatasetFileError', async () => {
    const error = await loadCsvFile(fixture('tiny.csv'), { labels: { names: ['cow'] } }).catch(
      (e: unknown) => e,
    );
    expect(DatasetLabelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ label: 'cow', file: fixture('tiny.csv') });
    const missing = await loadCsvFile(fixture('none.csv'), { labels: { last: 1 } }).catch(
      (e: unknown) => e,
    );
    expect(DatasetFileError.isInstance(missing)).toBe(true);
    expect(() => parseCsv('1,2\n3,4', { labels: { names: ['a'] } })).toThrow(/need a header row/);
    expect(() => parseCsv('a,b\n1,0', { labels: { last: 2 } })).toThrow(/label count/);
  });
});

describe.skipIf(!hasShared)('CSV export of the real yeast file', () => {
  const tmp = mkdtemp(join(tmpdir(), 'mlap-csv-'));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it('loads exactly what the ARFF loader loads', async () => {
    const dir = join(sharedDir, 'datasets', 'yeast');
    const arff = await loadArffFile(join(dir, 'yeast-test.arff'), { xml: join(dir, 'yeast.xml') });
    const F = arff.sampleShape[0] as number;
    const L = arff.labelNames.length;
    const header = [...Array.from({ length: F }, (_, f) => `Att${f + 1}`), ...arff.labelNames];
    const rows = Array.from({ length: arff.count }, (_, i) =>
      [
        ...Array.from(arff.features.subarray(i * F, (i + 1) * F), (v) => String(v)),
        ...Array.from(arff.labels.subarray(i * L, (i + 1) * L), String),
      ].join(','),
    );
    const path = join(await tmp, 'yeast-test.csv');
    await writeFile(path, `${header.join(',')}\n${rows.join('\n')}\n`);
    const csv = await loadCsvFile(path, { labels: { names: arff.labelNames } });
    expect(csv.count).toBe(917);
    expect(csv.labelNames).toEqual(arff.labelNames);
    expect(csv.features).toEqual(arff.features);
    expect(csv.labels).toEqual(arff.labels);
  });
});
