import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  DatasetLabelError,
  decodeImage,
  ImageDecodeError,
  MAX_DATA_CELLS,
  parseArff,
  parseCocoInstances,
  parseJson,
  parseMulanLabels,
  parseVocAnnotation,
} from '../src/index.js';
import {
  loadArffFile,
  loadCoco,
  loadCsvFile,
  loadImageFolder,
  loadVoc,
  MAX_LINE_BYTES,
  readImage,
  readLineText,
  readText,
} from '../src/node/index.js';

const hostile = join(import.meta.dirname, 'fixtures', 'hostile');

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function rejected(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/**
 * Runs `check` and asserts it grows the process (resident set) by less than 100 MB. Time is not
 * asserted (no timing assertions in tests); measured times are quoted in docs/inputs.md.
 */
async function bounded(check: () => Promise<void>): Promise<void> {
  const rss = process.memoryUsage().rss;
  await check();
  expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20);
}

describe('hostile XML', () => {
  it.each([
    ['billion-laughs.xml', parseMulanLabels, /:2: <!DOCTYPE> declarations are not allowed/],
    ['xxe.xml', parseVocAnnotation, /:2: <!DOCTYPE> declarations are not allowed/],
    ['xxe-labels.xml', parseMulanLabels, /:2: <!DOCTYPE> declarations are not allowed/],
  ])(
    '%s → DatasetFormatError with the line, nothing expanded or fetched',
    async (name, parse, pattern) => {
      await bounded(async () => {
        const file = join(hostile, name);
        const text = await readFile(file, 'utf8');
        const error = thrown(() => parse(text, file));
        expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
        expect(error.message).toMatch(pattern);
        expect(error.message.startsWith(file)).toBe(true);
      });
    },
  );

  it('a stray entity declaration without DOCTYPE is refused too', () => {
    expect(() =>
      parseVocAnnotation(
        '<annotation>\n<!ENTITY a "b"><object><name>cat</name></object></annotation>',
        'v.xml',
      ),
    ).toThrow(/v\.xml:2: <!ENTITY> declarations are not allowed/);
  });

  it('predefined and numeric entities still decode; others stay as written', () => {
    expect(
      parseMulanLabels('<labels><label name="a&amp;b"/><label name="&#x41;&unknown;"/></labels>'),
    ).toEqual(['a&b', 'A&unknown;']);
  });
});

describe('hostile images', () => {
  it.each([
    [
      'bomb-100k.png',
      /PNG header declares 100000×100000 = 10000000000 pixels, over the budget of 64000000/,
    ],
    ['bomb-65k.jpg', /JPEG header declares 65535×65535 = 4294836225 pixels, over the budget/],
    ['truncated.png', /corrupt image/],
    ['header-only.jpg', /corrupt image: truncated JPEG header/],
  ])('%s → ImageDecodeError naming the file, before decoding', async (name, pattern) => {
    await bounded(async () => {
      const file = join(hostile, name);
      const error = await rejected(() => readImage(file));
      expect(ImageDecodeError.isInstance(error), String(error)).toBe(true);
      expect((error as ImageDecodeError).file).toBe(file);
      expect(error.message).toMatch(pattern);
    });
  });

  it('the pixel budget is configurable', async () => {
    const file = join(hostile, 'grey-alpha.png');
    expect((await readImage(file)).channels).toBe(2);
    await expect(readImage(file, { maxPixels: 3 })).rejects.toThrow(
      /2×2 = 4 pixels, over the budget of 3/,
    );
  });

  it('a wrong channel count → ImageDecodeError when conversion is off', async () => {
    const file = join(hostile, 'grey-alpha.png');
    await expect(readImage(file, { channels: 3, convert: false })).rejects.toThrow(
      /grey-alpha\.png: has 2 channels; expected 3/,
    );
    expect((await readImage(file, { channels: 3 })).channels).toBe(3);
  });

  it('decodeImage names the source for a bomb given as bytes', () => {
    const error = thrown(() =>
      decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 0, 0, 9]), {
        source: 'z.jpg',
      }),
    );
    expect(error.message).toMatch(/^z\.jpg: corrupt image: JPEG header declares 9×0/);
  });
});

describe('hostile text files', () => {
  it('a file larger than the text limit is refused before it is read (a 600 MB sparse file)', async () => {
    const file = join(tmpdir(), `mlap-huge-${process.pid}.csv`);
    const handle = await open(file, 'w');
    await handle.truncate(600 * 2 ** 20); // sparse: no disk used, never read
    await handle.close();
    try {
      await bounded(async () => {
        const error = await rejected(() => readText(file));
        expect(DatasetFileError.isInstance(error), String(error)).toBe(true);
        expect(error.message).toMatch(/is 629145600 bytes; files over 536870912 bytes are refused/);
      });
      await expect(readText(file, 100)).rejects.toThrow(/files over 100 bytes/);
    } finally {
      await rm(file, { force: true });
    }
  });
});

/** Writes `head` and extends the file, sparsely, to `bytes`: the rest reads as one line of NULs. */
async function sparseFile(file: string, head: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  await handle.write(head);
  await handle.truncate(bytes); // sparse: no disk used
  await handle.close();
}

