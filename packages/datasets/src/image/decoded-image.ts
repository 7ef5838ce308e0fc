/** A decoded image: 8-bit pixels, row-major, channels interleaved (HWC). */
export interface DecodedImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Channels per pixel: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  /** Pixel values 0–255, length width × height × channels. */
  readonly data: Uint8Array;
}
