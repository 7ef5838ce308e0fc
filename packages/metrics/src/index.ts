/**
 * Metrics for multi-label adversarial attacks: multi-label quality over score and label matrices
 * (checked against scikit-learn), attack and ranking-attack metrics over attack results, and
 * tidy report records with seeded bootstrap intervals. Backend-agnostic: `@tensorflow/tfjs-core`
 * only; tensor metrics run batched on the registered backend and return plain numbers.
 *
 * @packageDocumentation
 */
export {
  type BootstrapOptions,
  bootstrapInterval,
  type Interval,
  meanOf,
  medianInterval,
  rateInterval,
} from './aggregate/bootstrap.js';
export {
  type AttackRun,
  type ReportOptions,
  type ReportRecord,
  reportRecord,
  reportRecords,
} from './aggregate/report-record.js';
export {
  type AttackMetrics,
  type AttackMetricsOptions,
  type AttackSample,
  attackMetrics,
  type Collateral,
} from './attack/attack-metrics.js';
export {
  type Distribution,
  describe,
  median,
  percentile,
  percentileOfSorted,
} from './attack/distribution.js';
export {
  kendallTau,
  type TargetLabels,
  targetRanks,
  topKHitRate,
} from './attack/ranking-attack.js';
export {
  collateralLabels,
  flippedLabels,
  hammingToTarget,
  type LabelOutcome,
  requestedLabels,
} from './attack/sample-metrics.js';
export {
  averagePrecision,
  averagePrecisionPerLabel,
  meanAveragePrecision,
} from './quality/average-precision.js';
export {
  type EvaluateOptions,
  evaluateMultiLabel,
  type MultiLabelReport,
} from './quality/evaluate.js';
export { AVERAGES, type Average, type ZeroDivision } from './quality/options.js';
export {
  f1Score,
  type PerLabelPrf,
  type PrfOptions,
  type PrfScores,
  perLabelPrecisionRecallFscore,
  precisionRecallFscore,
  precisionScore,
  recallScore,
} from './quality/prf.js';
export {
  coverageError,
  labelRankingAveragePrecision,
  rankingLoss,
} from './quality/ranking.js';
export { hammingLoss, subsetAccuracy } from './quality/subset.js';
export {
  type AtK,
  oneError,
  precisionAtK,
  precisionRecallAtK,
  recallAtK,
} from './quality/top-k.js';
export { checkLabels, checkScores } from './validate.js';
