import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../src/eval/shard.js';
import { run } from '../src/program.js';
import { toyTrainArgs, writeToyEvalConfig, writeToyMulan } from './toy-mulan.js';

const quiet = { log: () => {} };

/** A MULAN data set (4 features, 3 labels) and a model trained on it by `mlap train`. */
async function setup(): Promise<{ dir: string; config: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mlap-eval-'));
  const toy = writeToyMulan(dir, {
    rows: 40,
    features: 4,
    labels: 3,
    seed: 7,
    threshold: 0.4,
  });
  const backend = process.env.MLAP_BACKEND ?? 'cpu';
  expect(await run(toyTrainArgs(toy, dir, 3, backend), quiet)).toBe(0);
  const config = writeToyEvalConfig(dir, {
    attacks: ['ml-deepfool', { name: 'pgd', options: { epsilon: 0.5, iterations: 5 } }],
    batchSize: 4,
    seed: 3,
  });
  return { dir, config };
}

const evalArgs = (config: string, out: string, ...more: string[]) => [
  'eval',
  '--config',
  config,
  '--out',
  out,
  '--backend',
  process.env.MLAP_BACKEND ?? 'cpu',
  '--json',
  ...more,
];
const merged = async (dir: string, name: string, ...logs: string[]) => {
  const out = join(dir, name);
  expect(await run(['merge', ...logs, '--out', out], quiet)).toBe(0);
  return readFileSync(out, 'utf8');
};

describe('mlap eval', () => {
  it('resumes a killed run with no lost or duplicated row, and shards merge to the full run', async () => {
    const { dir, config } = await setup();
    const full = join(dir, 'full.jsonl');
    expect(await run(evalArgs(config, full), quiet)).toBe(0);
    const lines = readFileSync(full, 'utf8').trim().split('\n');
    expect(lines.length).toBe(4 * 40); // one row per (job, sample): 2 attacks × 2 strategies
    // A run killed mid-write: some rows, then half a line.
    const killed = join(dir, 'killed.jsonl');
    writeFileSync(killed, `${lines.slice(0, 70).join('\n')}\n${(lines[70] ?? '').slice(0, 25)}`);
    expect(await run(evalArgs(config, killed, '--resume'), quiet)).toBe(0);
    const resumedLines = readFileSync(killed, 'utf8').trim().split('\n');
    expect(resumedLines).toHaveLength(160);
    expect(await merged(dir, 'a.jsonl', killed)).toBe(await merged(dir, 'b.jsonl', full));
    const s0 = join(dir, 's0.jsonl');
    const s1 = join(dir, 's1.jsonl');
    expect(await run(evalArgs(config, s0, '--shard', '0/2'), quiet)).toBe(0);
    expect(await run(evalArgs(config, s1, '--shard', '1/2'), quiet)).toBe(0);
    expect(await merged(dir, 'c.jsonl', s0, s1)).toBe(await merged(dir, 'd.jsonl', full));
  });

  it('refuses bad configs and flags with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-eval-'));
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({ model: 'm.json', data: 'd.arff', attacks: [], targets: ['random'] }),
    );
    expect(await run(['eval', '--config', config, '--out', join(dir, 'o.jsonl')], quiet)).toBe(2);
    writeFileSync(
      config,
      JSON.stringify({
        model: 'm.json',
        data: 'd.arff',
        attacks: ['ml-nope'],
        targets: ['random'],
      }),
    );
    expect(await run(['eval', '--config', config, '--out', join(dir, 'o.jsonl')], quiet)).toBe(2);
    expect(
      await run(
        ['eval', '--config', join(dir, 'missing.json'), '--out', join(dir, 'o.jsonl')],
        quiet,
      ),
    ).toBe(2);
    expect(() => parseShard('2/2')).toThrow(/outside 0..1/);
    expect(parseShard('auto/4', { SLURM_ARRAY_TASK_ID: '3' })).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('auto/4', {})).toThrow(/JOB_COMPLETION_INDEX/);
  });
});
