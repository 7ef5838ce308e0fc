import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@mlap/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, mlap } from './built-cli.js';
import { toyTrainArgs, writeToyEvalConfig, writeToyMulan } from './toy-mulan.js';

const dir = mkdtempSync(join(tmpdir(), 'mlap-kill-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built `mlap` to the end; its exit code. */
const mlapCode = (...args: string[]) => mlap(...args).code;

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/**
 * Starts `mlap eval --resume` and SIGKILLs it once it has appended `bytes` more to the log, plus
 * `delay` ms (so kills land between rows, inside a batch's computation, or at start-up when
 * `bytes` is 0). Resolves with the signal that ended it.
 */
function killAt(args: string[], log: string, bytes: number, delay: number) {
  const start = sizeOf(log);
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const ended = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_, signal) => resolve(signal)),
  );
  const poll = setInterval(() => {
    if (sizeOf(log) < start + bytes && child.exitCode === null) return;
    clearInterval(poll);
    setTimeout(() => child.kill('SIGKILL'), delay);
  }, 2);
  return ended;
}

/**
 * What a kill inside write(2) leaves: the log cut at a random byte of its last row (the writer
 * appends each row with one write, too quick to hit from outside reliably, so it is simulated).
 */
function tearLastRow(log: string, rng: Rng): boolean {
  const text = existsSync(log) ? readFileSync(log) : Buffer.alloc(0);
  if (text.length === 0) return false;
  const lastStart = text.lastIndexOf(0x0a, text.length - 2) + 1;
  truncateSync(log, rng.int(lastStart + 1, text.length - 1));
  return true;
}

// Built command on wasm only, like built-cli.test.ts (the cpu backend adds nothing here).
describe.skipIf(process.env.MLAP_BACKEND !== 'wasm')('SIGKILL at 20 random points', () => {
  beforeAll(buildCli, 600_000);

  it('each followed by --resume: the final log equals an uninterrupted run row for row', async () => {
    const toy = writeToyMulan(dir, { rows: 30, features: 6, labels: 4, seed: 11 });
    expect(mlapCode(...toyTrainArgs(toy, dir, 5, 'wasm'))).toBe(0);
    const config = writeToyEvalConfig(dir, {
      attacks: [{ name: 'ml-cw', options: { maxIterations: 10, binarySearchSteps: 2 } }],
      batchSize: 2,
      seed: 5,
    });
    const evalArgs = (out: string) => [
      'eval',
      '--config',
      config,
      '--out',
      out,
      '--backend',
      'wasm',
    ];
    const full = join(dir, 'full.jsonl');
    expect(mlapCode(...evalArgs(full))).toBe(0);
    const total = sizeOf(full);

    const killed = join(dir, 'killed.jsonl');
    const rng = Rng.seeded(13);
    const signals: (NodeJS.Signals | null)[] = [];
    let torn = 0;
    for (let point = 0; point < 20; point++) {
      // on average each run gets ~1/50 of the log done, so all 20 kills land mid-run
      const bytes = point === 0 ? 0 : rng.int(0, Math.round(total / 25));
      signals.push(await killAt([...evalArgs(killed), '--resume'], killed, bytes, rng.int(0, 40)));
      if (rng.uniform() < 0.4 && tearLastRow(killed, rng)) torn++;
    }
    expect(signals).toEqual(Array(20).fill('SIGKILL'));
    expect(torn).toBeGreaterThan(0);
    expect(sizeOf(killed)).toBeLessThan(total);
    expect(mlapCode(...evalArgs(killed), '--resume')).toBe(0);

    // the raw log: the header once, first, then whole JSON rows, each (job, sample) once
    const lines = readFileSync(killed, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.shift()).toBe(readFileSync(full, 'utf8').split('\n')[0]);
    expect(lines.filter((line) => line.startsWith('{"header"'))).toEqual([]);
    const keys = lines.map((line) => {
      const row = JSON.parse(line) as { job: string; index: number };
      return `${row.job}#${row.index}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
    // and, in merge's canonical order, exactly the uninterrupted run's rows
    expect(mlapCode('merge', killed, '--out', join(dir, 'a.jsonl'))).toBe(0);
    expect(mlapCode('merge', full, '--out', join(dir, 'b.jsonl'))).toBe(0);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'b.jsonl'), 'utf8'),
    );
  });
});
