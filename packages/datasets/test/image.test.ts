import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  DatasetFileError,
  decodeImage,
  ImageDecodeError,
  imagesToBatch,
  imageToTensor,
} from '../src/index.js';
import { readBytes, readImage } from '../src/node/index.js';
import { hasShared, sharedDir } from './shared-path.js';

/** A 4×3 RGBA PNG with a known gradient. */
function tinyPng(channels: 1 | 3 | 4 = 4): Uint8Array {
  const data = new Uint8Array(4 * 3 * channels).map((_, i) => (i * 7) % 256);
  return encodePng({ width: 4, height: 3, data, channels, depth: 8 });
}

describe('decodeImage', () => {
  it('decodes PNG exactly and converts channels', () => {
    const rgba = decodeImage(tinyPng(4));
    expect([rgba.width, rgba.height, rgba.channels]).toEqual([4, 3, 4]);
    expect(rgba.data[5]).toBe(35);
    const rgb = decodeImage(tinyPng(4), { channels: 3 });
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.data.subarray(0, 6))).toEqual([0, 7, 14, 28, 35, 42]);
    const grey = decodeImage(tinyPng(1), { channels: 3 });
    expect(Array.from(grey.data.subarray(0, 6))).toEqual([0, 0, 0, 7, 7, 7]);
  });

  it('decodes JPEG (lossy: close to the source)', () => {
    const data = new Uint8Array(16 * 16 * 4).fill(200);
    const bytes = encodeJpeg({ width: 16, height: 16, data }, 95).data;
    const image = decodeImage(new Uint8Array(bytes), { source: 'flat.jpg' });
    expect([image.width, image.height, image.channels]).toEqual([16, 16, 3]);
    expect(Math.abs((image.data[0] as number) - 200)).toBeLessThanOrEqual(2);
  });

  it('corrupt or unknown bytes → ImageDecodeError naming the source', () => {
    const truncated = tinyPng().subarray(0, 40);
    const error = (() => {
      try {
        decodeImage(truncated, { source: 'broken.png' });
      } catch (e) {
        return e;
      }
    })();
    expect(ImageDecodeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^broken\.png: corrupt image/);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), { source: 'x.gif' })).toThrow(
      /x\.gif: not a PNG or JPEG/,
    );
    const jpeg = encodeJpeg({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data;
    expect(() => decodeImage(new Uint8Array(jpeg.subarray(0, 30)), { source: 'cut.jpg' })).toThrow(
      /cut\.jpg: corrupt image/,
    );
  });

  it('wrong channel count with convert: false → ImageDecodeError', () => {
    expect(() => decodeImage(tinyPng(4), { source: 'a.png', channels: 3, convert: false })).toThrow(
      expect.objectContaining({ code: 'image-decode', file: 'a.png' }),
    );
  });

  it('missing file → DatasetFileError', async () => {
    await expect(readBytes('no/such/image.png')).rejects.toSatisfy(
      (e: unknown) =>
        DatasetFileError.isInstance(e) && /image\.png: file not found/.test(String(e)),
    );
  });
});

describe('imageToTensor', () => {
  it('maps pixels to the box and resizes', () => {
    const image = decodeImage(tinyPng(4), { channels: 3 });
    const t = imageToTensor(image, { box: { lo: 0, hi: 1 } });
    expect(t.shape).toEqual([3, 4, 3]);
    expect(t.dataSync()[4]).toBeCloseTo(35 / 255, 6);
    const big = imagesToBatch([image, image], { size: [6, 8] });
    expect(big.shape).toEqual([2, 6, 8, 3]);
    const [lo, hi] = [tf.min(big), tf.max(big)];
    expect(lo.dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(hi.dataSync()[0]).toBeLessThanOrEqual(255);
    tf.dispose([t, big, lo, hi]);
  });
});

describe.skipIf(!hasShared)('real photos in ../shared/images', () => {
  it.each([
    ['astronaut.png', 512, 512],
    ['coffee.png', 600, 400],
    ['chelsea.png', 451, 300],
    ['rocket.jpg', 640, 427],
  ])('%s decodes to %i×%i RGB', async (name, width, height) => {
    const image = await readImage(join(sharedDir, 'images', name), { channels: 3 });
    expect([image.width, image.height, image.channels]).toEqual([width, height, 3]);
    let sum = 0;
    for (const v of image.data) sum += v;
    const mean = sum / image.data.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(235);
  });

  it('a truncated copy of coffee.png → ImageDecodeError', async () => {
    const bytes = await readBytes(join(sharedDir, 'images', 'coffee.png'));
    expect(() =>
      decodeImage(bytes.subarray(0, bytes.length >> 1), { source: 'coffee-cut.png' }),
    ).toThrow(expect.objectContaining({ code: 'image-decode', file: 'coffee-cut.png' }));
  });
});
