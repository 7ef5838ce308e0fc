/**
 * The value a ratio takes when its denominator is 0 (scikit-learn's `zero_division`). mlap never
 * warns: scikit-learn 1.2's default `"warn"` behaves as 0, which is mlap's default too.
 */
export type ZeroDivision = 0 | 1;

/**
 * How per-label (or per-sample) scores are combined, as scikit-learn's `average`:
 * - `micro`: pool the counts of every (sample, label) cell, then divide once;
 * - `macro`: unweighted mean over labels;
 * - `weighted`: mean over labels weighted by each label's number of positives (support);
 * - `samples`: compute per sample, then take the mean over samples.
 */
export type Average = 'micro' | 'macro' | 'weighted' | 'samples';

/** The averages of {@link Average}, in a fixed order. */
export const AVERAGES: readonly Average[] = ['micro', 'macro', 'weighted', 'samples'];
