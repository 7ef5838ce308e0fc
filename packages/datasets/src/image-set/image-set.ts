import { ArgumentError, type Box, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { TensorBatch } from '../batches.js';
import type { MultiLabelData } from '../dataset.js';
import { type DecodeImageOptions, decodeImage } from '../image/decode-image.js';
import type { DecodedImage } from '../image/decoded-image.js';
import { imageToTensor } from '../image/image-to-tensor.js';
import { SkipLog, type SkipOptions, type SkippedSample } from '../loaders/skip.js';

/** One image of an {@link ImageSet}: where it is and its labels (known before decoding). */
export interface ImageEntry {
  /** An identifier (VOC image id, COCO image id, file name, …). */
  readonly id: string;
  /** Path or URL of the image, handed to the set's `readBytes`. */
  readonly file: string;
  /** Label indicators (0 / 1), one per label name. */
  readonly labels: Uint8Array;
  /** 0-based index in the source listing (split file, image list, …), used in skip reports. */
  readonly index: number;
}

/** How images are turned into samples. */
export interface ImageSetOptions extends SkipOptions {
  /** Every image is resized (bilinear) to [height, width]. */
  readonly size: readonly [number, number];
  /** Channels: 3 (RGB, default) or 1 (grey). */
  readonly channels?: 1 | 3;
  /**
   * Convert images with another channel count (grey ↔ RGB, alpha dropped) when true (default);
   * when false such an image is an `ImageDecodeError` (or a skipped sample with `skip`).
   */
  readonly convert?: boolean;
  /**
   * The pixel budget of every image (width × height from its header, checked before decoding;
   * default `DEFAULT_MAX_PIXELS`, 64 megapixels): a larger one is an `ImageDecodeError` (or a
   * skipped sample with `skip`).
   */
  readonly maxPixels?: number;
}

/** A batch of an {@link ImageSet}; `indices` are positions in `entries`. */
export interface ImageBatch extends TensorBatch {
  /** The image files of this batch, in batch order. */
  readonly files: readonly string[];
}

/** Options of {@link ImageSet.batches}. */
export interface ImageBatchOptions {
  /** The model's input box: pixel 0 → box.lo, 255 → box.hi (default { lo: 0, hi: 1 }). */
  readonly box?: Box;
  /** Images per batch (default 32). Batches shrink by the images skipped with `skip`. */
  readonly batchSize?: number;
  /** Shuffle the order with this seed (default: listing order). */
  readonly shuffleSeed?: number;
  /** Only these entries (positions in `entries`), in this order. */
  readonly indices?: readonly number[];
}

/** Result of {@link ImageSet.toData}: the decoded samples and those skipped on the way. */
export interface DecodedImageData extends MultiLabelData {
  /** Entry position (in the set's `entries`) of each sample. */
  readonly entryIndices: readonly number[];
  /** Every sample skipped so far (listing and decoding), as in {@link ImageSet.skipped}. */
  readonly skipped: readonly SkippedSample[];
}

/**
 * A streaming multi-label image data set: labels are known up front, images are read and decoded
 * only when a batch (or sample) needs them, resized to `size`. With `skip`, an image that cannot be
 * read or decoded is left out and recorded in `skipped`; without it, it throws a typed error naming
 * the file. Samples are never dropped silently.
 */
export interface ImageSet {
  /** Label names, in label order. */
  readonly labelNames: readonly string[];
  /** The images, in listing order (without those skipped while listing). */
  readonly entries: readonly ImageEntry[];
  /** Number of entries. */
  readonly count: number;
  /** Shape of one sample: [height, width, channels]. */
  readonly sampleShape: readonly [number, number, number];
  /** Stored pixel range, { lo: 0, hi: 255 }. */
  readonly range: Box;
  /**
   * Samples skipped so far (while listing, then while decoding); grows as batches are read. An
   * image that fails to decode is reported once and left out of every later batch.
   */
  readonly skipped: readonly SkippedSample[];
  /** Reads and decodes entry `i` (channels converted, not resized). */
  decode(i: number): Promise<DecodedImage>;
  /** Streams tensor batches [n, h, w, c] in the model's box; the caller disposes x and y. */
  batches(options?: ImageBatchOptions): AsyncGenerator<ImageBatch>;
  /**
   * Decodes the entries (default all) into an in-memory {@link MultiLabelData} of uint8 pixels
   * [h, w, c] (for small sets; big ones should stream with `batches`).
   */
  toData(options?: { readonly indices?: readonly number[] }): Promise<DecodedImageData>;
}

/** Everything {@link createImageSet} needs besides the options. */
export interface ImageSetSource {
  /** Label names, in label order. */
  readonly labelNames: readonly string[];
  /** The images to read, with their labels. */
  readonly entries: readonly ImageEntry[];
  /** Reads an entry's file (`fs` in Node, `fetch` in a browser); throws a typed error if missing. */
  readonly readBytes: (file: string) => Promise<Uint8Array>;
  /** Skips already made while listing (they are reported first in `skipped`). */
  readonly skipped?: readonly SkippedSample[];
}

function checkSize(size: readonly [number, number] | undefined): readonly [number, number] {
  const [h, w] = size ?? [Number.NaN, Number.NaN];
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new ArgumentError('size', `must be two positive integers [height, width]; got ${size}`);
  }
  return [h, w];
}

