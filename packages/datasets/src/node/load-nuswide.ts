import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError } from '@mlap/tensor';
import type { ImageEntry, ImageSet } from '../image-set/image-set.js';
import { SkipLog } from '../loaders/skip.js';
import {
  buildNusWideLabels,
  nusWideImagePath,
  parseNusWideConcepts,
  parseNusWideImageList,
} from '../nuswide/nuswide.js';
import { checkConfinedFile, confinedFolder, confinedPath } from './confined-path.js';
import {
  type ImageLoaderOptions,
  imageSetFromFiles,
  mapLimit,
  requireDirectory,
} from './image-files.js';
import { readLineText } from './read-line-text.js';

/** Options of {@link loadNusWide}. */
export interface LoadNusWideOptions extends ImageLoaderOptions {
  /**
   * `train` (`ImageList/TrainImagelist.txt` + `Groundtruth/TrainTestLabels/Labels_<c>_Train.txt`,
   * default), `test` (… `Test` …) or `all` (`ImageList/Imagelist.txt` +
   * `Groundtruth/AllLabels/Labels_<c>.txt`).
   */
  readonly split?: 'train' | 'test' | 'all';
  /** The image folder (default `<root>/Flickr`, holding `<concept folder>/<id>.jpg`). */
  readonly images?: string;
  /** The concept list (default `<root>/ConceptsList/Concepts81.txt`, else `<root>/Concepts81.txt`). */
  readonly concepts?: string;
  /** The image list (default from `split`, see above). */
  readonly imageList?: string;
  /** The folder of `Labels_<concept>…txt` files (default from `split`, see above). */
  readonly labelsDir?: string;
}

async function firstExisting(paths: readonly string[]): Promise<string> {
  for (const path of paths) {
    if ((await stat(path).catch(() => undefined))?.isFile() === true) return path;
  }
  return paths[0] as string;
}

/**
 * Loads NUS-WIDE (the concept list, an image list and the per-concept 0/1 label files of
 * `Groundtruth/`) as a streaming image set with one label per concept (81 with `Concepts81.txt`),
 * images from the `Flickr/` folder. Image-list entries are Windows paths
 * (`C:\ImageData\Flickr\actor\0001_2124494179.jpg`); see `nusWideImagePath`.
 *
 * The list and label files are read with the line-length and size limits of `readLineText`.
 * A label file whose length differs from the image list, or a missing list or label file, always
 * throws (a typed error naming the file and line); a bad label value or a missing / corrupt image
 * throws too — or, with `skip`, that image is skipped and reported in `skipped`. A default list,
 * label file or image that is a symlink leading out of its folder, or not a regular file (a
 * device, a FIFO), is a `DatasetFormatError`, checked before it is read.
 *
 * @example
 * const nus = await loadNusWide('NUS-WIDE', { split: 'test', size: [224, 224] });
 */
export async function loadNusWide(root: string, options: LoadNusWideOptions): Promise<ImageSet> {
  await requireDirectory(root, 'NUS-WIDE');
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test' && split !== 'all') {
    throw new ArgumentError('split', `must be train, test or all; got ${split}`);
  }
  const conceptsFile =
    options.concepts ??
    (await firstExisting([
      join(root, 'ConceptsList', 'Concepts81.txt'),
      join(root, 'Concepts81.txt'),
    ]));
  // the default lists are the archive's files; given ones are the user's choice
  const rootFolder = await confinedFolder(root, root);
  if (options.concepts === undefined) await checkConfinedFile(rootFolder, conceptsFile);
  const concepts = parseNusWideConcepts(await readLineText(conceptsFile), conceptsFile);
  const suffix = split === 'all' ? '' : split === 'train' ? '_Train' : '_Test';
  const listFile =
    options.imageList ??
    join(
      root,
      'ImageList',
      split === 'all'
        ? 'Imagelist.txt'
        : split === 'train'
          ? 'TrainImagelist.txt'
          : 'TestImagelist.txt',
    );
  if (options.imageList === undefined) await checkConfinedFile(rootFolder, listFile);
  const list = parseNusWideImageList(await readLineText(listFile), listFile);
  const labelsDir =
    options.labelsDir ??
    join(root, 'Groundtruth', split === 'all' ? 'AllLabels' : 'TrainTestLabels');
  const labelsFolder = await confinedFolder(labelsDir, conceptsFile);
  const files = await mapLimit(concepts, 8, async (concept) => {
    const source = confinedPath(labelsDir, `Labels_${concept}${suffix}.txt`, conceptsFile);
    await checkConfinedFile(labelsFolder, source);
    return { text: await readLineText(source), source };
  });
  const log = new SkipLog(options);
  const built = buildNusWideLabels({ ...options, concepts, imageCount: list.length, files });
  log.skipped.push(...built.skipped);
  const images = options.images ?? join(root, 'Flickr');
  await requireDirectory(images, 'NUS-WIDE image');
  const L = concepts.length;
  const entries: ImageEntry[] = [];
  list.forEach((entry, index) => {
    if (built.isSkipped(index)) return;
    const relative = nusWideImagePath(entry);
    entries.push({
      id: relative,
      file: confinedPath(images, relative, listFile),
      labels: built.labels.slice(index * L, (index + 1) * L),
      index,
    });
  });
  const folder = await confinedFolder(images, listFile);
  return imageSetFromFiles(folder, concepts, entries, log, options);
}
