import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readImage } from '@mlap/datasets/node';
import { centerNetInput } from '@mlap/models';
import { loadCenterNet as loadFromFolder } from '@mlap/models/node';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

/** The shared real model and photos, next to the repository: `../shared/` from its root. */
export const sharedDir = new URL('../../../shared/', import.meta.url);
const modelDir = new URL('models/centernet-coco/', sharedDir);

/** True when `../shared/models/centernet-coco` is present. */
export function centerNetAvailable(): boolean {
  return existsSync(new URL('centernet.json', modelDir));
}

/** Loads the MobileNetV3-CenterNet graph model from `../shared` (via `@mlap/models`). */
export async function loadCenterNet(): Promise<GraphModel> {
  const { graph } = await loadFromFolder({ dir: fileURLToPath(modelDir) });
  return graph;
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
export async function loadPhoto(name: string): Promise<tf.Tensor4D> {
  const image = await readImage(fileURLToPath(new URL(`images/${name}`, sharedDir)), {
    channels: 3,
  });
  return centerNetInput(image);
}
