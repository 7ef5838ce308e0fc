import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Pairwise label statistics learned from training labels: for every pair (i, j) the smoothed log
 * probabilities of the four joint states (1,1), (1,0), (0,1), (0,0). The multi-label analogue of a
 * co-occurrence / implication table (spec §8a): "dog without animal" or "sheep with car" get a low
 * probability, so label sets that break the data's structure stand out.
 */
export interface Cooccurrence {
  /** Number of labels L. */
  readonly numLabels: number;
  /** log P(y_i = a, y_j = b) as four [L, L] row-major tables: [11, 10, 01, 00]. */
  readonly logJoint: readonly [Float32Array, Float32Array, Float32Array, Float32Array];
  /** Training samples seen. */
  readonly samples: number;
}

/**
 * Learns {@link Cooccurrence} from 0/1 training label rows, with additive (Laplace) smoothing so
 * pairs never seen together keep a small, finite probability.
 *
 * @param labels - one 0/1 row per training sample, L entries each
 * @param smoothing - pseudo-count added to each joint state (default 1)
 */
export function learnCooccurrence(
  labels: readonly (readonly number[])[],
  smoothing = 1,
): Cooccurrence {
  const L = labels[0]?.length ?? 0;
  if (labels.length === 0 || L < 2)
    throw new ArgumentError('labels', 'need at least one row of at least 2 labels');
  if (!(smoothing > 0)) throw new ArgumentError('smoothing', `must be > 0; got ${smoothing}`);
  const counts = [0, 1, 2, 3].map(() => new Float64Array(L * L));
  labels.forEach((row, r) => {
    if (row.length !== L)
      throw new ArgumentError('labels', `row ${r} has ${row.length} labels, not ${L}`);
    row.forEach((a, i) => {
      if (a !== 0 && a !== 1)
        throw new ArgumentError('labels', `row ${r}, label ${i}: ${a} is not 0 or 1`);
    });
    for (let i = 0; i < L; i++) {
      const a = row[i] ?? 0;
      for (let j = 0; j < L; j++) {
        const state = (1 - a) * 2 + (1 - (row[j] ?? 0)); // 11 → 0, 10 → 1, 01 → 2, 00 → 3
        const table = counts[state] as Float64Array;
        table[i * L + j] = (table[i * L + j] ?? 0) + 1;
      }
    }
  });
  const total = labels.length + 4 * smoothing;
  const logJoint = counts.map((c) =>
    Float32Array.from(c, (v) => Math.log((v + smoothing) / total)),
  );
  return {
    numLabels: L,
    logJoint: logJoint as unknown as Cooccurrence['logJoint'],
    samples: labels.length,
  };
}

/**
 * Per-sample inconsistency: the mean negative pairwise log-likelihood of a (soft) label set,
 * −(1/(L(L−1))) Σ_{i≠j} Σ_{a,b} P(y_i=a) P(y_j=b) log P(a, b). Exact for 0/1 label sets,
 * multilinear (so differentiable) for probabilities — which lets an adaptive attacker add it to
 * its loss. Higher means less consistent with the training data.
 *
 * @param stats - the learned statistics
 * @param probs - label sets or probabilities [N, L]
 */
export function inconsistency(stats: Cooccurrence, probs: tf.Tensor2D): tf.Tensor1D {
  const L = stats.numLabels;
  return tf.tidy(() => {
    const p = probs;
    const q = tf.sub(1, p);
    // Outer products [N, L, L] of the four state probabilities.
    const outer = (a: tf.Tensor2D, b: tf.Tensor2D) =>
      tf.mul(tf.expandDims(a, 2), tf.expandDims(b, 1));
    const states = [
      outer(p, p),
      outer(p, q as tf.Tensor2D),
      outer(q as tf.Tensor2D, p),
      outer(q as tf.Tensor2D, q as tf.Tensor2D),
    ];
    const offDiagonal = tf.sub(1, tf.eye(L));
    let sum: tf.Tensor = tf.zeros([p.shape[0], L, L]);
    states.forEach((s, k) => {
      sum = tf.add(sum, tf.mul(s, tf.tensor2d(stats.logJoint[k] as Float32Array, [L, L])));
    });
    return tf.div(tf.neg(tf.sum(tf.mul(sum, offDiagonal), [1, 2])), L * (L - 1)) as tf.Tensor1D;
  });
}
