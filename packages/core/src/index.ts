/**
 * The classification framework of multi-label adversarial attacks (Song et al., ICDM 2018): the
 * model contract, targets and their strategies, the attack contract shared by every mlap attack,
 * ML-CW, ML-DeepFool and gradient baselines. Backend-agnostic: `@tensorflow/tfjs-core` only.
 *
 * @packageDocumentation
 */
export {
  type Attack,
  type AttackContext,
  type AttackOutput,
  type AttackProgress,
  defineAttack,
} from './attack/attack.js';
export {
  type AttackRequest,
  type AttackResult,
  runAttack,
} from './attack/run-attack.js';
export type { SampleResult } from './attack/sample-result.js';
export { bim, fgsm, miFgsm, pgd } from './attacks/baselines.js';
export { mlCw, mlCwOptions } from './attacks/ml-cw.js';
export { mlDeepFool, mlDeepFoolOptions } from './attacks/ml-deepfool.js';
export { AttackAbortedError } from './errors/attack-aborted-error.js';
export { TargetError } from './errors/target-error.js';
export { UnknownLabelError } from './errors/unknown-label-error.js';
export { decide, logitThresholds, predictLabels } from './model/decision.js';
export {
  defineModel,
  type ModelSpec,
  probabilitiesToLogits,
  type ScoreKind,
} from './model/define-model.js';
export {
  fromGraphModel,
  type GraphAdapterOptions,
  type GraphModelLike,
  type SpatialReduction,
} from './model/from-graph-model.js';
export {
  type ActivationLike,
  fromLayersModel,
  type LayerLike,
  type LayersAdapterOptions,
  type LayersModelLike,
} from './model/from-layers-model.js';
export type { MultiLabelModel } from './model/multi-label-model.js';
export { validateInputs } from './model/validate-inputs.js';
export { type AdamSettings, MaskedAdam } from './optim/adam.js';
export { BestTracker } from './optim/best-tracker.js';
export {
  classificationHinge,
  classificationObjective,
  type MarginSpace,
  margins,
  matchingCount,
  successMask,
  wrongCount,
} from './optim/classification-terms.js';
export { type CwSettings, cwSearch } from './optim/cw-search.js';
export {
  type GradientStepOptions,
  gradientStepOptions,
  gradientSteps,
} from './optim/gradient-steps.js';
export { solveLinear } from './optim/linear-solve.js';
export type { Objective } from './optim/objective.js';
export { type ObjectiveFactory, type SubContext, subContext } from './optim/rows.js';
export { resolveLabel } from './targets/labels.js';
export {
  planTargets,
  type SkippedSample,
  type TargetPlan,
  type TargetStrategy,
} from './targets/strategies.js';
export { parseTargetStrategy, TARGET_STRATEGY_FORMS } from './targets/strategy-names.js';
export {
  type LabelVector,
  mismatches,
  type TargetTensors,
  type TargetValue,
  type TargetVector,
  targetTensors,
  validateTargets,
} from './targets/target.js';

import { mlCw } from './attacks/ml-cw.js';
import { mlDeepFool } from './attacks/ml-deepfool.js';

/** Short alias of {@link mlCw}. */
export const MLCW = mlCw;
/** Short alias of {@link mlDeepFool}. */
export const MLDeepFool = mlDeepFool;
