import {
  classificationHinge,
  classificationObjective,
  cwSearch,
  defineAttack,
  mlCwOptions,
} from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A high-confidence ML-CW, the adaptive attacker of the noise-instability detector: a sample
 * counts as done only once every cared-for label sits on its target side by at least κ
 * (`confidence`, in the chosen margin space), so the returned input is the closest one *with that
 * margin* rather than the closest one that barely crosses the threshold. Plain ML-CW uses κ in
 * its loss but keeps the closest iterate that merely succeeds, which sits on the boundary —
 * exactly where noise flips labels. The driver still verifies success as usual (label sets).
 *
 * @example
 * await runAttack(highConfidenceMlCw, { model, inputs, targets }, { confidence: 2, space: 'logit' });
 */
export const highConfidenceMlCw = defineAttack({
  name: 'ml-cw-high-confidence',
  requires: { gradients: true },
  options: mlCwOptions,
  run: (context, options) =>
    cwSearch(
      context,
      (rows) => ({
        ...classificationObjective(rows, options.space, options.confidence),
        // Done when the κ-hinge is zero, i.e. every cared-for margin is at least κ.
        success: (logits) =>
          tf.tidy(
            () =>
              tf.lessEqual(
                classificationHinge(rows, logits, options.space, options.confidence),
                0,
              ) as tf.Tensor1D,
          ),
      }),
      options,
    ),
});
