import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from '../errors/model-file-error.js';
import { checkLayerClasses, checkWeightsManifest } from './manifest-checks.js';

/** A TF.js model as the two files of the TF.js format: `model.json` and one weights shard. */
export interface ModelFiles {
  /** The contents of `model.json` (topology + weights manifest). */
  readonly json: tf.io.ModelJSON;
  /** The weights shard named in the manifest. */
  readonly weights: Uint8Array;
}

/** Captures a LayersModel's artifacts (topology, weight specs and data) in memory. */
export async function modelToArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (captured === undefined) throw new Error('model.save produced no artifacts');
  return captured;
}

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(new tf.io.CompositeArrayBuffer(data).slice());
}

/**
 * Turns artifacts into the TF.js file format: `model.json` naming one weights shard
 * (`weightsPath`, default `weights.bin`), plus that shard's bytes.
 *
 * @param metadata - stored as `userDefinedMetadata` (e.g. label names, box, metrics)
 */
export function artifactsToFiles(
  artifacts: tf.io.ModelArtifacts,
  weightsPath = 'weights.bin',
  metadata?: Record<string, unknown>,
): ModelFiles {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
    ...(metadata === undefined ? {} : { userDefinedMetadata: metadata as Record<string, object> }),
  };
  return { json, weights: weightBytes(artifacts.weightData) };
}

/**
 * Reads a weight shard by its manifest path. `maxBytes` is the most the shard may hold (what the
 * manifest still declares); a reader that can learn the size first (a file `stat`) should throw
 * before reading a larger shard.
 */
export type ShardReader = (path: string, maxBytes: number | undefined) => Promise<Uint8Array>;

/**
 * Reads artifacts from a parsed `model.json` and a function that returns a shard's bytes by its
 * manifest path (a file read in Node, a `fetch` in the browser). Shards are concatenated in
 * manifest order, as the TF.js format defines.
 *
 * Before any shard is read, the manifest is checked: shard paths must stay in the model's folder
 * (no `..`, no absolute path, no URL), every weight needs a shape and a known dtype, and a
 * layers model may only use layer types TF.js knows. The shards' total size must equal what the
 * weight specs declare (dtype × shape). Every problem throws a {@link ModelFileError} naming
 * `source`.
 *
 * @param source - the model.json file name, for error messages
 */
export async function artifactsFromJson(
  json: unknown,
  readShard: ShardReader,
  source = 'model.json',
): Promise<tf.io.ModelArtifacts> {
  const modelJson = json as tf.io.ModelJSON;
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    typeof modelJson.modelTopology !== 'object' ||
    modelJson.modelTopology === null ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ModelFileError(
      source,
      'not a TF.js model.json (needs modelTopology and weightsManifest)',
    );
  }
  const { paths, declaredBytes } = checkWeightsManifest(modelJson.weightsManifest, source);
  if (modelJson.format !== 'graph-model' && !('node' in modelJson.modelTopology)) {
    checkLayerClasses(modelJson.modelTopology, source);
  }
  const shards: ArrayBuffer[] = [];
  let total = 0;
  for (const path of paths) {
    const bytes = await readShard(
      path,
      declaredBytes === undefined ? undefined : declaredBytes - total,
    );
    total += bytes.byteLength;
    if (declaredBytes !== undefined && total > declaredBytes) {
      throw new ModelFileError(
        source,
        `weight shards hold more than the ${declaredBytes} bytes the manifest declares (at "${path}")`,
      );
    }
    shards.push(bytes.slice().buffer as ArrayBuffer);
  }
  if (declaredBytes !== undefined && total !== declaredBytes) {
    throw new ModelFileError(
      source,
      `weight shards hold ${total} bytes; the manifest declares ${declaredBytes} (dtype × shape)`,
    );
  }
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  try {
    return await tf.io.getModelArtifactsForJSON(modelJson, async () => [
      specs,
      tf.io.concatenateArrayBuffers(shards),
    ]);
  } catch (cause) {
    if (ModelFileError.isInstance(cause)) throw cause;
    throw new ModelFileError(source, `invalid model.json: ${(cause as Error).message}`, { cause });
  }
}

/** Loads a LayersModel from in-memory artifacts (no network, no file system, no native backend). */
export async function layersModelFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  source = 'model.json',
): Promise<tfl.LayersModel> {
  checkLayerClasses(artifacts.modelTopology, source);
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    if (ModelFileError.isInstance(cause)) throw cause;
    throw new ModelFileError(source, `cannot build the model: ${(cause as Error).message}`, {
      cause,
    });
  }
}
