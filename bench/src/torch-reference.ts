import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Median ms of the PyTorch reference (bench/torch/cnn_bench.py). */
export interface TorchTimings {
  readonly engine: string;
  readonly threads: number;
  readonly forward: number;
  readonly gradient: number;
  readonly jacobian: number;
  readonly jacobianTiled: number;
  readonly jacobianRetained: number;
}

/** Debian's interpreter: `apt-get install python3-torch` installs torch for it, not for others. */
const python = process.env.MLAP_BENCH_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('../torch/cnn_bench.py', import.meta.url));

/** Runs the PyTorch reference (on `threads` threads, else torch's default), or explains why it cannot run here. */
export async function torchTimings(
  batch: number,
  threads?: number,
): Promise<TorchTimings | string> {
  if (!existsSync(python)) return `no ${python}`;
  const args = [script, '--batch', String(batch)];
  if (threads !== undefined) args.push('--threads', String(threads));
  try {
    const { stdout } = await promisify(execFile)(python, args, { timeout: 300_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchTimings;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return /No module named 'torch'/.test(text)
      ? 'torch is not installed (apt-get install python3-torch)'
      : (text.split('\n')[0] ?? text);
  }
}
