import * as tf from '@tensorflow/tfjs-core';

/**
 * Masked-out entries are pushed this far away, so a max (min) over a set ignores them; an empty
 * set then yields about −1e9 (+1e9), which makes every hinge over it exactly zero (spec §5:
 * "empty sets make a term 0"). Entries inside the set are used unchanged.
 */
const FAR = 1e9;

/** Per-sample maximum of `scores` over the labels in `mask` ([N, L] → [N]). */
export function maxOver(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.max(tf.add(scores, tf.mul(tf.sub(mask, 1), FAR)), 1) as tf.Tensor1D);
}

/** Per-sample minimum of `scores` over the labels in `mask` ([N, L] → [N]). */
export function minOver(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.min(tf.add(scores, tf.mul(tf.sub(1, mask), FAR)), 1) as tf.Tensor1D);
}

/** max(0, max_{below} s − min_{above} s + κ): zero once every `above` label beats every `below` one by κ. */
export function orderHinge(
  scores: tf.Tensor2D,
  above: tf.Tensor2D,
  below: tf.Tensor2D,
  kappa: number,
): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf.relu(tf.add(tf.sub(maxOver(scores, below), minOver(scores, above)), kappa)) as tf.Tensor1D,
  );
}

/** The sets a ranking loss needs, as masks [N, L]. */
export interface OrderSets {
  /** T = A⁺ ∪ B⁺: the labels that must rank on top. */
  readonly positive: tf.Tensor2D;
  /** N = A⁻ ∪ B⁻: the labels that must rank below T. */
  readonly negative: tf.Tensor2D;
  /** A⁻: present at the start, absent in the target (1 → 0). */
  readonly hidden: tf.Tensor2D;
  /** A⁺: absent at the start, present in the target (0 → 1). */
  readonly added: tf.Tensor2D;
  /** B⁺: present at the start and in the target. */
  readonly keptPresent: tf.Tensor2D;
  /** B⁻: absent at the start and in the target. */
  readonly keptAbsent: tf.Tensor2D;
}

/** Rank I (spec §5): max(0, max_{j∈N} s_j − min_{i∈T} s_i + κ). */
export function rank1Loss(scores: tf.Tensor2D, sets: OrderSets, kappa: number): tf.Tensor1D {
  return orderHinge(scores, sets.positive, sets.negative, kappa);
}

/** Which Rank II terms to use: both (mlap's default) or only the hidden one (the public port). */
export type Rank2Mode = 'both' | 'hideOnly';

/**
 * Rank II (spec §5): Rank I, plus hidden labels below every label that stays absent
 * (max_{A⁻} − min_{B⁻}), plus — unless `'hideOnly'` — added labels above every kept one
 * (max_{B⁺} − min_{A⁺}).
 */
export function rank2Loss(
  scores: tf.Tensor2D,
  sets: OrderSets,
  kappa: number,
  mode: Rank2Mode = 'both',
): tf.Tensor1D {
  return tf.tidy(() => {
    const hide = orderHinge(scores, sets.keptAbsent, sets.hidden, kappa);
    const base = tf.add(rank1Loss(scores, sets, kappa), hide);
    return (
      mode === 'both' ? tf.add(base, orderHinge(scores, sets.added, sets.keptPresent, kappa)) : base
    ) as tf.Tensor1D;
  });
}

/**
 * Ranking success (bool [N]): every label of T scores strictly above every label of N — with no
 * don't-care labels, the top k are exactly T, and ties at the boundary fail (spec §5).
 */
export function rankingSuccess(
  scores: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(
    () => tf.greater(minOver(scores, positive), maxOver(scores, negative)) as tf.Tensor1D,
  );
}

/** Per-sample cosine between scores and an ideal order vector (the ports' best-result quality). */
export function cosineTo(scores: tf.Tensor2D, ideal: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const dot = tf.sum(tf.mul(scores, ideal), 1);
    const norms = tf.mul(tf.norm(scores, 2, 1), tf.norm(ideal, 2, 1));
    return tf.divNoNan(dot, norms) as tf.Tensor1D;
  });
}
