import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from '../errors/model-file-error.js';

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
 * Reads artifacts from a parsed `model.json` and a function that returns a shard's bytes by its
 * manifest path (a file read in Node, a `fetch` in the browser). Shards are concatenated in
 * manifest order, as the TF.js format defines.
 *
 * @param source - the model.json file name, for error messages
 */
export async function artifactsFromJson(
  json: unknown,
  readShard: (path: string) => Promise<Uint8Array>,
  source = 'model.json',
): Promise<tf.io.ModelArtifacts> {
  const modelJson = json as tf.io.ModelJSON;
  if (
    typeof json !== 'object' ||
    json === null ||
    modelJson.modelTopology === undefined ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ModelFileError(
      source,
      'not a TF.js model.json (needs modelTopology and weightsManifest)',
    );
  }
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const shards: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const path of group.paths) {
        const bytes = await readShard(path);
        shards.push(bytes.slice().buffer as ArrayBuffer);
      }
    }
    return [specs, tf.io.concatenateArrayBuffers(shards)];
  });
}

/** Loads a LayersModel from in-memory artifacts (no network, no file system, no native backend). */
export function layersModelFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}
