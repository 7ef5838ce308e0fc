import { basename, dirname, join } from 'node:path';
import { type CocoOptions, parseCocoInstances } from '../coco/coco.js';
import type { ImageSet } from '../image-set/image-set.js';
import { SkipLog } from '../loaders/skip.js';
import { confinedFolder, confinedPath } from './confined-path.js';
import { type ImageLoaderOptions, imageSetFromFiles, requireDirectory } from './image-files.js';
import { readText } from './read-file.js';

/** Options of {@link loadCoco}. */
export interface LoadCocoOptions extends ImageLoaderOptions, Omit<CocoOptions, 'source'> {
  /**
   * The image folder. Default: for `…/annotations/instances_<name>.json`, the folder `…/<name>`
   * (e.g. `coco/annotations/instances_val2014.json` → `coco/val2014`).
   */
  readonly images?: string;
}

/** The default image folder of an instances file (see {@link LoadCocoOptions.images}). */
export function cocoImageDir(instancesFile: string): string {
  const m = /^instances_(.+)\.json$/i.exec(basename(instancesFile));
  const top = dirname(dirname(instancesFile));
  return m === null ? dirname(instancesFile) : join(top, m[1] as string);
}

/**
 * Loads MS COCO (`annotations/instances_*.json` + the image folder) as a streaming image set of
 * multi-label vectors: the file's categories in id order are the labels (80 for COCO 2014 / 2017,
 * names from the file), an image has label j when it has an annotation of that category (crowd
 * regions included unless `ignoreCrowd`). Images without annotations are kept (all-zero labels).
 *
 * Malformed JSON throws a `DatasetFormatError` with the line; an unknown category id a
 * `DatasetLabelError`; a `file_name` outside the image folder (absolute, or climbing out with
 * `..`, or through a symlink), or one that is not a regular file, a `DatasetFormatError` naming
 * the instances file; a missing or undecodable image a typed
 * error naming it — with `skip`,
 * those images are skipped and reported in `skipped`.
 *
 * @example
 * const coco = await loadCoco('coco/annotations/instances_val2014.json', { size: [320, 320] });
 */
export async function loadCoco(instancesFile: string, options: LoadCocoOptions): Promise<ImageSet> {
  const text = await readText(instancesFile);
  const instances = parseCocoInstances(text, { ...options, source: instancesFile });
  const dir = options.images ?? cocoImageDir(instancesFile);
  await requireDirectory(dir, 'COCO image');
  const log = new SkipLog(options);
  log.skipped.push(...instances.skipped);
  const entries = instances.images.map((im) => ({
    id: String(im.id),
    file: confinedPath(dir, im.fileName, instancesFile),
    labels: im.labels,
    index: im.index,
  }));
  const folder = await confinedFolder(dir, instancesFile);
  return imageSetFromFiles(folder, instances.labelNames, entries, log, options);
}
