import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** One sample's outcome, as both engines report it. */
export interface SampleOutcome {
  readonly success: boolean;
  readonly l2: number;
  readonly iterations: number;
}

/** One attack run: wall time and per-sample outcomes. */
export interface AttackRun {
  readonly ms: number;
  readonly samples: readonly SampleOutcome[];
}

/** What bench/reference/ml_attacks.py (and rank_attacks.py) prints. */
export interface TorchAttackRuns {
  readonly engine: string;
  readonly threads: number;
  readonly dense: boolean;
  readonly attacks: Readonly<Record<string, AttackRun>>;
}

/** Debian's interpreter: `apt-get install python3-torch` installs torch for it, not for others. */
const python = process.env.MLAP_BENCH_PYTHON ?? '/usr/bin/python3';

/** The reference scripts in bench/reference: the classification and the ranking attacks. */
export type TorchReference = 'ml_attacks.py' | 'rank_attacks.py';

/**
 * Runs the PyTorch reference attacks (`reference`, default ML-CW / ML-DeepFool) on the exported
 * case (first `count` samples), or explains why it cannot run here. `dense`: every pass on the
 * whole batch, finished samples masked (the work mlap's batched loops do) instead of dropped.
 */
export async function torchAttackRuns(
  caseFile: URL,
  count: number,
  dense = false,
  reference: TorchReference = 'ml_attacks.py',
): Promise<TorchAttackRuns | string> {
  if (!existsSync(python)) return `no ${python}`;
  const script = fileURLToPath(new URL(`../reference/${reference}`, import.meta.url));
  try {
    const args = [script, fileURLToPath(caseFile), '--count', String(count)];
    if (dense) args.push('--dense');
    const { stdout } = await promisify(execFile)(python, args, {
      timeout: 900_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchAttackRuns;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return /No module named 'torch'/.test(text)
      ? 'torch is not installed (apt-get install python3-torch)'
      : (text.split('\n')[0] ?? text);
  }
}
