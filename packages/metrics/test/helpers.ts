import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** One scikit-learn reference case (see scripts/metrics-fixtures/generate.py). */
export interface FixtureCase {
  readonly name: string;
  readonly labels: number[][];
  readonly scores: number[][];
  readonly predicted: number[][];
  readonly after: number[][];
  readonly expected: {
    readonly subsetAccuracy: number;
    readonly hammingLoss: number;
    readonly prf: Record<'0' | '1', Record<string, [number, number, number]>>;
    readonly perLabel: Record<'precision' | 'recall' | 'fscore' | 'support', number[]>;
    readonly averagePrecisionPerLabel: number[];
    readonly averagePrecision: Record<string, number>;
    readonly lrap: number;
    readonly rankingLoss: number;
    readonly coverageError: number;
    readonly oneError: number;
    readonly atK: Record<string, Record<'0' | '1', [number, number]>>;
    readonly ranks: number[][];
    readonly kendallTau: (number | null)[];
  };
}

/** The committed fixture cases. */
export function fixtureCases(): FixtureCase[] {
  const url = new URL('./fixtures/sklearn-cases.generated.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: FixtureCase[] }).cases;
}

/** |actual − expected| ≤ tol · max(1, |expected|); NaN must match NaN. */
export function expectClose(actual: number, expected: number, what: string, tol = 1e-6): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(expected)),
  );
}

/** Element-wise {@link expectClose}. */
export function expectAllClose(
  actual: readonly number[],
  expected: readonly number[],
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  expected.forEach((e, i) => {
    expectClose(actual[i] ?? Number.NaN, e, `${what}[${i}]`);
  });
}
