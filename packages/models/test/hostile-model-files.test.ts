import { join } from 'node:path';
import { MlapError } from '@mlap/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { artifactsFromJson, ModelFileError } from '../src/index.js';
import {
  loadGraphModelFiles,
  loadLayersModelFiles,
  readModelArtifacts,
} from '../src/node/index.js';

const hostile = join(import.meta.dirname, 'fixtures', 'hostile');

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('hostile model files', () => {
  it.each([
    ['traversal', /leaves the model folder/],
    ['absolute-path', /is an absolute path/],
    ['url-path', /is a URL/],
    ['huge-declared', /weight shards hold 24 bytes; the manifest declares 40000000008/],
    ['long-shard', /holds 48 bytes; the model's manifest leaves room for 24/],
    ['short-shard', /weight shards hold 16 bytes; the manifest declares 24/],
    ['bad-dtype', /unsupported dtype "float128"/],
    ['unknown-layer', /unknown layer or class type: EvilLayer/],
  ])('%s → ModelFileError naming the file, memory bounded', async (name, pattern) => {
    const file = join(hostile, name, 'model.json');
    const rss = process.memoryUsage().rss;
    const error = await failure(() => loadLayersModelFiles(file));
    // nothing the manifest claims is allocated (no timing assertion: the report quotes times)
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20);
    expect(ModelFileError.isInstance(error), String(error)).toBe(true);
    expect((error as ModelFileError).file).toContain(name);
    expect(error.message).toMatch(pattern);
  });

  it('a graph model with an unknown op → ModelFileError naming the op', async () => {
    const error = await failure(() =>
      loadGraphModelFiles(join(hostile, 'unknown-op', 'model.json')),
    );
    expect(ModelFileError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toMatch(/unsupported op type: EvilOp/);
  });

  it('never reads a shard outside the folder, even through a reader', async () => {
    const asked: string[] = [];
    const reader = async (path: string) => {
      asked.push(path);
      return new Uint8Array(0);
    };
    const manifest = (paths: string[]) => ({
      modelTopology: {},
      weightsManifest: [{ paths, weights: [] }],
    });
    for (const bad of ['a/../../b.bin', '..\\x.bin', 'C:\\w.bin', 'file:///etc/passwd', '']) {
      await expect(artifactsFromJson(manifest([bad]), reader)).rejects.toThrow(ModelFileError);
    }
    expect(asked).toEqual([]);
    await readModelArtifacts(join(hostile, 'unknown-op', 'model.json')); // no shards: fine
  });
});

/** Arbitrary JSON-ish model.json documents, some close to valid. */
const manifestEntry = fc.record({
  name: fc.string({ maxLength: 8 }),
  shape: fc.array(fc.oneof(fc.nat(6), fc.integer(), fc.double()), { maxLength: 3 }),
  dtype: fc.constantFrom('float32', 'int32', 'bool', 'string', 'float64', 'x', 7),
});
const modelJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    modelTopology: fc.oneof(
      fc.constant({}),
      fc.constant({ node: [] }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ class_name: fc.constantFrom('Dense', 'Sequential', 'Nope') }),
    ),
    format: fc.constantFrom('layers-model', 'graph-model', undefined),
    weightsManifest: fc.oneof(
      fc.array(
        fc.record({
          paths: fc.array(
            fc.oneof(fc.constantFrom('w.bin', '../w.bin', '/w', 'http://x/w'), fc.string()),
            { maxLength: 2 },
          ),
          weights: fc.array(manifestEntry, { maxLength: 3 }),
        }),
        { maxLength: 2 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  }),
);

describe('artifactsFromJson (property)', () => {
  it('returns artifacts or throws an mlap error, never reading unsafe paths', async () => {
    await fc.assert(
      fc.asyncProperty(modelJson, fc.nat(64), async (json, shardBytes) => {
        const reader = async (path: string, maxBytes: number | undefined) => {
          expect(path).not.toMatch(/(^|[\\/])\.\.([\\/]|$)|^[\\/]|^[a-z][a-z0-9+.-]*:/i);
          if (maxBytes !== undefined && shardBytes > maxBytes) {
            throw new ModelFileError(path, 'too big');
          }
          return new Uint8Array(shardBytes);
        };
        try {
          await artifactsFromJson(json, reader);
        } catch (error) {
          if (!MlapError.isInstance(error)) throw error;
        }
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});
