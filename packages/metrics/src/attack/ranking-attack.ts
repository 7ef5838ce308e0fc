import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { checkSameShape, checkScores, take } from '../validate.js';

/** Target labels per sample: label indices, one list per row of the score matrix. */
export type TargetLabels = readonly (readonly number[])[];

function checkTargets(targets: TargetLabels, n: number, l: number): void {
  if (targets.length !== n) {
    throw new ArgumentError(
      'targets',
      `expected ${n} target lists (one per sample); got ${targets.length}`,
    );
  }
  targets.forEach((t, i) => {
    t.forEach((j) => {
      if (!Number.isInteger(j) || j < 0 || j >= l) {
        throw new ArgumentError(`targets[${i}]`, `label ${j} is not an integer in [0, ${l - 1}]`);
      }
    });
  });
}

/**
 * The rank of every label in its sample, 1 = top: |{k: s_k ≥ s_j}|, so a label tied with others
 * takes the worst (largest) rank of its tie group, as `rankdata(−s, 'max')` — the pessimistic
 * convention for an attacker (a target tied with a rival is not counted as ahead of it).
 * Computed on the backend with one sort per row. Call after validation.
 * @internal
 */
function ranksOf(scores: tf.Tensor): number[] {
  return take(
    tf.tidy(() => {
      const l = scores.shape[1] ?? 0;
      const { values } = tf.topk(scores, l, true);
      return tf.upperBound(tf.neg(values), tf.neg(scores));
    }),
  );
}

/**
 * The rank (1 = top) of each target label after the attack; ties take the worst rank of their
 * tie group (see {@link topKHitRate}).
 *
 * @param scores - scores after the attack [N, L], finite
 * @param targets - target label indices per sample
 * @returns one list of ranks per sample, in the order of `targets`
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function targetRanks(scores: tf.Tensor, targets: TargetLabels): number[][] {
  checkScores(scores, 'scores');
  const [n = 0, l = 0] = scores.shape;
  checkTargets(targets, n, l);
  const ranks = ranksOf(scores);
  return targets.map((t, i) => t.map((j) => ranks[i * l + j] ?? Number.NaN));
}

/**
 * Top-k hit rate: the fraction of samples whose target labels all rank within the top k after
 * the attack. `k` defaults to each sample's number of targets (the target set *is* the top).
 * A target tied with a non-target at the k-th place does not count as a hit (ranks take the worst
 * place of their tie group). A sample with no target label always hits.
 *
 * @param scores - scores after the attack [N, L], finite
 * @param targets - target label indices per sample
 * @param k - an integer in [1, L]; default per sample: its number of targets
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function topKHitRate(scores: tf.Tensor, targets: TargetLabels, k?: number): number {
  const ranks = targetRanks(scores, targets);
  const l = scores.shape[1] ?? 0;
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > l)) {
    throw new ArgumentError('k', `must be an integer in [1, ${l}]; got ${k}`);
  }
  const hits = ranks.filter((r) => r.every((rank) => rank <= (k ?? r.length))).length;
  return ranks.length === 0 ? Number.NaN : hits / ranks.length;
}

/**
 * Kendall's τ-b between each sample's score order before and after the attack, as
 * `scipy.stats.kendalltau` (its default variant `b`): (C − D) / √((P − Tₓ)(P − T_y)) over the
 * P = L(L − 1)/2 label pairs, with C concordant, D discordant pairs and Tₓ, T_y pairs tied in
 * each order (a pair tied in both counts in both). NaN for a sample whose scores are all equal
 * before or after, or with fewer than 2 labels, as scipy. Pairwise on the backend, in chunks of
 * samples: O(N·L²) work and O(chunk·L²) memory.
 *
 * @param before - scores before the attack [N, L], finite
 * @param after - scores after the attack [N, L], finite
 * @returns τ-b per sample, in [−1, 1]
 * @throws ShapeError, NonFiniteError
 */
export function kendallTau(before: tf.Tensor, after: tf.Tensor): number[] {
  checkScores(before, 'before');
  checkScores(after, 'after');
  checkSameShape(before, after, 'after');
  const [n = 0, l = 0] = before.shape;
  const chunk = Math.max(1, Math.floor(2 ** 22 / Math.max(1, l * l)));
  const out: number[] = [];
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const [products, xUntied, yUntied] = tf.tidy(() => {
      const signs = (t: tf.Tensor) => {
        const rows = tf.slice(t, [start, 0], [size, l]);
        return tf.sign(tf.sub(tf.expandDims(rows, 2), tf.expandDims(rows, 1)));
      };
      const sx = signs(before);
      const sy = signs(after);
      return [
        tf.sum(tf.mul(sx, sy), [1, 2]),
        tf.sum(tf.abs(sx), [1, 2]),
        tf.sum(tf.abs(sy), [1, 2]),
      ];
    });
    const s = take(products);
    const tx = take(xUntied);
    const ty = take(yUntied);
    // Every unordered pair appears twice in the L × L sums: the factor cancels.
    s.forEach((v, i) => {
      const d = Math.sqrt((tx[i] ?? 0) * (ty[i] ?? 0));
      out.push(d === 0 ? Number.NaN : Math.max(-1, Math.min(1, v / d)));
    });
  }
  return out;
}
