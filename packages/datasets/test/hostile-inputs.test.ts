import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  DatasetFormatError,
  decodeImage,
  ImageDecodeError,
  parseMulanLabels,
  parseVocAnnotation,
} from '../src/index.js';
import { readImage, readText } from '../src/node/index.js';

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

/** Runs `check` and asserts it is quick and does not grow the heap by more than 100 MB. */
async function bounded(check: () => Promise<void>): Promise<void> {
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  await check();
  expect(performance.now() - started).toBeLessThan(1000);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(100 * 2 ** 20);
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
