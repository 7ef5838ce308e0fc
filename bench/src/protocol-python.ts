/** Runs bench/reference/protocol_reference.py on a case file. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SampleOutcome } from './attack-reference.js';

/** What protocol_reference.py prints. */
export interface ReferenceOutput {
  readonly engine: string;
  readonly threads: number;
  readonly logitsMaxAbsDiff: number;
  readonly jobs: Readonly<
    Record<
      string,
      { readonly ms: number; readonly samples: readonly (SampleOutcome & { row: number })[] }
    >
  >;
}

/** Debian's interpreter: `apt-get install python3-torch` installs torch for it, not for others. */
const python = process.env.MLAP_BENCH_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('../reference/protocol_reference.py', import.meta.url));

/**
 * The reference on the case's first `count` samples (only `jobs`, by id, when given). Its progress and the logits check go to this
 * process's stderr; a failed check (or a missing torch) rejects with the script's message.
 */
export function runReference(
  caseFile: string,
  count: number,
  jobs?: readonly string[],
): Promise<ReferenceOutput> {
  if (!existsSync(python)) return Promise.reject(new Error(`no ${python} (set MLAP_BENCH_PYTHON)`));
  return new Promise((resolve, reject) => {
    const args = [script, caseFile, '--count', String(count)];
    if (jobs !== undefined) args.push('--jobs', jobs.join(','));
    const child = spawn(python, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`protocol_reference.py exited with ${code} (see above)`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ReferenceOutput);
    });
  });
}
