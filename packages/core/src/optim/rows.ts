import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext } from '../attack/attack.js';
import type { Objective } from './objective.js';

/**
 * Builds an attack's {@link Objective} for a batch. The shared loops call it for the whole batch
 * and again for the rows still being worked on ({@link subContext}), so that finished samples cost
 * no forward or backward pass (spec §3); every tensor the objective needs must come from the
 * context it is given, and what it creates is freed by its `dispose`.
 */
export type ObjectiveFactory = (context: AttackContext) => Objective;

/** A context restricted to some rows of a batch; owns the gathered tensors. */
export interface SubContext {
  /** The rows' context: inputs, targets, target tensors and start labels of those rows only. */
  readonly context: AttackContext;
  /** The rows, ascending, as an int32 tensor [k]: the indices to gather or scatter rows by. */
  readonly indices: tf.Tensor1D;
  /** The rows as numbers. */
  readonly rows: readonly number[];
  /** Frees the gathered tensors. */
  dispose(): void;
}

/**
 * The context of some rows of a batch: `inputs`, `targets`, `target` tensors and `start` sliced to
 * `rows` (sample i of the result is sample rows[i] of `context`). Model, seed and checkpoint are
 * shared. Gathers plain tensors: nothing here is differentiated.
 */
export function subContext(context: AttackContext, rows: readonly number[]): SubContext {
  const indices = tf.tensor1d([...rows], 'int32');
  const { sign, care, present } = context.target;
  const [inputs, gSign, gCare, gPresent] = tf.tidy(() => [
    tf.gather(context.inputs, indices),
    tf.gather(sign, indices) as tf.Tensor2D,
    tf.gather(care, indices) as tf.Tensor2D,
    tf.gather(present, indices) as tf.Tensor2D,
  ]) as [tf.Tensor, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const sub: AttackContext = {
    model: context.model,
    inputs,
    targets: rows.map((i) => context.targets[i] ?? []),
    target: { sign: gSign, care: gCare, present: gPresent },
    start: rows.map((i) => context.start[i] ?? []),
    seed: context.seed,
    checkpoint: (iteration, total, active) => context.checkpoint(iteration, total, active),
  };
  return {
    context: sub,
    indices,
    rows,
    dispose: () => tf.dispose([indices, inputs, gSign, gCare, gPresent]),
  };
}

/** Rows `indices` of `t` (not for use inside a differentiated function). */
export function gatherRows(t: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  return tf.gather(t, indices);
}

/**
 * Writes `values` [k, ...] back to rows `indices` of an [n, ...] tensor that is zero (false)
 * elsewhere. Booleans travel as int32, which every backend scatters.
 */
export function scatterRows(values: tf.Tensor, indices: tf.Tensor1D, n: number): tf.Tensor {
  return tf.tidy(() => {
    const k = indices.shape[0];
    const at = tf.reshape(indices, [k, 1]);
    const shape = [n, ...values.shape.slice(1)];
    if (values.dtype !== 'bool') return tf.scatterND(at, values, shape);
    return tf.cast(tf.scatterND(at, tf.cast(values, 'int32'), shape), 'bool');
  });
}

/** Indices of the true entries. */
export function activeRows(active: readonly boolean[]): number[] {
  const rows: number[] = [];
  active.forEach((a, i) => {
    if (a) rows.push(i);
  });
  return rows;
}
