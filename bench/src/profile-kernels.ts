/**
 * Per-kernel time of one workload on the active backend, from `tf.profile`: where the time of a
 * forward pass or a gradient goes. Used by the benchmarks to report what dominates.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Total ms and calls of one kernel name in a profile. */
export interface KernelTime {
  readonly kernel: string;
  readonly ms: number;
  readonly calls: number;
}

/**
 * Runs `work` once under `tf.profile` and sums kernel times by kernel name, slowest first.
 * The returned tensor of `work` is disposed.
 */
export async function profileKernels(work: () => tf.Tensor): Promise<KernelTime[]> {
  const info = await tf.profile(() => work());
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const ms = Number(await k.kernelTimeMs);
    const entry = totals.get(k.name) ?? { ms: 0, calls: 0 };
    totals.set(k.name, { ms: entry.ms + (Number.isFinite(ms) ? ms : 0), calls: entry.calls + 1 });
  }
  return [...totals.entries()].map(([kernel, t]) => ({ kernel, ...t })).sort((a, b) => b.ms - a.ms);
}

/** One line per kernel, the `top` slowest: "Conv2DBackpropInput 734.0 ms (3×)". */
export function formatProfile(times: readonly KernelTime[], top = 8): string {
  const total = times.reduce((s, t) => s + t.ms, 0);
  const lines = times
    .slice(0, top)
    .map((t) => `    ${t.kernel.padEnd(36)} ${t.ms.toFixed(1).padStart(9)} ms  (${t.calls}×)`);
  return [`    total kernel time ${total.toFixed(1)} ms`, ...lines].join('\n');
}
