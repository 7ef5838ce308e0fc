import { type LinearCase, linearScores } from '../../../test/linear-model.js';

export { type LinearCase, linearModel, linearScores, take } from '../../../test/linear-model.js';

/** The minimum-norm r with W_C·r = t_C − g_C(x): r = W_Cᵀ (W_C W_Cᵀ)⁻¹ (t_C − g_C), in float64. */
export function closedFormStep(
  c: LinearCase,
  x: readonly number[],
  rows: readonly number[],
  t: readonly number[],
): number[] {
  const g = linearScores(c, x);
  const wc = rows.map((j) => c.w[j] ?? []);
  const k = rows.length;
  const gram = wc.flatMap((a) =>
    wc.map((bRow) => a.reduce((s, v, i) => s + v * (bRow[i] ?? 0), 0)),
  );
  const rhs = rows.map((j, p) => (t[p] ?? 0) - (g[j] ?? 0));
  const alpha = gaussSolve(gram, rhs, k);
  const d = x.length;
  return Array.from({ length: d }, (_, i) =>
    wc.reduce((s, row, p) => s + (row[i] ?? 0) * (alpha[p] ?? 0), 0),
  );
}

/** Independent dense solver for the oracle (Gauss–Jordan, no pivot tricks shared with src). */
function gaussSolve(a: number[], b: number[], n: number): number[] {
  const m = a.map((v) => v);
  const x = b.map((v) => v);
  for (let c = 0; c < n; c++) {
    const p = m[c * n + c] ?? 1;
    for (let k = 0; k < n; k++) m[c * n + k] = (m[c * n + k] ?? 0) / p;
    x[c] = (x[c] ?? 0) / p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c] ?? 0;
      for (let k = 0; k < n; k++) m[r * n + k] = (m[r * n + k] ?? 0) - f * (m[c * n + k] ?? 0);
      x[r] = (x[r] ?? 0) - f * (x[c] ?? 0);
    }
  }
  return x;
}

/** Euclidean norm. */
export const norm2 = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
