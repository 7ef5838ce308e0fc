import {
  type AttackContext,
  cwSearch,
  defineAttack,
  mlCwOptions,
  type Objective,
  successMask,
} from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type RankingMasks, rankingMasks } from './ranking-sets.js';
import { cosineTo, type Rank2Mode, rank1Loss, rank2Loss, rankingSuccess } from './ranking-terms.js';

/** Options of Rank I and Rank II: ML-CW's optimisation settings with the ranking defaults of spec §5. */
export const rankOptions = mlCwOptions.extend({
  /** Scores ranked by the loss: logits (default) or probabilities (as the public port). */
  space: z.enum(['logit', 'prob']).default('logit'),
  /** `'ranking'`: T above N; `'threshold'`: also every cared-for label decided right (the port's test). */
  criterion: z.enum(['ranking', 'threshold']).default('ranking'),
});

/** Rank II additionally chooses its terms. */
export const rank2Options = rankOptions.extend({
  /** `'both'` (default) or `'hideOnly'`, the public port's single extra term. */
  rank2: z.enum(['both', 'hideOnly']).default('both'),
});

type RankOptions = z.output<typeof rankOptions>;
type RankLoss = (scores: tf.Tensor2D, masks: RankingMasks, kappa: number) => tf.Tensor1D;

/** Ranking success on logits, with the threshold criterion when asked for. */
function rankedSuccess(
  context: AttackContext,
  masks: RankingMasks,
  logits: tf.Tensor2D,
  criterion: RankOptions['criterion'],
): tf.Tensor1D {
  return tf.tidy(() => {
    // Ranks are read from the logits: σ is monotone, but float32 probabilities can tie.
    const ranked = rankingSuccess(logits, masks.positive, masks.negative);
    return (
      criterion === 'threshold' ? tf.logicalAnd(ranked, successMask(context, logits)) : ranked
    ) as tf.Tensor1D;
  });
}

/** The driver's check of a ranking attack's returned inputs. */
function rankingCriterion(
  context: AttackContext,
  logits: tf.Tensor2D,
  options: RankOptions,
): tf.Tensor1D {
  const masks = rankingMasks(context);
  try {
    return rankedSuccess(context, masks, logits, options.criterion);
  } finally {
    masks.dispose();
  }
}

/** The objective every ranking attack hands to the shared CW loop, for the rows of `context`. */
function rankingObjective(context: AttackContext, options: RankOptions, loss: RankLoss): Objective {
  const masks = rankingMasks(context);
  const scores = (logits: tf.Tensor2D) =>
    options.space === 'prob' ? (tf.sigmoid(logits) as tf.Tensor2D) : logits;
  return {
    loss: (logits) => tf.tidy(() => loss(scores(logits), masks, options.confidence)),
    // Ranks are read from the logits: σ is monotone, but float32 probabilities can tie.
    success: (logits) =>
      tf.tidy(() => {
        const ranked = rankingSuccess(logits, masks.positive, masks.negative);
        return (
          options.criterion === 'threshold'
            ? tf.logicalAnd(ranked, successMask(context, logits))
            : ranked
        ) as tf.Tensor1D;
      }),
    quality: (logits) => tf.tidy(() => cosineTo(scores(logits), masks.ideal)),
    dispose: () => masks.dispose(),
  };
}

function runRanking(context: AttackContext, options: RankOptions, loss: RankLoss) {
  return cwSearch(context, (rows) => rankingObjective(rows, options, loss), options);
}

/**
 * Rank I (Song et al. 2018; spec §5): the minimum-L2 perturbation that ranks every target positive
 * T = A⁺ ∪ B⁺ above every target negative N = A⁻ ∪ B⁻ — loss ‖r‖₂² + c·max(0, max_N s − min_T s + κ) —
 * optimised exactly like ML-CW (tanh box, Adam, early abort, binary search on c). Success: T above
 * N, ties failing (`criterion: 'threshold'` also requires the classification success). Samples whose
 * target has k = 0 or no negative are refused with a TargetError (r = 0 would meet them).
 *
 * @example
 * await runAttack(rank1, { model, inputs, targets }, { maxIterations: 200 });
 */
export const rank1 = defineAttack({
  name: 'rank1',
  requires: { gradients: true },
  options: rankOptions,
  run: (context, options) => runRanking(context, options, (s, m, k) => rank1Loss(s, m, k)),
  criterion: rankingCriterion,
});

/**
 * Rank II (Song et al. 2018; spec §5): Rank I plus the terms that order changed labels against
 * unchanged ones — hidden labels below every kept-absent label and (unless `rank2: 'hideOnly'`,
 * the public port's version) added labels above every kept-present label.
 */
export const rank2 = defineAttack({
  name: 'rank2',
  requires: { gradients: true },
  options: rank2Options,
  run: (context, options) =>
    runRanking(context, options, (s, m, k) => rank2Loss(s, m, k, options.rank2 as Rank2Mode)),
  criterion: rankingCriterion,
});
