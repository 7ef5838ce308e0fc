import { existsSync, readFileSync } from 'node:fs';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

/** `../shared/models/centernet-coco`, resolved from the repository root. */
const modelDir = new URL('../../../../shared/models/centernet-coco/', import.meta.url);

/** True when the shared CenterNet model is present next to the repository. */
export function centerNetAvailable(): boolean {
  return existsSync(new URL('centernet.json', modelDir));
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Loads the graph model through an in-memory IOHandler (no file:// loader without tfjs-node). */
export async function loadCenterNet(): Promise<GraphModel> {
  const json = JSON.parse(readFileSync(new URL('centernet.json', modelDir), 'utf8')) as ModelJson;
  const groups = json.weightsManifest;
  const bins = groups.flatMap((g) => g.paths.map((p) => readFileSync(new URL(p, modelDir))));
  const weightData = new Uint8Array(Buffer.concat(bins)).buffer;
  const weightSpecs = groups.flatMap((g) => g.weights);
  const artifacts = { modelTopology: json.modelTopology, weightSpecs, weightData };
  return loadGraphModel(tf.io.fromMemory(artifacts));
}

/** Multi-label scores [1, 80]: the maximum of each class's centre heatmap. */
export function centerNetScores(model: GraphModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.max(model.execute(x, 'tower_0/keypoints') as tf.Tensor4D, [1, 2]));
}
