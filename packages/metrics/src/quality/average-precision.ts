import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { checkLabelsAndScores, mean, take } from '../validate.js';
import type { Average } from './options.js';
import { asFloat, rankedStats } from './ranked.js';

/**
 * Average precision of each label (column), as scikit-learn's `average_precision_score` with
 * `average=None`: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct score thresholds, i.e. the mean over
 * the positives of the precision among the samples scoring at least as high (ties form one
 * threshold, as in scikit-learn). A label with no positive sample gets 0 (scikit-learn 1.2 sets
 * its recall to 1 everywhere, which gives 0). Batched: one `tf.topk` and one binary search over
 * all labels at once.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite (any monotone scale: probabilities or logits)
 * @returns L values in [0, 1]
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function averagePrecisionPerLabel(labels: tf.Tensor, scores: tf.Tensor): number[] {
  checkLabelsAndScores(labels, scores);
  return averagePrecisionPerLabelUnchecked(labels, scores);
}

/** {@link averagePrecisionPerLabel} without validation. @internal */
export function averagePrecisionPerLabelUnchecked(labels: tf.Tensor, scores: tf.Tensor): number[] {
  const [y, s] = tf.tidy(() => [tf.transpose(asFloat(labels)), tf.transpose(scores)]);
  return apOfRows(y, s);
}

/** A float32 copy of `labels` the caller owns. */
function asFloatOwned(labels: tf.Tensor): tf.Tensor {
  return labels.dtype === 'float32' ? labels.clone() : tf.cast(labels, 'float32');
}

/** AP of every row of [B, M] labels and scores; disposes both inputs. */
function apOfRows(labels: tf.Tensor, scores: tf.Tensor): number[] {
  try {
    const [sum, positives] = tf.tidy(() => {
      const s = rankedStats(scores as tf.Tensor2D, labels as tf.Tensor2D);
      return [s.precisionSum, s.positives];
    });
    const p = take(positives);
    return take(sum).map((v, i) => ((p[i] ?? 0) > 0 ? v / (p[i] ?? 1) : 0));
  } finally {
    tf.dispose([labels, scores]);
  }
}

/**
 * Averaged average precision, as scikit-learn's `average_precision_score(average=…)`:
 * `macro` (the usual mAP: mean of the per-label APs, labels without positives counting as 0),
 * `weighted` (weighted by each label's positives; 0 when there are none at all), `micro` (AP of
 * all cells pooled) and `samples` (mean over samples of the AP of each sample's label ranking,
 * a sample without positives counting as 0).
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function averagePrecision(
  labels: tf.Tensor,
  scores: tf.Tensor,
  average: Average = 'macro',
): number {
  checkLabelsAndScores(labels, scores);
  switch (average) {
    case 'macro':
      return mean(averagePrecisionPerLabel(labels, scores));
    case 'weighted': {
      const ap = averagePrecisionPerLabel(labels, scores);
      const support = take(tf.tidy(() => tf.sum(asFloat(labels), 0)));
      const total = support.reduce((a, b) => a + b, 0);
      if (total === 0) return 0;
      return ap.reduce((a, v, i) => a + v * (support[i] ?? 0), 0) / total;
    }
    case 'micro':
      return (
        apOfRows(
          tf.tidy(() => tf.reshape(asFloat(labels), [1, -1])),
          tf.reshape(scores, [1, -1]),
        )[0] ?? 0
      );
    case 'samples':
      return mean(apOfRows(asFloatOwned(labels), scores.clone()));
    default:
      throw new ArgumentError(
        'average',
        `must be micro, macro, weighted or samples; got ${average}`,
      );
  }
}

/** Mean average precision over labels: `averagePrecision(labels, scores, 'macro')`. */
export function meanAveragePrecision(labels: tf.Tensor, scores: tf.Tensor): number {
  return averagePrecision(labels, scores, 'macro');
}
