/** One point of a ROC curve: the detector flags scores ≥ threshold. */
export interface RocPoint {
  /** The score at or above which the detector flags an input. */
  readonly threshold: number;
  /** Fraction of clean inputs flagged at this threshold. */
  readonly falseAlarmRate: number;
  /** Fraction of adversarial inputs flagged at this threshold. */
  readonly detectionRate: number;
}

/**
 * Area under the ROC curve of a detector that flags high scores: the probability that a random
 * attacked sample scores above a random clean one, ties counting one half (Mann–Whitney U).
 */
export function rocAuc(clean: readonly number[], attacked: readonly number[]): number {
  if (clean.length === 0 || attacked.length === 0) return Number.NaN;
  const all = [...clean.map((s) => [s, 0] as const), ...attacked.map((s) => [s, 1] as const)].sort(
    (a, b) => a[0] - b[0],
  );
  // Average ranks over ties, then U from the attacked samples' rank sum.
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]?.[0] === all[i]?.[0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]?.[1] === 1) rankSum += rank;
    i = j;
  }
  const n1 = attacked.length;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * clean.length);
}

/** The ROC curve at every distinct score, from "flag nothing" to "flag everything". */
export function rocCurve(clean: readonly number[], attacked: readonly number[]): RocPoint[] {
  const thresholds = [...new Set([...clean, ...attacked])].sort((a, b) => b - a);
  const rate = (xs: readonly number[], t: number) =>
    xs.length === 0 ? 0 : xs.filter((s) => s >= t).length / xs.length;
  return [
    { threshold: Number.POSITIVE_INFINITY, falseAlarmRate: 0, detectionRate: 0 },
    ...thresholds.map((t) => ({
      threshold: t,
      falseAlarmRate: rate(clean, t),
      detectionRate: rate(attacked, t),
    })),
  ];
}

/** The threshold whose false-alarm rate on clean scores is at most `rate` (the (1 − rate) quantile). */
export function thresholdForFalseAlarms(clean: readonly number[], rate: number): number {
  const sorted = [...clean].sort((a, b) => b - a);
  const allowed = Math.floor(rate * sorted.length);
  // Flag scores strictly above the (allowed + 1)-th highest clean score.
  const edge = sorted[allowed] ?? Number.NEGATIVE_INFINITY;
  return edge + Math.max(Math.abs(edge) * 1e-9, 1e-12);
}
