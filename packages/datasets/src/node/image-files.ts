import { stat } from 'node:fs/promises';
import { DatasetFileError } from '../errors/dataset-file-error.js';
import {
  createImageSet,
  type ImageEntry,
  type ImageSet,
  type ImageSetOptions,
} from '../image-set/image-set.js';
import type { SkipLog } from '../loaders/skip.js';
import { type ConfinedFolder, checkConfinedFile } from './confined-path.js';
import { MAX_IMAGE_FILE_BYTES, readBytes } from './read-file.js';

/** Options shared by the Node image-set loaders. */
export interface ImageLoaderOptions extends ImageSetOptions {
  /**
   * Check up front that every image file exists (default true), so a missing image fails (or is
   * skipped and reported) when loading rather than in the middle of an epoch.
   */
  readonly checkFiles?: boolean;
  /**
   * The largest image file read, checked before reading (default `MAX_IMAGE_FILE_BYTES`, 256 MiB);
   * a larger one is a `DatasetFileError` naming it (or a skipped sample with `skip`).
   */
  readonly maxImageBytes?: number;
}

/** Maps `items` with at most `limit` promises in flight; results in order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A missing folder or file as a {@link DatasetFileError}. */
export async function requireDirectory(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new DatasetFileError(path, `${what} folder not found`);
  }
}

/**
 * Checks that the entries' image files exist (unless `checkFiles` is false), then runs
 * `afterCheck` (more listing-time reports), and builds the streaming image set reading files with
 * `fs` (each file's size checked against `maxImageBytes` before it is read). Every file is checked
 * against `folder` before it is read (see `checkConfinedFile`): up front with `checkFiles`, where
 * the first bad entry in listing order throws; otherwise just before its read.
 */
export async function imageSetFromFiles(
  folder: ConfinedFolder,
  labelNames: readonly string[],
  entries: readonly ImageEntry[],
  log: SkipLog,
  options: ImageLoaderOptions,
  afterCheck?: () => void,
): Promise<ImageSet> {
  let kept = entries;
  const checkFiles = options.checkFiles !== false;
  if (checkFiles) {
    // settled in listing order, so the first bad entry is the one that throws
    const present = await mapLimit(entries, 64, (entry) =>
      checkConfinedFile(folder, entry.file).catch((error: unknown) => error),
    );
    const bad = present.find((p) => typeof p !== 'boolean');
    if (bad !== undefined) throw bad;
    entries.forEach((entry, i) => {
      if (present[i] === true) return;
      log.handle(entry.index, entry.file, new DatasetFileError(entry.file, 'image file not found'));
    });
    kept = entries.filter((_, i) => present[i] === true);
  }
  afterCheck?.();
  const maxBytes = options.maxImageBytes ?? MAX_IMAGE_FILE_BYTES;
  // without the up-front check, each file is checked right before it is read
  const read = async (file: string): Promise<Uint8Array> => {
    if (!checkFiles) await checkConfinedFile(folder, file);
    return readBytes(file, maxBytes);
  };
  return createImageSet(
    { labelNames, entries: kept, readBytes: read, skipped: log.skipped },
    // the set keeps its own log for decoding-time skips, seeded with the listing-time ones
    options,
  );
}
