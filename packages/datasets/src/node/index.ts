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
export { type LoadArffOptions, loadArffFile } from './load-mulan.js';
export { loadMnistDigits, mnistDigitsDir } from './mnist-node.js';
export { readBytes, readText } from './read-file.js';
export { readImage } from './read-image.js';
