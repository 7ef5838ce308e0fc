/** Width and height of an image as its header declares them, before any pixel is decoded. */
export interface ImageHeaderSize {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

function u32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) * 0x1000000 +
    (((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number))
  );
}

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** True when `bytes` start with a JPEG start-of-image marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Reads the declared size from a PNG's `IHDR` chunk or a JPEG's start-of-frame segment without
 * decoding. Returns a string saying what is wrong when the header is missing or truncated, and
 * undefined for bytes that are neither PNG nor JPEG.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeaderSize | string | undefined {
  if (isPng(bytes)) {
    // signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4)
    if (bytes.length < 24) return 'truncated PNG header';
    const type = String.fromCharCode(...bytes.subarray(12, 16));
    if (type !== 'IHDR') return 'PNG does not start with an IHDR chunk';
    return { format: 'png', width: u32(bytes, 16), height: u32(bytes, 20) };
  }
  if (isJpeg(bytes)) {
    let at = 2;
    while (at + 4 <= bytes.length) {
      if (bytes[at] !== 0xff) return 'corrupt JPEG marker';
      const marker = bytes[at + 1] as number;
      if (marker === 0xff) {
        at++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2; // markers without a length
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return 'JPEG has no frame header before its data';
      const length = u16(bytes, at + 2);
      if (length < 2) return 'corrupt JPEG segment length';
      const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (isFrame) {
        if (at + 9 > bytes.length) return 'truncated JPEG frame header';
        return { format: 'jpeg', height: u16(bytes, at + 5), width: u16(bytes, at + 7) };
      }
      at += 2 + length;
    }
    return 'truncated JPEG header (no frame header)';
  }
  return undefined;
}
