/**
 * Real multi-label data for mlap, backend-agnostic and browser-safe: the multi-MNIST mosaic
 * construction, MULAN / MEKA ARFF parsing, PNG / JPEG decoding and resizing, and tensor batches in
 * the model's box. File access lives in `@mlap/datasets/node`.
 *
 * @packageDocumentation
 */

export { parseMulanLabels } from './arff/mulan-labels.js';
export {
  type ArffLabelSpec,
  arffToMultiLabel,
  mekaLabelCount,
} from './arff/multi-label-arff.js';
export { type ArffAttribute, type ArffData, parseArff } from './arff/parse-arff.js';
export { type BatchOptions, batches, type TensorBatch, toTensors } from './batches.js';
export {
  type CocoImage,
  type CocoInstances,
  type CocoOptions,
  parseCocoInstances,
} from './coco/coco.js';
export {
  type CsvData,
  type CsvLabelSpec,
  type CsvOptions,
  type CsvRecord,
  parseCsv,
  splitCsv,
} from './csv/parse-csv.js';
export {
  labelsOf,
  type MultiLabelData,
  sampleSize,
  selectSamples,
  validateData,
} from './dataset.js';
export { DatasetFileError } from './errors/dataset-file-error.js';
export { DatasetFormatError } from './errors/dataset-format-error.js';
export { DatasetLabelError } from './errors/dataset-label-error.js';
export { ImageDecodeError } from './errors/image-decode-error.js';
export { convertChannels } from './image/convert-channels.js';
export {
  DEFAULT_MAX_PIXELS,
  type DecodeImageOptions,
  decodeImage,
} from './image/decode-image.js';
export type { DecodedImage } from './image/decoded-image.js';
export { type ImageTensorOptions, imagesToBatch, imageToTensor } from './image/image-to-tensor.js';
export {
  createImageSet,
  type DecodedImageData,
  type ImageBatch,
  type ImageBatchOptions,
  type ImageEntry,
  type ImageSet,
  type ImageSetOptions,
  type ImageSetSource,
} from './image-set/image-set.js';
export {
  type ImageLabelOptions,
  type ImageLabels,
  parseImageLabels,
} from './image-set/sidecar.js';
export { MAX_DATA_CELLS } from './loaders/data-budget.js';
export { MAX_JSON_DEPTH, parseJson } from './loaders/parse-json.js';
export type { SkipOptions, SkippedSample } from './loaders/skip.js';
export {
  digitCount,
  MNIST_PIXELS,
  type MnistDigits,
  mnistDigitsFromJson,
} from './mosaic/mnist-digits.js';
export {
  buildMultiMnist,
  MOSAIC_SIDE,
  MULTI_MNIST_DEFAULTS,
  MULTI_MNIST_LABELS,
  type MultiMnist,
  type MultiMnistOptions,
  multiMnistSourcePools,
} from './mosaic/multi-mnist.js';
export {
  applyScaling,
  type FeatureScaling,
  fitScaling,
  scaleToBox,
} from './normalize.js';
export {
  buildNusWideLabels,
  type NusWideLabelOptions,
  type NusWideLabels,
  nusWideImagePath,
  parseNusWideConcepts,
  parseNusWideImageList,
} from './nuswide/nuswide.js';
export { decodeData, encodeData } from './serialize.js';
export {
  parseVocAnnotation,
  parseVocImageSet,
  VOC_CLASSES,
  type VocAnnotation,
  type VocLabelOptions,
  type VocObject,
  vocLabelVector,
} from './voc/voc.js';
