import { classificationObjective, cwSearch, defineAttack, mlCwOptions } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type Cooccurrence, inconsistency } from './cooccurrence.js';

/**
 * A consistency-aware ML-CW (spec §8a): the ML-CW loss plus λ times the detector's inconsistency of
 * the model's probabilities, so the attacker looks for label sets the detector accepts. Judging a
 * detector only against attackers who ignore it overstates it; this is the attacker it must face.
 *
 * @param stats - the detector's learned statistics (the attacker knows them)
 */
export function consistencyAwareMlCw(stats: Cooccurrence) {
  return defineAttack({
    name: 'ml-cw-consistency-aware',
    requires: { gradients: true },
    options: mlCwOptions.extend({
      /** Weight λ of the detector's score in the loss. */
      detectorWeight: z.number().min(0).default(1),
    }),
    run: (context, options) =>
      cwSearch(
        context,
        (rows) => {
          const base = classificationObjective(rows, options.space, options.confidence);
          return {
            ...base,
            loss: (logits) =>
              tf.tidy(() =>
                tf.add(
                  base.loss(logits),
                  tf.mul(
                    inconsistency(stats, tf.sigmoid(logits) as tf.Tensor2D),
                    options.detectorWeight,
                  ),
                ),
              ) as tf.Tensor1D,
          };
        },
        options,
      ),
  });
}
