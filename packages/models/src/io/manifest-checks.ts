import * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from '../errors/model-file-error.js';

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

/**
 * Why a weights-manifest path is not allowed, or undefined when it is: paths must be relative,
 * inside the model's own folder (no `..` segment, no absolute path, no drive letter) and not a URL.
 */
export function unsafeShardPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is not a non-empty string';
  if (path.includes('\0')) return 'contains a NUL character';
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return 'is a URL or has a drive letter';
  if (path.startsWith('/') || path.startsWith('\\')) return 'is an absolute path';
  if (path.split(/[\\/]/).some((segment) => segment === '..'))
    return 'leaves the model folder (..)';
  return undefined;
}

/** Byte size of one manifest entry from its dtype (or quantization dtype) and shape. */
function entryBytes(entry: unknown, where: string, source: string): number | undefined {
  if (typeof entry !== 'object' || entry === null) {
    throw new ModelFileError(source, `${where} is not an object`);
  }
  const { name, shape, dtype, quantization } = entry as {
    name?: unknown;
    shape?: unknown;
    dtype?: unknown;
    quantization?: { dtype?: unknown } | null;
  };
  const label = typeof name === 'string' ? `${where} "${name}"` : where;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new ModelFileError(source, `${label} has an invalid shape`);
  }
  if (dtype === 'string') return undefined; // variable length: checked by TF.js while reading
  const stored = quantization?.dtype ?? dtype;
  const size = typeof stored === 'string' ? BYTES_PER_ELEMENT[stored] : undefined;
  if (size === undefined) {
    throw new ModelFileError(source, `${label} has unsupported dtype "${String(stored)}"`);
  }
  return (shape as number[]).reduce((n, d) => n * d, size);
}

/** A checked weights manifest: the shard paths in order and the declared byte total. */
export interface CheckedManifest {
  /** Shard paths, in manifest order. */
  readonly paths: readonly string[];
  /** Bytes the weight specs declare, or undefined when a string weight makes it unknowable. */
  readonly declaredBytes: number | undefined;
}

/**
 * Checks a `weightsManifest`: every group has `paths` and `weights` arrays, every path is
 * confined to the model folder ({@link unsafeShardPath}), every weight has a shape and a known
 * dtype. Throws a {@link ModelFileError} naming `source`.
 */
export function checkWeightsManifest(manifest: unknown, source: string): CheckedManifest {
  if (!Array.isArray(manifest)) {
    throw new ModelFileError(source, 'weightsManifest is not an array');
  }
  const paths: string[] = [];
  let declared: number | undefined = 0;
  manifest.forEach((group: unknown, g) => {
    const { paths: groupPaths, weights } = (group ?? {}) as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(groupPaths) || !Array.isArray(weights)) {
      throw new ModelFileError(source, `weightsManifest[${g}] needs "paths" and "weights" arrays`);
    }
    for (const path of groupPaths) {
      const why = unsafeShardPath(path);
      if (why !== undefined) {
        throw new ModelFileError(
          source,
          `weight path ${JSON.stringify(path)} ${why}; shard paths must stay in the model's folder`,
        );
      }
      paths.push(path as string);
    }
    weights.forEach((entry: unknown, w) => {
      const bytes = entryBytes(entry, `weightsManifest[${g}].weights[${w}]`, source);
      declared = bytes === undefined || declared === undefined ? undefined : declared + bytes;
    });
  });
  return { paths, declaredBytes: declared };
}

/** Every `class_name` in a layers-model topology (layers, initializers, regularizers, …). */
function classNames(node: unknown, out: Set<string>, depth = 0): void {
  if (depth > 200 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) classNames(item, out, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.class_name === 'string') out.add(record.class_name);
  for (const value of Object.values(record)) classNames(value, out, depth + 1);
}

/**
 * Throws a {@link ModelFileError} naming every layer (or other serialized class) of a layers-model
 * topology that TF.js does not know (neither built in nor registered by the user).
 */
export function checkLayerClasses(topology: unknown, source: string): void {
  const names = new Set<string>();
  classNames(topology, names);
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  const unknown = [...names].filter((n) => !Object.hasOwn(known, n));
  if (unknown.length > 0) {
    throw new ModelFileError(
      source,
      `unknown layer or class type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} ` +
        '(register custom layers with tf.serialization.registerClass before loading)',
    );
  }
}
