import * as tf from '@tensorflow/tfjs-core';
import { GradientsUnavailableError } from './errors/gradients-unavailable-error.js';

/** Kernels every gradient-based attack differentiates through, whatever the model. */
const coreKernels = [tf.Sum, tf.Multiply, tf.Add, tf.Reshape] as const;

/**
 * Throws a {@link GradientsUnavailableError} unless tfjs has gradient functions registered for
 * the core kernels (and for `extraKernels`). Gradient-based code calls this first, so a missing
 * runtime set-up fails with a clear message instead of deep inside an attack.
 */
export function assertGradientsAvailable(extraKernels: readonly string[] = []): void {
  const missing = [...coreKernels, ...extraKernels].filter((k) => tf.getGradient(k) === undefined);
  if (missing.length > 0) throw new GradientsUnavailableError(missing);
}
