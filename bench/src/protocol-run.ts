/**
 * mlap's side of the protocol comparison: each job of the case run by `runAttack` on the current
 * backend, timed, with the verified per-sample outcomes.
 */
import { type Attack, mlCw, mlDeepFool, runAttack } from '@mlap/core';
import { rank1, rank2 } from '@mlap/ranking';
import * as tf from '@tensorflow/tfjs-core';
import type { AttackRun } from './attack-reference.js';
import type { ProtocolCase, ProtocolJob } from './protocol-case.js';
import type { Method } from './protocol-settings.js';
import type { Victim } from './protocol-victim.js';

const ATTACKS: Readonly<Record<Method, Attack>> = { mlDeepFool, mlCw, rank1, rank2 };

/** The job restricted to its rows below `count` (the case's first `count` samples). */
export function firstRows(job: ProtocolJob, count: number): ProtocolJob {
  const keep = job.rows.flatMap((r, k) => (r < count ? [k] : []));
  return {
    ...job,
    rows: keep.map((k) => job.rows[k] ?? -1),
    targets: keep.map((k) => job.targets[k] ?? []),
  };
}

/** Runs `job` on its rows; returns the wall time and the verified outcomes, frees what it made. */
export async function runJob(
  c: ProtocolCase,
  victim: Victim,
  job: ProtocolJob,
): Promise<AttackRun> {
  const shape = victim.model.inputShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(job.rows.length * size);
  job.rows.forEach((r, i) => {
    values.set(c.inputs.subarray(r * size, (r + 1) * size), i * size);
  });
  const inputs = tf.tensor(values, [job.rows.length, ...shape]);
  try {
    const started = performance.now();
    const result = await runAttack(
      ATTACKS[job.method],
      {
        model: victim.model,
        inputs,
        targets: job.targets,
        start: job.rows.map((r) => c.start[r] ?? []),
        seed: c.settings.seed,
      },
      job.options,
    );
    const ms = performance.now() - started;
    result.dispose();
    return {
      ms,
      samples: result.samples.map(({ success, l2, iterations }) => ({ success, l2, iterations })),
    };
  } finally {
    inputs.dispose();
  }
}

/** A two-sample, two-iteration run of each method, so first-call costs stay out of the timing. */
export async function warmUp(c: ProtocolCase, victim: Victim): Promise<void> {
  const done = new Set<Method>();
  for (const job of c.jobs) {
    if (done.has(job.method) || job.rows.length === 0) continue;
    done.add(job.method);
    const options = { ...job.options, maxIterations: 2 };
    if ('binarySearchSteps' in options) options.binarySearchSteps = 1;
    await runJob(c, victim, {
      ...job,
      rows: job.rows.slice(0, 2),
      targets: job.targets.slice(0, 2),
      options,
    });
  }
}
