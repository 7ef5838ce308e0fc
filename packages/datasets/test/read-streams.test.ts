import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterEach, describe, expect, it } from 'vitest';
import { hasMkfifo, makeFifo, removeScratch, scratchDir } from '../../../test/scratch-files.js';
import { DatasetFileError } from '../src/index.js';
import { readBytes, readImage, readLineText, readText } from '../src/node/index.js';

// Temp folders and FIFOs of each test are removed after it (FIFOs unblocked first).
afterEach(removeScratch);

// User-named paths that are not regular files (devices, FIFOs, `<(…)`) have a stat size of 0: they
// are read as streams and refused once they pass the cap, instead of being read without bound.

/**
 * A FIFO fed `bytes` by a child process (`cat`), as `<(…)` would be: the writer blocks until the
 * reader opens it. An early-closing reader makes the writer fail with EPIPE, which is ignored.
 */
async function fedFifo(bytes: Uint8Array): Promise<string> {
  const dir = await scratchDir('mlap-fifo-');
  const fifo = join(dir, 'pipe');
  expect(makeFifo(fifo)).toBe(true);
  const source = join(dir, 'source');
  writeFileSync(source, bytes);
  const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', source, fifo], { stdio: 'ignore' });
  writer.on('error', () => {});
  return fifo;
}

/** The rejection of `read`, checked to be the size error of a stream over `cap` naming `path`. */
async function expectStreamCap(read: Promise<unknown>, path: string, cap: number): Promise<void> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(DatasetFileError.isInstance(error), String(error)).toBe(true);
  expect((error as DatasetFileError).file).toBe(path);
  expect((error as Error).message).toBe(
    `${path}: is not a regular file and gave over ${cap} bytes; files over ${cap} bytes are refused`,
  );
}

describe('devices named by the user are read up to the cap', () => {
  it('/dev/zero → the size error once the cap is passed (readBytes, readImage, readText)', async () => {
    await expectStreamCap(readBytes('/dev/zero', 1000), '/dev/zero', 1000);
    await expectStreamCap(readImage('/dev/zero', { maxBytes: 4096 }), '/dev/zero', 4096);
    await expectStreamCap(readText('/dev/zero', 100), '/dev/zero', 100);
    // one byte of cap: the smallest stream that passes it
    await expectStreamCap(readBytes('/dev/zero', 0), '/dev/zero', 0);
  }, 5000);

  it('/dev/zero under the default image cap stops at 256 MiB without keeping more', async () => {
    const rss = process.memoryUsage().rss;
    await expectStreamCap(readImage('/dev/zero'), '/dev/zero', 256 * 1024 * 1024);
    // the kept bytes (at most the cap) are garbage once refused; nothing near 2 GiB was read
    expect(process.memoryUsage().rss - rss).toBeLessThan(600 * 1024 * 1024);
  }, 20_000);

  it('/dev/null (a device that ends) reads as empty', async () => {
    expect(await readBytes('/dev/null', 10)).toEqual(new Uint8Array(0));
  });
});

describe.skipIf(!hasMkfifo)('FIFOs named by the user', () => {
  it('a FIFO fed a few bytes → exactly those bytes', async () => {
    const bytes = new TextEncoder().encode('hello, pipe\n');
    expect(await readBytes(await fedFifo(bytes), 64)).toEqual(bytes);
  }, 5000);

  it('a FIFO fed a PNG decodes to its pixels (readImage)', async () => {
    const data = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => (i * 13) % 256);
    const png = encodePng({ width: 3, height: 2, data, channels: 3, depth: 8 });
    const image = await readImage(await fedFifo(png), { channels: 3 });
    expect([image.width, image.height, image.channels]).toEqual([3, 2, 3]);
    expect(image.data).toEqual(data);
  }, 5000);

  it('a FIFO fed more than the cap → the size error, without waiting for the writer', async () => {
    const fifo = await fedFifo(new Uint8Array(200_000).fill(7));
    await expectStreamCap(readBytes(fifo, 1000), fifo, 1000);
  }, 5000);

  it('a FIFO fed exactly the cap is read', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(await readBytes(await fedFifo(bytes), 70_000)).toEqual(bytes);
  }, 5000);

  it('readLineText reads a multi-chunk FIFO whole (the bytes past stat size kept in order)', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const text = Array.from({ length: 30_000 }, (_, i) => `${i},${line}`).join('');
    const read = await readLineText(await fedFifo(new TextEncoder().encode(text)));
    expect(read.length).toBe(text.length);
    expect(read).toBe(text);
  }, 10_000);
});
