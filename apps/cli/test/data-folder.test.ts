import { writeFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterEach, describe, expect, it } from 'vitest';
import { hasMkfifo, makeFifo, removeScratch, scratchDir } from '../../../test/scratch-files.js';
import { loadCliInputs } from '../src/attack/load-inputs.js';
import { loadCliModel } from '../src/attack/load-model.js';
import { run } from '../src/program.js';

// Temp folders and FIFOs of each test are removed after it (FIFOs unblocked first).
afterEach(removeScratch);

// `mlap attack --data <folder>` reads the folder through the datasets package's image-folder
// loader: each image is checked right before it is read, so a symlink out of the folder, a device
// or a FIFO is a usage error (exit 2) naming the folder, never a read outside it or a hang.

const backend = process.env.MLAP_BACKEND ?? 'cpu';

/** A 56×56 grey PNG (the default model's input) filled with `value`. */
function greyPng(path: string, value: number): void {
  const data = new Uint8Array(56 * 56).fill(value);
  writeFileSync(path, encode({ width: 56, height: 56, data, channels: 1, depth: 8 }));
}

/** `base/photos` with `a.png` (value 0) in it, and `base/outside` with `secret.png` (value 255). */
async function folders(): Promise<{ base: string; photos: string; outside: string }> {
  const base = await scratchDir('mlap-cli-folder-');
  const photos = join(base, 'photos');
  const outside = join(base, 'outside');
  await mkdir(photos);
  await mkdir(outside);
  greyPng(join(photos, 'a.png'), 0);
  greyPng(join(outside, 'secret.png'), 255);
  return { base, photos, outside };
}

/** Runs `mlap attack` on `data` with the default model; its exit code and stderr lines. */
async function attack(base: string, data: string): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    const args = ['attack', '--model', 'default', '--data', data, '--attack', 'ml-deepfool'];
    const more = ['--target', 'random', '--out', join(base, 'o.jsonl'), '--backend', backend];
    const code = await run([...args, ...more], { log: () => {} });
    return { code, errors: errors.join('\n') };
  } finally {
    console.error = original;
  }
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('mlap attack --data <folder> refuses files that are not its own', () => {
  it('a symlink to an image outside the folder → exit 2, the datasets error naming the folder', async () => {
    const { base, photos, outside } = await folders();
    await symlink(join(outside, 'secret.png'), join(photos, 'b.png'));
    const { code, errors } = await attack(base, photos);
    expect(code).toBe(2);
    expect(errors).toMatch(
      new RegExp(
        `^mlap: ${literal(photos)}: "b\\.png" is a symlink that leads outside the folder ${literal(photos)} \\(to .*secret\\.png\\); listed files must stay inside it$`,
      ),
    );
  });

  it('a symlink to /dev/zero → exit 2 before anything is read', async () => {
    const { base, photos } = await folders();
    await symlink('/dev/zero', join(photos, 'b.png'));
    const { code, errors } = await attack(base, photos);
    expect(code).toBe(2);
    expect(errors).toBe(
      `mlap: ${photos}: "b.png" is not a regular file (a device, FIFO or folder); listed files must be regular files`,
    );
  }, 5000);

  it.skipIf(!hasMkfifo)(
    'a FIFO → exit 2, nothing opened (no hang)',
    async () => {
      const { base, photos } = await folders();
      const fifo = join(photos, 'b.png');
      expect(makeFifo(fifo)).toBe(true);
      const { code, errors } = await attack(base, photos);
      expect(code).toBe(2);
      expect(errors).toMatch(/"b\.png" is not a regular file \(a device, FIFO or folder\)/);
    },
    5000,
  );

  it('an image the user names directly may be a device, read only up to the 256 MiB cap → exit 2', async () => {
    const { base } = await folders();
    const zero = join(base, 'zero.png');
    await symlink('/dev/zero', zero);
    const { code, errors } = await attack(base, zero);
    expect(code).toBe(2);
    expect(errors).toBe(
      `mlap: ${zero}: is not a regular file and gave over 268435456 bytes; files over 268435456 bytes are refused`,
    );
  }, 20_000);
});

describe('loadCliInputs on a folder', () => {
  it('reads the images in name order, in the model box; a symlink inside the folder is read; images past the limit are not opened', async () => {
    const { photos } = await folders();
    greyPng(join(photos, 'c.png'), 51);
    await symlink('c.png', join(photos, 'b.png')); // stays inside: read as c.png
    await symlink('/dev/zero', join(photos, 'z.png')); // past the limit: never checked or read
    const { model, dispose } = await loadCliModel('default', undefined);
    try {
      const data = await loadCliInputs(photos, model, undefined, 3);
      expect(data.names).toEqual(['a.png', 'b.png', 'c.png'].map((f) => join(photos, f)));
      expect(data.images).toBe(true);
      expect(data.truth).toBeUndefined();
      expect(data.inputs.shape).toEqual([3, 56, 56, 1]);
      // oracle: grey level v → box.lo + v / 255 × (box.hi − box.lo), every pixel
      const { lo, hi } = model.box;
      const values = data.inputs.dataSync();
      const expected = [0, 51, 51].map((v) => lo + (v / 255) * (hi - lo));
      const worst = Math.max(
        ...values.map((x, i) => Math.abs(x - (expected[Math.floor(i / (56 * 56))] as number))),
      );
      expect(worst).toBeLessThan(1e-6);
      data.inputs.dispose();
      // without the limit, the /dev/zero link is reached and refused
      await expect(loadCliInputs(photos, model, undefined)).rejects.toThrow(
        /"z\.png" is not a regular file/,
      );
    } finally {
      dispose();
    }
  });
});
