import { fromGraphModel, type GraphModelLike, type MultiLabelModel } from '@mlap/core';
import { type DecodedImage, imageToTensor } from '@mlap/datasets';
import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** Side of CenterNet's square input (512). */
export const CENTERNET_INPUT_SIZE = 512;

/** The CenterNet output read as multi-label scores: 80 per-class centre heatmaps. */
export const CENTERNET_OUTPUT = 'tower_0/keypoints';

/**
 * Adapts the COCO CenterNet graph model (MobileNetV3-CenterNet, see the README for its origin) as
 * a multi-label image model: input [1, 512, 512, 3] RGB pixels in [0, 255], score of class j = the
 * maximum of its heatmap (already a probability), one image per forward pass.
 */
export function centerNetModel(
  graph: GraphModelLike,
  labelNames: readonly string[],
): MultiLabelModel {
  if (labelNames.length !== 80) {
    throw new ArgumentError('labelNames', `CenterNet COCO has 80 labels; got ${labelNames.length}`);
  }
  return fromGraphModel(graph, {
    box: { lo: 0, hi: 255 },
    output: 'probabilities',
    outputName: CENTERNET_OUTPUT,
    reduce: 'max',
    labelNames,
    maxBatch: 1,
  });
}

/** A decoded RGB image as CenterNet input: [1, 512, 512, 3], bilinear resize, pixels 0–255. */
export function centerNetInput(image: DecodedImage): tf.Tensor4D {
  if (image.channels !== 3) {
    throw new ArgumentError(
      'image',
      `needs 3 channels (decode with channels: 3); got ${image.channels}`,
    );
  }
  return tf.tidy(
    () =>
      tf.expandDims(
        imageToTensor(image, { size: [CENTERNET_INPUT_SIZE, CENTERNET_INPUT_SIZE] }),
        0,
      ) as tf.Tensor4D,
  );
}

/** Parses a label list with one name per line (blank lines ignored), e.g. `labels.txt`. */
export function parseLabelList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