/**
 * Builds a streaming {@link ImageSet} over listed images (browser-safe: file access is the given
 * `readBytes`). The Node loaders (`loadVoc`, `loadCoco`, `loadNusWide`, `loadImageFolder`) build
 * on it.
 */
export function createImageSet(source: ImageSetSource, options: ImageSetOptions): ImageSet {
  const [height, width] = checkSize(options.size);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new ArgumentError('channels', `must be 1 or 3; got ${channels}`);
  }
  const L = source.labelNames.length;
  for (const entry of source.entries) {
    if (entry.labels.length !== L) {
      throw new ArgumentError(
        'entries',
        `${entry.file} has ${entry.labels.length} labels; expected ${L}`,
      );
    }
  }
  const log = new SkipLog(options);
  log.skipped.push(...(source.skipped ?? []));
  const entries = source.entries;
  const decodeOptions: DecodeImageOptions = {
    channels,
    convert: options.convert ?? true,
    ...(options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels }),
  };

  const failed = new Set<number>();

  const entryAt = (i: number): ImageEntry => {
    const entry = entries[i];
    if (entry === undefined || !Number.isInteger(i)) {
      throw new ArgumentError('index', `${i} is outside [0, ${entries.length})`);
    }
    return entry;
  };

  const decode = async (i: number): Promise<DecodedImage> => {
    const entry = entryAt(i);
    return decodeImage(await source.readBytes(entry.file), {
      ...decodeOptions,
      source: entry.file,
    });
  };

  /** Decodes the given entries; skipped ones (with `skip`) are left out. */
  const decodeMany = async (
    indices: readonly number[],
  ): Promise<{ images: DecodedImage[]; kept: number[] }> => {
    const settled = await Promise.allSettled(
      indices.map((i) => (failed.has(i) ? Promise.reject(new Error('skipped')) : decode(i))),
    );
    const images: DecodedImage[] = [];
    const kept: number[] = [];
    settled.forEach((result, k) => {
      const i = indices[k] as number;
      if (result.status === 'fulfilled') {
        images.push(result.value);
        kept.push(i);
      } else if (!failed.has(i)) {
        const entry = entryAt(i);
        log.handle(entry.index, entry.file, result.reason);
        failed.add(i); // reported once, left out of every later batch too
      }
    });
    return { images, kept };
  };

  const allIndices = (given?: readonly number[]): readonly number[] => {
    const indices = given ?? entries.map((_, i) => i);
    for (const i of indices) entryAt(i);
    return indices;
  };

  async function* batches(batchOptions: ImageBatchOptions = {}): AsyncGenerator<ImageBatch> {
    const batchSize = batchOptions.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ArgumentError('batchSize', `must be a positive integer; got ${batchSize}`);
    }
    const box = batchOptions.box ?? { lo: 0, hi: 1 };
    let order = [...allIndices(batchOptions.indices)];
    if (batchOptions.shuffleSeed !== undefined) {
      order = Rng.seeded(batchOptions.shuffleSeed).shuffle(order);
    }
    for (let start = 0; start < order.length; start += batchSize) {
      const { images, kept } = await decodeMany(order.slice(start, start + batchSize));
      if (kept.length === 0) continue;
      const labels = new Float32Array(kept.length * L);
      kept.forEach((i, k) => {
        labels.set(entryAt(i).labels, k * L);
      });
      const x = tf.tidy(() =>
        tf.stack(images.map((image) => imageToTensor(image, { size: [height, width], box }))),
      );
      const y = tf.tensor2d(labels, [kept.length, L]);
      yield { x, y, indices: kept, files: kept.map((i) => entryAt(i).file) };
    }
  }

  async function toData(
    dataOptions: { readonly indices?: readonly number[] } = {},
  ): Promise<DecodedImageData> {
    const order = allIndices(dataOptions.indices);
    const size = height * width * channels;
    const features = new Uint8Array(order.length * size);
    const labels = new Uint8Array(order.length * L);
    const entryIndices: number[] = [];
    const chunk = 32;
    for (let start = 0; start < order.length; start += chunk) {
      const { images, kept } = await decodeMany(order.slice(start, start + chunk));
      images.forEach((image, k) => {
        const n = entryIndices.length;
        const t = imageToTensor(image, { size: [height, width] });
        const values = t.dataSync();
        t.dispose();
        for (let v = 0; v < size; v++) features[n * size + v] = Math.round(values[v] as number);
        labels.set(entryAt(kept[k] as number).labels, n * L);
        entryIndices.push(kept[k] as number);
      });
    }
    const count = entryIndices.length;
    return {
      features: features.slice(0, count * size),
      labels: labels.slice(0, count * L),
      count,
      sampleShape: [height, width, channels],
      labelNames: source.labelNames,
      range: { lo: 0, hi: 255 },
      entryIndices,
      skipped: [...log.skipped],
    };
  }

  return {
    labelNames: source.labelNames,
    entries,
    count: entries.length,
    sampleShape: [height, width, channels],
    range: { lo: 0, hi: 255 },
    get skipped() {
      return log.skipped;
    },
    decode,
    batches,
    toData,
  };
}
