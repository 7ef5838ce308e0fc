/**
 * Node-only parts of `@mlap/datasets`: file access, the cached default data set built from the
 * installed `mnist` package, ARFF and image files.
 *
 * @packageDocumentation
 */
export { defaultCacheDir } from './cache-dir.js';
export {
  type DefaultDatasetOptions,
  defaultDatasetKey,
  loadDefaultDataset,
} from './default-dataset.js';
export type { ImageLoaderOptions } from './image-files.js';
export { cocoImageDir, type LoadCocoOptions, loadCoco } from './load-coco.js';
export { loadCsvFile } from './load-csv.js';
export { type LoadImageFolderOptions, loadImageFolder } from './load-image-folder.js';
export { type LoadArffOptions, loadArffFile } from './load-mulan.js';
export { type LoadNusWideOptions, loadNusWide } from './load-nuswide.js';
export { type LoadVocOptions, loadVoc } from './load-voc.js';
export { loadMnistDigits, mnistDigitsDir } from './mnist-node.js';
export { MAX_IMAGE_FILE_BYTES, MAX_TEXT_FILE_BYTES, readBytes, readText } from './read-file.js';
export { type ReadImageOptions, readImage } from './read-image.js';
export { MAX_LINE_BYTES, readLineText, type TextLimits } from './read-line-text.js';
