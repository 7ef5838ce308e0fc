import { existsSync, readFileSync } from 'node:fs';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { decodePng } from './png.js';

/** The shared real model and photos, next to the repository: `../shared/` from its root. */
export const sharedDir = new URL('../../../shared/', import.meta.url);
const modelDir = new URL('models/centernet-coco/', sharedDir);

/** Side of the square input CenterNet takes. */
export const CENTERNET_SIZE = 512;

/** True when `../shared/models/centernet-coco` is present. */
export function centerNetAvailable(): boolean {
  return existsSync(new URL('centernet.json', modelDir));
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * Loads the MobileNetV3-CenterNet graph model from `../shared` through an in-memory IOHandler
 * (Node has no file:// loader without tfjs-node).
 */
export async function loadCenterNet(): Promise<GraphModel> {
  const json = JSON.parse(readFileSync(new URL('centernet.json', modelDir), 'utf8')) as ModelJson;
  const groups = json.weightsManifest;
  const buffers = groups.flatMap((g) => g.paths.map((p) => readFileSync(new URL(p, modelDir))));
  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  const weightSpecs = groups.flatMap((g) => g.weights);
  return loadGraphModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }),
  );
}

/**
 * CenterNet as a multi-label classifier: [1, 512, 512, 3] pixels 0–255 → [1, 80] class scores,
 * each the maximum of that class's centre heatmap. Differentiable (a tf op graph).
 */
export function centerNetScores(model: GraphModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const heatmaps = model.execute(x, 'tower_0/keypoints') as tf.Tensor4D;
    return tf.max(heatmaps, [1, 2]) as tf.Tensor2D;
  });
}

/** A sample photo from `../shared/images`, resized to the model input: [1, 512, 512, 3] 0–255. */
export function loadPhoto(name: string): tf.Tensor4D {
  const { width, height, rgb } = decodePng(new URL(`images/${name}`, sharedDir));
  return tf.tidy(() => {
    const image = tf.tensor3d(Float32Array.from(rgb), [height, width, 3]);
    return tf.image.resizeBilinear(tf.expandDims(image, 0) as tf.Tensor4D, [
      CENTERNET_SIZE,
      CENTERNET_SIZE,
    ]);
  });
}
