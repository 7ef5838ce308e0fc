import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlapError } from '@mlap/tensor';
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  parseArff,
  parseCocoInstances,
  parseCsv,
  parseImageLabels,
  parseMulanLabels,
  parseVocAnnotation,
  parseVocImageSet,
  splitCsv,
} from '../src/index.js';
import { readLineText } from '../src/node/index.js';

/**
 * Property tests over every parser: for arbitrary (and arbitrarily mangled) input each one returns
 * a value or throws an mlap error (no timing assertions; inputs are small). Fixed seed, bounded runs. The parsers do
 * not touch tfjs, so this runs on one backend only.
 */
const RUNS = { seed: 13, numRuns: 200 } as const;

function safely(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!MlapError.isInstance(error)) throw error;
  }
}

/** Text made of `pieces` of the format, so the parser gets past its first checks. */
function textOf(pieces: string[]): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...pieces),
        fc.string({ maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', ',', ' '),
      ),
      {
        maxLength: 60,
      },
    )
    .map((parts) => parts.join(''));
}

const arffText = textOf([
  '@relation r',
  '@attribute a numeric',
  "@attribute 'b c' {0,1}",
  '@attribute L1 {0,1}',
  '@data',
  '{0 1, 2 0}',
  '{9 1}',
  '1,0,1',
  '?',
  'NaN',
  '1e999',
  "'",
  '%',
]);
const csvText = textOf(['a,b,L1,L2', '1,2,0,1', '"x""y"', '"', 'NaN', 'inf', '1e999', ';', '\t']);
const xmlText = textOf([
  '<labels>',
  '</labels>',
  '<label name="a"/>',
  '<label name="a">',
  '</label>',
  '<annotation>',
  '</annotation>',
  '<object><name>cat</name><difficult>1</difficult></object>',
  '<size><width>3</width><height>x</height></size>',
  '<![CDATA[',
  ']]>',
  '<!-- ',
  ' -->',
  '<!DOCTYPE a [<!ENTITY e "ee">]>',
  '&e;',
  '&amp;',
  '&#x110000;',
  '<?xml version="1.0"?>',
]);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const cocoDoc = fc.record({
  images: fc.array(
    fc.record({ id: fc.oneof(fc.nat(4), fc.double()), file_name: fc.string({ maxLength: 4 }) }),
    { maxLength: 4 },
  ),
  annotations: fc.array(
    fc.record({ image_id: fc.nat(5), category_id: fc.nat(5), iscrowd: fc.constantFrom(0, 1) }),
    { maxLength: 6 },
  ),
  categories: fc.array(fc.record({ id: fc.nat(5), name: fc.string({ maxLength: 4 }) }), {
    maxLength: 4,
  }),
});

describe.skipIf(process.env.MLAP_BACKEND === 'wasm')('parsers never crash (property)', () => {
  it('ARFF', () => {
    fc.assert(
      fc.property(arffText, (text) => safely(() => parseArff(text, 'p.arff'))),
      RUNS,
    );
  });

  it('CSV (split and multi-label parse)', () => {
    fc.assert(
      fc.property(
        csvText,
        fc.boolean(),
        fc.constantFrom(',', ';', '\t'),
        (text, skip, delimiter) => {
          safely(() => splitCsv(text, 'p.csv', delimiter));
          safely(() => parseCsv(text, { labels: { last: 2 }, source: 'p.csv', skip, delimiter }));
          safely(() => parseCsv(text, { labels: { names: ['L1'] }, source: 'p.csv', skip }));
        },
      ),
      RUNS,
    );
  });

  it('MULAN label XML and VOC annotation XML', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        safely(() => parseMulanLabels(text, 'p.xml'));
        safely(() => parseVocAnnotation(text, 'p.xml'));
      }),
      RUNS,
    );
  });

  it('COCO instances JSON (random JSON, near-valid documents, mangled text)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          cocoDoc.map((v) => JSON.stringify(v)),
          fc.tuple(cocoDoc, fc.nat(200)).map(([v, cut]) => JSON.stringify(v).slice(0, cut)),
        ),
        fc.boolean(),
        (text, skip) => safely(() => parseCocoInstances(text, { source: 'p.json', skip })),
      ),
      RUNS,
    );
  });

  it('image-folder sidecars (CSV and JSON) and VOC image-set lists', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          csvText,
          jsonValue.map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom<'csv' | 'json'>('csv', 'json'),
        (text, format) => {
          safely(() => parseImageLabels(text, { source: `p.${format}`, format }));
          safely(() => parseVocImageSet(text, 'split.txt'));
        },
      ),
      RUNS,
    );
  });

  const png = encodePng({
    width: 5,
    height: 4,
    channels: 3,
    depth: 8,
    data: new Uint8Array(60).fill(77),
  });
  const jpeg = new Uint8Array(
    encodeJpeg({ width: 8, height: 8, data: new Uint8Array(256).fill(120) }, 80).data,
  );

  it('PNG / JPEG decoding of random and mutated bytes', () => {
    const mutated = (base: Uint8Array) =>
      fc
        .tuple(
          fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 8 }),
          fc.integer({ min: 1, max: base.length }),
        )
        .map(([edits, cut]) => {
          const bytes = base.slice(0, cut);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          return bytes;
        });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated(png), mutated(jpeg)),
        fc.constantFrom<1 | 3 | undefined>(1, 3, undefined),
        fc.boolean(),
        (bytes, channels, convert) => {
          safely(() => {
            const image = decodeImage(bytes, {
              source: 'p.img',
              channels,
              convert,
              maxPixels: 1_000_000,
            });
            expect(image.data.length).toBe(image.width * image.height * image.channels);
          });
        },
      ),
      RUNS,
    );
  });

  it('readLineText: the text back, or the first line over the limit (oracle: split on \\n)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlap-lines-'));
    const file = join(dir, 'lines.txt');
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.string({ maxLength: 12, unit: 'binary' }).map((l) => l.replaceAll('\n', '')),
            { maxLength: 8 },
          ),
          fc.nat(12),
          async (lines, maxLineBytes) => {
            const text = lines.join('\n');
            await writeFile(file, text);
            const bytes = lines.map((l) => Buffer.byteLength(l));
            const tooLong = bytes.findIndex((n) => n > maxLineBytes);
            const read = readLineText(file, { maxLineBytes });
            if (tooLong < 0) expect(await read).toBe(new TextDecoder().decode(Buffer.from(text)));
            else await expect(read).rejects.toMatchObject({ file, line: tooLong + 1 });
          },
        ),
        { ...RUNS, numRuns: 100 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
