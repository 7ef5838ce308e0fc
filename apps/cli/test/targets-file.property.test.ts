import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlapError } from '@mlap/tensor';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readTargetsFile } from '../src/attack/target-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'mlap-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = fc.record(
  {
    index: fc.oneof(fc.nat(5), fc.integer(), fc.double(), fc.string({ maxLength: 2 })),
    target: fc.oneof(
      fc.array(fc.constantFrom(0, 1, null), { minLength: 3, maxLength: 3 }),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
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
            const targets = readTargetsFile(file, 6, 3);
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
