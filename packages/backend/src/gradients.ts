import { BatchMatMul, Conv2D, getGradient, Relu, Sigmoid, Sum } from '@tensorflow/tfjs-core';
import { loadGradients } from '#register-gradients';

/** Kernels whose gradients every mlap attack needs; all present means the registry is loaded. */
const probeKernels = [Sum, Conv2D, BatchMatMul, Sigmoid, Relu] as const;

/** True when tfjs gradient functions are registered in this process. */
export function gradientsRegistered(): boolean {
  return probeKernels.every((k) => getGradient(k) !== undefined);
}

/**
 * Makes sure every tfjs gradient function is registered. `@tensorflow/tfjs-core` alone registers
 * none, and attacks then fail deep inside with "gradient function not found"; apps call this once
 * (setupBackend does) so that libraries can rely on gradients.
 */
export async function registerGradients(): Promise<void> {
  if (gradientsRegistered()) return;
  await loadGradients();
  if (!gradientsRegistered()) {
    throw new Error('mlap: loading the tfjs gradient registry did not register the gradients');
  }
}
