/**
 * Solves A·x = b for a small dense system in float64 (Gaussian elimination with partial
 * pivoting). `a` is row-major n×n and is not modified. Returns undefined for a singular system.
 */
export function solveLinear(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = a.slice(0, n * n);
  const x = b.slice();
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r * n + col] ?? 0) > Math.abs(m[pivot * n + col] ?? 0)) pivot = r;
    }
    const p = m[pivot * n + col] ?? 0;
    if (p === 0 || !Number.isFinite(p)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < n; k++)
        [m[col * n + k], m[pivot * n + k]] = [m[pivot * n + k] ?? 0, m[col * n + k] ?? 0];
      [x[col], x[pivot]] = [x[pivot] ?? 0, x[col] ?? 0];
    }
    for (let r = col + 1; r < n; r++) {
      const f = (m[r * n + col] ?? 0) / p;
      if (f === 0) continue;
      for (let k = col; k < n; k++) m[r * n + k] = (m[r * n + k] ?? 0) - f * (m[col * n + k] ?? 0);
      x[r] = (x[r] ?? 0) - f * (x[col] ?? 0);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r] ?? 0;
    for (let k = r + 1; k < n; k++) s -= (m[r * n + k] ?? 0) * (x[k] ?? 0);
    x[r] = s / (m[r * n + r] ?? 1);
  }
  return x;
}
