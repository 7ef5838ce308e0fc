import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** A decoded 8-bit RGB image: height × width × 3 bytes, row-major. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Paeth predictor of the PNG spec. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes one row's filter in place; `prev` is the unfiltered row above (zeros for the first). */
function unfilter(type: number, row: Uint8Array, prev: Uint8Array, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? (row[i - bpp] as number) : 0;
    const b = prev[i] as number;
    const c = i >= bpp ? (prev[i - bpp] as number) : 0;
    const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
    if (predictor === undefined) throw new Error(`PNG: unknown filter ${type}`);
    row[i] = ((row[i] as number) + predictor) & 255;
  }
}

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG (the sample photos), dropping alpha. The
 * benchmarks need real photos and no image library: this is all of PNG they use.
 */
export function decodePng(path: string | URL): RgbImage {
  const data = readFileSync(path);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, color, , , interlace] = body.subarray(8, 13);
      channels = color === 2 ? 3 : color === 6 ? 4 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) {
        throw new Error('PNG: only 8-bit non-interlaced RGB/RGBA is supported');
      }
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgb = new Uint8Array(width * height * 3);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const row = Uint8Array.from(raw.subarray(start + 1, start + 1 + stride));
    unfilter(raw[start] as number, row, prev, channels);
    for (let x = 0; x < width; x++)
      rgb.set(row.subarray(x * channels, x * channels + 3), (y * width + x) * 3);
    prev = row;
  }
  return { width, height, rgb };
}
