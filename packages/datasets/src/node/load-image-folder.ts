import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import type { ImageEntry, ImageSet } from '../image-set/image-set.js';
import { type ImageLabelOptions, parseImageLabels } from '../image-set/sidecar.js';
import { SkipLog } from '../loaders/skip.js';
import { confinedFolder, confinedPath } from './confined-path.js';
import { type ImageLoaderOptions, imageSetFromFiles, requireDirectory } from './image-files.js';
import { readText } from './read-file.js';
import { readLineText } from './read-line-text.js';

/** Options of {@link loadImageFolder}. */
export interface LoadImageFolderOptions
  extends ImageLoaderOptions,
    Pick<ImageLabelOptions, 'format' | 'labelNames'> {
  /** Sidecar label file (CSV or JSON, see `parseImageLabels`); without it, images have no labels. */
  readonly labels?: string;
  /** Also list images in sub-folders (default false). */
  readonly recursive?: boolean;
}

const IMAGE = /\.(?:png|jpe?g)$/i;

/**
 * The images of `dir` (relative, `/`-separated, sorted). Symlinked sub-folders are never followed
 * (no way out of the folder, no loops); any other entry with an image name is listed, symlinks,
 * FIFOs and devices included, so that the file check refuses it rather than drops it silently.
 */
async function listImages(dir: string, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const items = await readdir(folder, { withFileTypes: true });
    for (const item of items) {
      const path = join(folder, item.name);
      if (item.isDirectory()) {
        if (recursive) await walk(path);
      } else if (IMAGE.test(item.name)) out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * Loads a folder of PNG / JPEG images as a streaming image set. With a sidecar `labels` file
 * (CSV or JSON), its entries are the samples, in its order; an image of the folder the sidecar does
 * not list is an error (it would otherwise be dropped silently), as is a listed image that is
 * missing — with `skip`, each is skipped and reported. Without a sidecar, every image of the folder
 * (sorted by path) is a sample with no labels (or all-zero `labelNames`).
 *
 * Every image is checked before it is read: one that is a symlink leading out of the folder, or
 * not a regular file (a device, a FIFO), is a `DatasetFormatError` naming the sidecar (or the
 * folder); symlinks that stay inside are read. Symlinked sub-folders are not walked.
 *
 * @example
 * const photos = await loadImageFolder('photos', { labels: 'photos/labels.json', size: [224, 224] });
 */
export async function loadImageFolder(
  dir: string,
  options: LoadImageFolderOptions,
): Promise<ImageSet> {
  await requireDirectory(dir, 'image');
  const images = await listImages(dir, options.recursive === true);
  const log = new SkipLog(options);
  if (options.labels === undefined) {
    const L = options.labelNames?.length ?? 0;
    const entries = images.map((file, index) => ({
      id: file,
      file: join(dir, file),
      labels: new Uint8Array(L),
      index,
    }));
    const folder = await confinedFolder(dir, dir);
    return imageSetFromFiles(folder, options.labelNames ?? [], entries, log, options);
  }
  const sidecar = options.labels;
  const json = (options.format ?? (/\.json$/i.test(sidecar) ? 'json' : 'csv')) === 'json';
  // a JSON sidecar may be one long line; a CSV one gets the line limit
  const text = json ? await readText(sidecar) : await readLineText(sidecar);
  const parsed = parseImageLabels(text, { ...options, source: sidecar });
  log.skipped.push(...parsed.skipped);
  const entries: ImageEntry[] = parsed.entries.map((e) => ({
    id: e.file,
    file: confinedPath(dir, e.file, sidecar),
    labels: e.labels,
    index: e.index,
  }));
  const listed = new Set(parsed.files.map((file) => file.replace(/\\/g, '/')));
  const unlisted = images.filter((file) => !listed.has(file) && join(dir, file) !== sidecar);
  const total = parsed.files.length;
  const reportUnlisted = () =>
    unlisted.forEach((file, k) => {
      log.handle(
        total + k,
        join(dir, file),
        new DatasetFormatError(
          join(dir, file),
          undefined,
          `has no entry in the label file ${sidecar}`,
        ),
      );
    });
  const folder = await confinedFolder(dir, sidecar);
  return imageSetFromFiles(folder, parsed.labelNames, entries, log, options, reportUnlisted);
}
