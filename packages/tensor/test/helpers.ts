import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Reads a tensor as nested arrays and disposes it. */
export async function read(t: tf.Tensor): Promise<number[]> {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

/** Asserts element-wise closeness of two flat number arrays. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!Number.isFinite(e)) expect(a, `index ${i}`).toBe(e);
    else
      expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e)),
      );
  }
}
