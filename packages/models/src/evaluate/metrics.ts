import { ArgumentError } from '@mlap/tensor';

/** Multi-label quality of scores against 0/1 labels. */
export interface MultiLabelMetrics {
  /** Mean over labels (with at least one positive) of the average precision of the ranking. */
  readonly mAP: number;
  /** Example-based F1: mean over samples of 2|P∩T| / (|P| + |T|) (1 when both are empty). */
  readonly exampleF1: number;
  /** Micro-averaged F1 over all (sample, label) decisions. */
  readonly microF1: number;
  /** Fraction of wrong (sample, label) decisions. */
  readonly hammingLoss: number;
  /** Fraction of samples whose predicted label set equals the true set. */
  readonly subsetAccuracy: number;
  /** Precision of the k top-scored labels (relevant among the top k, over k), for k = 1, 2, 3. */
  readonly precisionAt: readonly [number, number, number];
}

function averagePrecision(
  scores: Float32Array,
  labels: Uint8Array,
  n: number,
  L: number,
  j: number,
): number | undefined {
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b * L + j] as number) - (scores[a * L + j] as number),
  );
  let hits = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (labels[i * L + j] === 1) {
      hits++;
      sum += hits / (rank + 1);
    }
  });
  return hits === 0 ? undefined : sum / hits;
}

/**
 * Computes multi-label metrics from scores [n, L] (probabilities, or any monotone score with
 * `threshold` chosen to match) and 0/1 labels [n, L], row-major.
 *
 * @param threshold - a label is predicted when its score is ≥ threshold (default 0.5)
 */
export function multiLabelMetrics(
  scores: Float32Array,
  labels: Uint8Array,
  numLabels: number,
  threshold = 0.5,
): MultiLabelMetrics {
  const L = numLabels;
  const n = labels.length / L;
  if (!Number.isInteger(n) || scores.length !== labels.length) {
    throw new ArgumentError('scores', `needs scores and labels of the same [n, ${L}] shape`);
  }
  const aps: number[] = [];
  for (let j = 0; j < L; j++) {
    const ap = averagePrecision(scores, labels, n, L, j);
    if (ap !== undefined) aps.push(ap);
  }
  let f1 = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  const precisionAt = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    let inter = 0;
    let predicted = 0;
    let truth = 0;
    for (let j = 0; j < L; j++) {
      const p = (scores[i * L + j] as number) >= threshold ? 1 : 0;
      const t = labels[i * L + j] as number;
      inter += p & t;
      predicted += p;
      truth += t;
    }
    f1 += predicted + truth === 0 ? 1 : (2 * inter) / (predicted + truth);
    tp += inter;
    fp += predicted - inter;
    fn += truth - inter;
    if (inter === predicted && inter === truth) exact++;
    const ranked = Array.from({ length: L }, (_, j) => j).sort(
      (a, b) => (scores[i * L + b] as number) - (scores[i * L + a] as number),
    );
    for (let k = 1; k <= 3; k++) {
      const top = ranked.slice(0, k);
      const relevant = top.filter((j) => labels[i * L + j] === 1).length;
      precisionAt[k - 1] = (precisionAt[k - 1] as number) + relevant / k;
    }
  }
  return {
    mAP: aps.reduce((a, b) => a + b, 0) / Math.max(aps.length, 1),
    exampleF1: f1 / n,
    microF1: (2 * tp) / Math.max(2 * tp + fp + fn, 1),
    hammingLoss: (fp + fn) / (n * L),
    subsetAccuracy: exact / n,
    precisionAt: [
      (precisionAt[0] as number) / n,
      (precisionAt[1] as number) / n,
      (precisionAt[2] as number) / n,
    ],
  };
}
