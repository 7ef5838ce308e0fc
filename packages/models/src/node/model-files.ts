import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from '../errors/model-file-error.js';
import {
  artifactsFromJson,
  artifactsToFiles,
  layersModelFromArtifacts,
  modelToArtifacts,
} from '../io/artifacts.js';

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new ModelFileError(
      path,
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`,
      {
        cause,
      },
    );
  }
}

/** Reads a TF.js `model.json` and its weight shards (paths relative to it) into artifacts. */
export async function readModelArtifacts(modelJsonPath: string): Promise<tf.io.ModelArtifacts> {
  const text = new TextDecoder().decode(await readBytes(modelJsonPath));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelFileError(modelJsonPath, `malformed JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  const dir = dirname(modelJsonPath);
  return artifactsFromJson(json, (path) => readBytes(join(dir, path)), modelJsonPath);
}

/**
 * Saves a LayersModel in the TF.js format to `dir` (`model.json` + `weights.bin`), from Node
 * without `tfjs-node`. `metadata` is stored as the model's `userDefinedMetadata`.
 *
 * @returns the path of `model.json`
 */
export async function saveModelFiles(
  model: tfl.LayersModel,
  dir: string,
  metadata?: Record<string, unknown>,
): Promise<string> {
  const files = artifactsToFiles(await modelToArtifacts(model), 'weights.bin', metadata);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'model.json');
  await writeFile(path, `${JSON.stringify(files.json)}\n`);
  await writeFile(join(dir, 'weights.bin'), files.weights);
  return path;
}

/** Loads a TF.js layers model (`model.json` + shards) from files, without a native backend. */
export async function loadLayersModelFiles(modelJsonPath: string): Promise<tfl.LayersModel> {
  return layersModelFromArtifacts(await readModelArtifacts(modelJsonPath));
}

/**
 * Loads a TF.js graph model (`model.json` with `format: graph-model` + shards) from files, e.g. a
 * user's converted TensorFlow model, without a native backend.
 */
export async function loadGraphModelFiles(modelJsonPath: string): Promise<GraphModel> {
  return loadGraphModel(tf.io.fromMemory(await readModelArtifacts(modelJsonPath)));
}
