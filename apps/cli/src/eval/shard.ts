import { UsageError } from '../attack/usage-error.js';

/** Which slice of an evaluation this process runs: batch k belongs to shard k mod count. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `--shard i/n` or `--shard auto/n`; `auto` takes i from a Kubernetes Indexed Job
 * (`JOB_COMPLETION_INDEX`) or a Slurm array (`SLURM_ARRAY_TASK_ID`).
 */
export function parseShard(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (value === undefined) return { index: 0, count: 1 };
  const m = /^(auto|\d+)\/(\d+)$/.exec(value);
  if (m === null) throw new UsageError(`--shard "${value}" is not i/n or auto/n`);
  const count = Number(m[2]);
  const raw = m[1] === 'auto' ? (env.JOB_COMPLETION_INDEX ?? env.SLURM_ARRAY_TASK_ID) : m[1];
  if (raw === undefined)
    throw new UsageError(
      '--shard auto/n needs JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm)',
    );
  const index = Number(raw);
  if (!(count >= 1) || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`--shard: index ${raw} is outside 0..${count - 1}`);
  }
  return { index, count };
}
