import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** The largest `model.json` read (its topology; weights live in the shards). */
const MAX_MODEL_JSON_BYTES = 256 * 1024 * 1024;

async function readBytes(path: string, maxBytes?: number): Promise<Uint8Array> {
  try {
    if (maxBytes !== undefined) {
      const { size } = await stat(path);
      if (size > maxBytes) {
        throw new ModelFileError(
          path,
          `holds ${size} bytes; the model's manifest leaves room for ${maxBytes} (dtype × shape)`,
        );
      }
    }
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (cause) {
    if (ModelFileError.isInstance(cause)) throw cause;
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

/** `path` (from a weights manifest) inside `dir`, or a {@link ModelFileError} when it leaves it. */
function shardFile(dir: string, path: string, source: string): string {
  const file = resolve(dir, path);
  const rel = relative(resolve(dir), file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ModelFileError(source, `weight path "${path}" leaves the model's folder`);
  }
  return file;
}

/**
 * Reads a TF.js `model.json` and its weight shards (paths relative to it, confined to its folder)
 * into artifacts. Each shard's size is checked against the manifest before it is read.
 */
export async function readModelArtifacts(modelJsonPath: string): Promise<tf.io.ModelArtifacts> {
  const text = new TextDecoder().decode(await readBytes(modelJsonPath, MAX_MODEL_JSON_BYTES));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelFileError(modelJsonPath, `malformed JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  const dir = dirname(modelJsonPath);
  return artifactsFromJson(
    json,
    (path, maxBytes) => readBytes(shardFile(dir, path, modelJsonPath), maxBytes),
    modelJsonPath,
  );
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
  return layersModelFromArtifacts(await readModelArtifacts(modelJsonPath), modelJsonPath);
}

/**
 * Loads a TF.js graph model (`model.json` with `format: graph-model` + shards) from files, e.g. a
 * user's converted TensorFlow model, without a native backend.
 */
export async function loadGraphModelFiles(modelJsonPath: string): Promise<GraphModel> {
  const artifacts = await readModelArtifacts(modelJsonPath);
  let model: GraphModel;
  try {
    model = await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    throw new ModelFileError(modelJsonPath, `cannot build the graph model: ${String(cause)}`, {
      cause,
    });
  }
  const unknown = unknownGraphOps(model);
  if (unknown.length > 0) {
    model.dispose();
    throw new ModelFileError(
      modelJsonPath,
      `unsupported op type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} ` +
        '(not in TF.js; register custom ops with tf.registerOp before loading)',
    );
  }
  return model;
}

/**
 * Op types of a loaded graph model that TF.js cannot run. The converter maps each node to its op
 * category when it knows the op (built in or registered with `registerOp`) and leaves it without
 * one otherwise; execution would only fail later, on the first `predict`.
 */
function unknownGraphOps(model: GraphModel): string[] {
  type Node = { op?: unknown; category?: unknown };
  const executor = (model as unknown as { executor?: { graph?: { nodes?: Record<string, Node> } } })
    .executor;
  const nodes = Object.values(executor?.graph?.nodes ?? {});
  const unknown = new Set<string>();
  for (const node of nodes) {
    if (typeof node.op === 'string' && node.category === undefined) unknown.add(node.op);
  }
  return [...unknown].sort();
}
