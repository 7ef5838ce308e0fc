/**
 * Ranking attacks on multi-label models, on the attack contract of `@mlap/core`: Rank I and
 * Rank II (Song et al., ICDM 2018) and the top-k attacks that followed (TkML-AP targeted,
 * untargeted and universal, Hu et al., ICCV 2021). Backend-agnostic: `@tensorflow/tfjs-core` only.
 *
 * @packageDocumentation
 */
export { imperceptibleTarget } from './imperceptible-target.js';
export { rank1, rank2, rank2Options, rankOptions } from './rank-attacks.js';
export { planRankingTargets } from './ranking-plan.js';
export {
  type RankingMasks,
  type RankingSets,
  rankingMasks,
  rankingProblem,
  rankingSets,
} from './ranking-sets.js';
export {
  cosineTo,
  maxOver,
  minOver,
  type OrderSets,
  orderHinge,
  type Rank2Mode,
  rank1Loss,
  rank2Loss,
  rankingSuccess,
} from './ranking-terms.js';
export {
  tkmlOptions,
  tkmlTargeted,
  tkmlUntargeted,
  tkmlUntargetedOptions,
  untargetedCriterion,
  untargetedObjective,
  untargetedTruth,
} from './topk-attacks.js';
export { leaveTopKTarget, orderTarget, topKTarget } from './topk-targets.js';
export {
  largestOver,
  topKTargetedLoss,
  topKUntargetedLoss,
  topKUntargetedMargin,
  topKUntargetedSuccess,
} from './topk-terms.js';
export { type UniversalResult, universalOptions, universalTopK } from './universal.js';

import { rank1, rank2 } from './rank-attacks.js';

/** Short alias of {@link rank1}. */
export const RankI = rank1;
/** Short alias of {@link rank2}. */
export const RankII = rank2;
