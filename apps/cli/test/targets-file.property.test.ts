import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlapError } from '@mlap/tensor';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readTargetsFile } from '../src/attack/target-spec.js';
import { UsageError } from '../src/attack/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'mlap-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = fc.record(
  {
    index: fc.oneof(fc.nat(5), fc.integer(), fc.double(), fc.string({ maxLength: 2 })),
    target: fc.oneof(
      fc.array(fc.constantFrom(0, 1, null), { minLength: 3, maxLength: 3 }),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
      fc.array(fc.constantFrom('a', 'b', 'c', 'zz'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'zz'), fc.constantFrom(0, 1, null, 2)),
    ),
  },
  { requiredKeys: [] },
);

/** Targets files (valid, near-valid, random JSON, cut JSON) never crash the reader. */
describe.skipIf(process.env.MLAP_BACKEND === 'wasm')('readTargetsFile (property)', () => {
  it('returns checked targets or throws a UsageError naming the file', () => {
    const file = join(dir, 'targets.json');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(entry, { maxLength: 5 }).map((v) => JSON.stringify(v, null, 1)),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc
            .tuple(fc.array(entry, { maxLength: 5 }), fc.nat(120))
            .map(([v, cut]) => JSON.stringify(v, null, 1).slice(0, cut)),
        ),
        (text) => {
          writeFileSync(file, text);
          try {
            const targets = readTargetsFile(file, 6, 3, ['a', 'b', 'c']);
            for (const [index, target] of targets) {
              expect(Number.isInteger(index) && index >= 0 && index < 6).toBe(true);
              expect(target.every((v) => v === 0 || v === 1 || v === null)).toBe(true);
            }
          } catch (error) {
            if (!MlapError.isInstance(error)) throw error;
            expect((error as Error).message.startsWith(file)).toBe(true);
          }
        },
      ),
      { seed: 13, numRuns: 200 },
    );
  });

  it('a JSON syntax error names the line', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '[\n {"index": 0,\n  "target": [0, 1, x]}\n]');
    expect(() => readTargetsFile(file, 3, 3)).toThrow(/broken\.json:3: cannot read targets/);
  });
});

describe('readTargetsFile: label names', () => {
  const names = ['cat', 'dog', 'car'];
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('a list of names sets exactly those labels; an object of names leaves the rest null', () => {
    const file = write('named.json', [
      { index: 0, target: ['dog'] },
      { index: 2, target: { car: 1, cat: 0 } },
      { index: 1, target: [1, null, 0] },
    ]);
    const targets = readTargetsFile(file, 3, 3, names);
    expect(targets.get(0)).toEqual([0, 1, 0]);
    expect(targets.get(2)).toEqual([0, null, 1]);
    expect(targets.get(1)).toEqual([1, null, 0]);
  });

  it.each([
    [
      [{ index: 0, target: ['dog', 'horse'] }],
      /entry 0: label "horse" is not one of the model's labels \(cat, dog, car\)/,
    ],
    [
      [{ index: 1, target: { cat: 1, Dog: 0 } }],
      /entry 0: label "Dog" is not one of the model's labels/,
    ],
    [[{ index: 1, target: { cat: 2 } }], /entry 0: target "cat" must be 0, 1 or null/],
  ])(
    'an unknown label or bad value → UsageError naming the file, entry and label',
    (value, pattern) => {
      const file = write('unknown.json', value);
      let error: unknown;
      try {
        readTargetsFile(file, 3, 3, names);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('usage');
      expect((error as Error).message.startsWith(`${file}: entry 0: `)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    },
  );

  it('names cannot be checked against a model without label names → UsageError', () => {
    const file = write('nameless.json', [{ index: 0, target: ['cat'] }]);
    expect(() => readTargetsFile(file, 3, 3)).toThrow(
      /label "cat" is not one of the model's labels \(the model has no label names\)/,
    );
  });
});
