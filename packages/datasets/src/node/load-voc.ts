import { join, relative } from 'node:path';
import type { ImageEntry, ImageSet } from '../image-set/image-set.js';
import { SkipLog } from '../loaders/skip.js';
import {
  parseVocAnnotation,
  parseVocImageSet,
  VOC_CLASSES,
  type VocLabelOptions,
  vocLabelVector,
} from '../voc/voc.js';
import { checkConfinedFile, confinedFolder, confinedPath } from './confined-path.js';
import {
  type ImageLoaderOptions,
  imageSetFromFiles,
  mapLimit,
  requireDirectory,
} from './image-files.js';
import { readText } from './read-file.js';
import { readLineText } from './read-line-text.js';

/** Options of {@link loadVoc}. */
export interface LoadVocOptions extends ImageLoaderOptions, VocLabelOptions {
  /** The split: `ImageSets/Main/<split>.txt` (default `trainval`; also `train`, `val`, `test`). */
  readonly split?: string;
}

/**
 * Loads a PASCAL VOC split (the `VOC2012/` or `VOC2007/` folder of the devkit: `Annotations/*.xml`,
 * `JPEGImages/*.jpg`, `ImageSets/Main/<split>.txt`) as a streaming image set with 20-label vectors
 * ({@link VOC_CLASSES}); a class is present when the image has an object of it — `difficult`
 * objects count (unless `difficult: 'ignore'`), truncated ones always do. Images are decoded
 * lazily and resized to `size`.
 *
 * A missing split file throws a `DatasetFileError`; per image, a missing annotation or image, a
 * malformed annotation (with its line) or an unknown class throws a typed error naming the file —
 * or, with `skip`, skips that image and reports it in `skipped`. A split file, annotation or image
 * that is a symlink leading out of the folder, or not a regular file (a device, a FIFO), is a
 * `DatasetFormatError`, checked before it is read.
 *
 * @example
 * const voc = await loadVoc('VOCdevkit/VOC2012', { split: 'val', size: [224, 224] });
 * for await (const { x, y } of voc.batches({ batchSize: 16 })) { … }
 */
export async function loadVoc(root: string, options: LoadVocOptions): Promise<ImageSet> {
  await requireDirectory(root, 'VOC');
  const split = options.split ?? 'trainval';
  const listFile = join(root, 'ImageSets', 'Main', `${split}.txt`);
  const folder = await confinedFolder(root, listFile);
  // a split climbing out of the folder is the user's choice; inside it, the archive's links are not
  if (!relative(root, listFile).startsWith('..')) {
    await checkConfinedFile({ ...folder, source: root }, listFile);
  }
  const ids = parseVocImageSet(await readLineText(listFile), listFile);
  const classes = options.classes ?? VOC_CLASSES;
  const log = new SkipLog(options);
  // read in parallel, report in listing order (the first bad sample is the one that throws)
  type Parsed = { entry: ImageEntry } | { error: unknown; xml: string };
  const parsed = await mapLimit(ids, 32, async (id, index): Promise<Parsed> => {
    const xml = join(root, 'Annotations', `${id}.xml`);
    try {
      confinedPath(root, join('Annotations', `${id}.xml`), listFile);
      await checkConfinedFile(folder, xml);
      const annotation = parseVocAnnotation(await readText(xml), xml);
      const labels = vocLabelVector(annotation, xml, { ...options, classes });
      const entry: ImageEntry = { id, file: join(root, 'JPEGImages', `${id}.jpg`), labels, index };
      return { entry };
    } catch (error) {
      return { error, xml };
    }
  });
  const entries: ImageEntry[] = [];
  parsed.forEach((result, index) => {
    if ('entry' in result) entries.push(result.entry);
    else log.handle(index, result.xml, result.error);
  });
  return imageSetFromFiles(folder, classes, entries, log, options);
}