describe('a 1 GB line (a sparse file made at test time)', () => {
  const GB = 2 ** 30;
  it.each([
    [
      'ARFF',
      'line.arff',
      '@relation r\n@attribute a numeric\n@attribute L1 {0,1}\n@data\n0.5,1\n',
      6,
      (file: string) => loadArffFile(file, { labels: { names: ['L1'] } }),
    ],
    [
      'CSV',
      'line.csv',
      'a,L1\n0.5,1\n',
      3,
      (file: string) => loadCsvFile(file, { labels: { last: 1 } }),
    ],
  ])(
    '%s → DatasetFormatError naming the file and line, memory bounded',
    async (_, name, head, line, load) => {
      const dir = await mkdtemp(join(tmpdir(), 'mlap-line-'));
      const file = join(dir, name);
      try {
        await sparseFile(file, head, GB);
        await bounded(async () => {
          const error = await rejected(() => load(file));
          expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
          expect(error).toMatchObject({ file, line });
          expect(error.message).toBe(
            `${file}:${line}: line is longer than ${MAX_LINE_BYTES} bytes, the line limit (maxLineBytes)`,
          );
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('the line limit is configurable, counts bytes, and a file within it reads whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlap-line-'));
    const file = join(dir, 'lines.csv');
    try {
      // lines of 3, 5 (é is 2 bytes in UTF-8) and 4 bytes
      await writeFile(file, 'a,b\r\n12,é\n0,1\n');
      expect(await readLineText(file, { maxLineBytes: 5 })).toBe('a,b\r\n12,é\n0,1\n');
      await expect(readLineText(file, { maxLineBytes: 4 })).rejects.toThrow(
        /lines\.csv:2: line is longer than 4 bytes/,
      );
      await expect(readLineText(file, { maxBytes: 10 })).rejects.toThrow(
        /is over 10 bytes; larger files are refused/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile ARFF and CSV', () => {
  it.each([
    [
      'meka-huge-count.arff',
      undefined,
      /MEKA label count 2000000000 leaves no feature: the file declares 3 attributes/,
    ],
    ['sparse-huge-index.arff', 6, /sparse index 2147483647 is outside the 2 attributes/],
    ['nan.arff', 7, /value "NaN" of numeric attribute "b" is not a finite number/],
    ['infinity.arff', 7, /value "Infinity" of numeric attribute "b" is not a finite number/],
    ['overflow.arff', 8, /value "1e999" of numeric attribute "a" is not a finite number/],
  ])('%s → DatasetFormatError naming the file (line %s)', async (name, line, pattern) => {
    await bounded(async () => {
      const file = join(hostile, name);
      const error = await rejected(() => loadArffFile(file));
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect(error).toMatchObject({ file, line });
      expect(error.message).toMatch(pattern);
    });
  });

  it('a header and sparse rows declaring more cells than the budget → refused before allocating', async () => {
    // 20,000 attributes × 20,000 empty sparse rows: 420 kB of text declaring 4 × 10⁸ values
    const width = 20_000;
    const text = [
      '@relation wide',
      ...Array.from({ length: width }, (_, i) => `@attribute a${i} numeric`),
      '@data',
      ...Array.from({ length: width }, () => '{}'),
    ].join('\n');
    await bounded(async () => {
      const error = thrown(() => parseArff(text, 'wide.arff'));
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toBe(
        `wide.arff:${width + 2}: data rows × attributes: 20000 × 20000 = 400000000 cells, ` +
          `over the budget of ${MAX_DATA_CELLS} (maxCells)`,
      );
    });
    const small = '@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1,2\n3,4\n5,6';
    expect(parseArff(small, 's.arff', 6).numRows).toBe(3);
    expect(() => parseArff(small, 's.arff', 5)).toThrow(/s\.arff:4: .*3 × 2 = 6 cells/);
  });

  it.each([
    ['few-columns.csv', { last: 9 }, 1, /has 3 columns; 9 label columns leave no feature/],
    ['overflow.csv', { last: 1 }, 3, /column "b" holds "1e999": NaN and ∞ are not allowed/],
  ])('%s → DatasetFormatError naming the file and line', async (name, labels, line, pattern) => {
    const file = join(hostile, name);
    const error = await rejected(() => loadCsvFile(file, { labels }));
    expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
    expect(error).toMatchObject({ file, line });
    expect(error.message).toMatch(pattern);
  });
});

describe('hostile COCO annotation JSON', () => {
  it('a category id that does not exist → DatasetLabelError naming the file and the id', async () => {
    const file = join(hostile, 'coco-unknown-category.json');
    const text = await readFile(file, 'utf8');
    const error = thrown(() => parseCocoInstances(text, { source: file }));
    expect(DatasetLabelError.isInstance(error), String(error)).toBe(true);
    expect(error).toMatchObject({ file, label: '999' });
    // with skip, only that image is left out, and reported
    const kept = parseCocoInstances(text, { source: file, skip: true });
    expect(kept.images.map((im) => im.id)).toEqual([1]);
    expect(kept.skipped).toHaveLength(1);
  });

  it('a file_name climbing out of the image folder → DatasetFormatError, nothing read', async () => {
    const file = join(hostile, 'coco-traversal.json');
    const error = await rejected(() => loadCoco(file, { size: [4, 4], checkFiles: false }));
    expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toMatch(
      /coco-traversal\.json: "\.\.\/\.\.\/.*etc\/passwd" is outside the folder .*hostile; listed files must stay inside it/,
    );
  });

  it('100,000 categories × 100,000 images → refused before 10 GB of labels are allocated', async () => {
    const n = 100_000;
    const text = JSON.stringify({
      images: Array.from({ length: n }, (_, i) => ({ id: i, file_name: `${i}.jpg` })),
      annotations: [],
      categories: Array.from({ length: n }, (_, i) => ({ id: i, name: `c${i}` })),
    });
    await bounded(async () => {
      const error = thrown(() => parseCocoInstances(text, { source: 'big.json' }));
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toBe(
        `big.json: images × categories: 100000 × 100000 = 10000000000 cells, over the budget of ${MAX_DATA_CELLS} (maxCells)`,
      );
    });
  });

  it('JSON nested a million deep → DatasetFormatError naming the file, before parsing', async () => {
    const depth = 1_000_000;
    const deep = `{"images":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const cut = `{"images":${'['.repeat(depth)}`;
    await bounded(async () => {
      for (const text of [deep, cut]) {
        const error = thrown(() => parseCocoInstances(text, { source: 'deep.json' }));
        expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
        expect(error.message).toBe('deep.json:1: JSON nested deeper than 256 levels');
      }
    });
    // brackets inside strings (escaped quotes included) do not count
    const nested = (d: number) => `${'['.repeat(d)}"\\"[[[\\\\"${']'.repeat(d)}`;
    expect(parseJson(nested(256), 'ok.json')).toBeDefined();
    expect(() => parseJson(`[\n${nested(256)}]`, 'no.json')).toThrow(/^no\.json:2: JSON nested/);
  });
});

describe('hostile image paths and image files', () => {
  it('a sidecar naming a file outside the folder → DatasetFormatError naming the sidecar', async () => {
    const sidecar = join(hostile, 'sidecar-traversal.csv');
    const error = await rejected(() =>
      loadImageFolder(hostile, { labels: sidecar, size: [4, 4], checkFiles: false }),
    );
    expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
    expect((error as DatasetFormatError).file).toBe(sidecar);
    expect(error.message).toMatch(/etc\/hostname" is outside the folder/);
  });

  it('a VOC split id climbing out of the devkit folder → DatasetFormatError naming the list', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlap-voc-'));
    const list = join(root, 'ImageSets', 'Main', 'trainval.txt');
    try {
      await mkdir(join(root, 'ImageSets', 'Main'), { recursive: true });
      await writeFile(list, '../../../../../../etc/passwd\n');
      const error = await rejected(() => loadVoc(root, { size: [4, 4] }));
      expect(DatasetFormatError.isInstance(error), String(error)).toBe(true);
      expect((error as DatasetFormatError).file).toBe(list);
      expect(error.message).toMatch(/etc\/passwd\.xml" is outside the folder/);
      const skipped = await loadVoc(root, { size: [4, 4], skip: true });
      expect(skipped.count).toBe(0);
      expect(skipped.skipped).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('an image file over the size limit is refused before it is read (a sparse 300 MB PNG)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlap-bigimage-'));
    const file = join(dir, 'big.png');
    try {
      await sparseFile(file, '\x89PNG\r\n\x1a\n', 300 * 2 ** 20);
      await bounded(async () => {
        const error = await rejected(() => readImage(file));
        expect(DatasetFileError.isInstance(error), String(error)).toBe(true);
        expect(error.message).toBe(
          `${file}: is 314572800 bytes; files over 268435456 bytes are refused`,
        );
        // the image loaders apply it too; with skip the image is reported, not fatal
        const set = await loadImageFolder(dir, { size: [4, 4], skip: true });
        const data = await set.toData();
        expect(data.count).toBe(0);
        expect(data.skipped[0]?.reason).toMatch(/files over 268435456 bytes are refused/);
      });
      await expect(
        (await loadImageFolder(dir, { size: [4, 4], maxImageBytes: 100 })).decode(0),
      ).rejects.toThrow(/files over 100 bytes are refused/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the image loaders apply the pixel budget (maxPixels) to every image', async () => {
    const set = await loadImageFolder(hostile, { size: [4, 4], skip: true });
    const data = await set.toData();
    const reasons = data.skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/bomb-100k\.png: PNG header declares 100000×100000/);
    expect(reasons).toMatch(/bomb-65k\.jpg: JPEG header declares 65535×65535/);
    const tight = await loadImageFolder(hostile, { size: [4, 4], maxPixels: 3 });
    const grey = tight.entries.findIndex((e) => e.file.endsWith('grey-alpha.png'));
    await expect(tight.decode(grey)).rejects.toThrow(/2×2 = 4 pixels, over the budget of 3/);
  });
});
