/**
 * A number for the page: 3 significant digits, but never exponent notation for large values
 * (`toPrecision` writes 2659 as "2.66e+3"); "–" for NaN, infinities, null and undefined.
 */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 10 ** digits) return Math.round(v).toString();
  return v.toPrecision(digits);
}

/** A rate in [0, 1] as a percentage with one decimal; "–" when not finite. */
export const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');
