import { ArgumentError, type Box, validateBox } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelModel } from './multi-label-model.js';

/** Whether a score function returns logits or probabilities in [0, 1]. */
export type ScoreKind = 'logits' | 'probabilities';

/** Everything needed to turn a score function into a {@link MultiLabelModel}. */
export interface ModelSpec {
  /** The score function: [N, ...inputShape] → [N, L]. */
  readonly scores: (x: tf.Tensor) => tf.Tensor;
  /** What `scores` returns (default `'logits'`). Probabilities are mapped to logits, clamped. */
  readonly output?: ScoreKind;
  /** Number of labels L. */
  readonly numLabels: number;
  /** Shape of one input. */
  readonly inputShape: readonly number[];
  /** The input box. */
  readonly box: Box;
  /** Label names (length L). */
  readonly labelNames?: readonly string[];
  /** Probability threshold(s): one for all labels or one per label (default 0.5). */
  readonly thresholds?: number | readonly number[];
}

/**
 * Probabilities are clamped to [1e-7, 1 − 1e-7] before log p − log(1 − p): a saturated sigmoid
 * would otherwise give ±∞ logits and zero gradients (spec §0).
 */
const P_EPS = 1e-7;

/** Logits from probabilities: log p − log(1 − p), p clamped away from 0 and 1. */
export function probabilitiesToLogits(p: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, P_EPS, 1 - P_EPS);
    return tf.sub(tf.log(q), tf.log1p(tf.neg(q)));
  });
}

function resolveThresholds(spec: ModelSpec): number[] {
  const { thresholds = 0.5, numLabels } = spec;
  const values =
    typeof thresholds === 'number'
      ? new Array<number>(numLabels).fill(thresholds)
      : [...thresholds];
  if (values.length !== numLabels) {
    throw new ArgumentError(
      'thresholds',
      `needs ${numLabels} values (one per label); got ${values.length}`,
    );
  }
  values.forEach((t, j) => {
    if (!(t > 0 && t < 1))
      throw new ArgumentError('thresholds', `label ${j}: τ must lie in (0, 1); got ${t}`);
  });
  return values;
}

function checkSpec(spec: ModelSpec): void {
  if (!Number.isInteger(spec.numLabels) || spec.numLabels < 1) {
    throw new ArgumentError('numLabels', `must be an integer ≥ 1; got ${spec.numLabels}`);
  }
  if (spec.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(
      'inputShape',
      `must be positive integers; got [${spec.inputShape.join(', ')}]`,
    );
  }
  if (spec.labelNames !== undefined && spec.labelNames.length !== spec.numLabels) {
    throw new ArgumentError(
      'labelNames',
      `needs ${spec.numLabels} names; got ${spec.labelNames.length}`,
    );
  }
  validateBox(spec.box, 'box');
}

/**
 * Wraps any score function as a {@link MultiLabelModel}: a plain function, or the body of an
 * adapter. Scores must come back as [N, L]; probability outputs are mapped to logits.
 *
 * @example
 * const model = defineModel({ scores: (x) => net.apply(x), numLabels: 20, inputShape: [32, 32, 3], box: { lo: 0, hi: 1 } });
 */
export function defineModel(spec: ModelSpec): MultiLabelModel {
  checkSpec(spec);
  const thresholds = resolveThresholds(spec);
  const toLogits = spec.output === 'probabilities';
  return {
    numLabels: spec.numLabels,
    labelNames: spec.labelNames,
    inputShape: [...spec.inputShape],
    box: spec.box,
    thresholds,
    logits: (x) =>
      tf.tidy(() => {
        const s = spec.scores(x);
        if (s.rank !== 2 || s.shape[0] !== x.shape[0] || s.shape[1] !== spec.numLabels) {
          throw new ArgumentError(
            'model',
            `scores must have shape [${x.shape[0]}, ${spec.numLabels}]; got [${s.shape.join(', ')}]`,
          );
        }
        return (toLogits ? probabilitiesToLogits(s) : s) as tf.Tensor2D;
      }),
  };
}
