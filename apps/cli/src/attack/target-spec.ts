import { readFileSync, statSync } from 'node:fs';
import {
  parseTargetStrategy,
  TARGET_STRATEGY_FORMS,
  type TargetStrategy,
  type TargetVector,
} from '@mlap/core';
import { parseJson } from '@mlap/datasets';
import { UsageError } from './usage-error.js';

/** A `--target` value: a strategy, or explicit targets from a file. */
export type TargetSpec = { readonly strategy: TargetStrategy } | { readonly file: string };

/** Parses a strategy name (see `parseTargetStrategy` of @mlap/core) or `file:<targets.json>`. */
export function parseTargetSpec(value: string): TargetSpec {
  if (value.startsWith('file:') && value.length > 'file:'.length) return { file: value.slice(5) };
  try {
    return { strategy: parseTargetStrategy(value) };
  } catch {
    throw new UsageError(
      `unknown target "${value}"`,
      `use ${[...TARGET_STRATEGY_FORMS, 'file:<targets.json>'].join(', ')}`,
    );
  }
}

/** The largest targets file read: 64 MiB (a million 16-label targets fit in a few). */
export const MAX_TARGETS_FILE_BYTES = 64 * 1024 * 1024;

/** A target as the file gives it, checked against the model's labels; throws a message. */
function targetVector(
  target: unknown,
  labels: number,
  labelNames: readonly string[] | undefined,
): TargetVector {
  const named = (name: string): number => {
    const j = labelNames?.indexOf(name) ?? -1;
    if (j >= 0) return j;
    const known = labelNames === undefined ? 'the model has no label names' : labelNames.join(', ');
    throw new Error(`label "${name}" is not one of the model's labels (${known})`);
  };
  if (Array.isArray(target) && target.length > 0 && target.every((v) => typeof v === 'string')) {
    // ["cat", "dog"]: exactly these labels on, every other one off
    const out: (0 | 1 | null)[] = new Array(labels).fill(0);
    for (const name of target as string[]) out[named(name)] = 1;
    return out;
  }
  if (Array.isArray(target)) {
    if (target.length !== labels) throw new Error(`target must list ${labels} values`);
    const bad = target.findIndex((v) => v !== 0 && v !== 1 && v !== null);
    if (bad >= 0) throw new Error(`target[${bad}] must be 0, 1 or null`);
    return target as TargetVector;
  }
  if (typeof target === 'object' && target !== null) {
    // {"cat": 1, "dog": 0}: the labels named, every other one don't care
    const out: (0 | 1 | null)[] = new Array(labels).fill(null);
    for (const [name, v] of Object.entries(target)) {
      if (v !== 0 && v !== 1 && v !== null)
        throw new Error(`target "${name}" must be 0, 1 or null`);
      out[named(name)] = v;
    }
    return out;
  }
  throw new Error(
    `target must list ${labels} values, name the labels ["cat", …], or map them {"cat": 1, …}`,
  );
}

/**
 * Reads `[{"index": <0-based row>, "target": …}…]`, where a target is a list of one 0 / 1 / null
 * (don't care) per label, a list of label names (exactly those on), or an object of label names
 * to 0 / 1 / null (the others don't care). Label names are checked against the model's: an
 * unknown one is a usage error naming it. Problems name the file and the entry (or the line of a
 * JSON syntax error); a file over {@link MAX_TARGETS_FILE_BYTES} is refused before it is read.
 */
export function readTargetsFile(
  path: string,
  samples: number,
  labels: number,
  labelNames?: readonly string[],
): Map<number, TargetVector> {
  let text: string;
  try {
    const { size } = statSync(path);
    if (size > MAX_TARGETS_FILE_BYTES) {
      throw new Error(`${size} bytes; files over ${MAX_TARGETS_FILE_BYTES} bytes are refused`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${path}: cannot read targets (${(error as Error).message.split('\n')[0]})`,
    );
  }
  let json: unknown;
  try {
    json = parseJson(text, path);
  } catch (error) {
    const { line } = error as { line?: number };
    const message = (error as Error).message.split('\n')[0] ?? '';
    const detail = message.slice(message.indexOf(': ', path.length) + 2);
    throw new UsageError(
      `${path}${line === undefined ? '' : `:${line}`}: cannot read targets (${detail})`,
    );
  }
  if (!Array.isArray(json))
    throw new UsageError(`${path}: expected a JSON array of {index, target}`);
  const out = new Map<number, TargetVector>();
  json.forEach((entry: unknown, k) => {
    const { index, target } = (entry ?? {}) as { index?: unknown; target?: unknown };
    const where = `${path}: entry ${k}`;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= samples) {
      throw new UsageError(`${where}: index must be an integer in 0..${samples - 1}`);
    }
    if (out.has(index as number)) throw new UsageError(`${where}: index ${index} is listed twice`);
    try {
      out.set(index as number, targetVector(target, labels, labelNames));
    } catch (error) {
      throw new UsageError(`${where}: ${(error as Error).message}`);
    }
  });
  return out;
}
