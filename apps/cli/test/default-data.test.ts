import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultDataset } from '@mlap/datasets/node';
import { describe, expect, it } from 'vitest';
import { run } from '../src/program.js';
import { writeToyMulan } from './toy-mulan.js';

const backend = process.env.MLAP_BACKEND ?? 'cpu';
// The default CNN is ~30× slower on the pure-JS cpu backend: a handful of samples there.
const limit = backend === 'wasm' ? 24 : 6;

interface Row {
  readonly job?: string;
  readonly index: number;
  readonly attacked: boolean;
  readonly skipReason: string | null;
  readonly start: number[];
  readonly predicted: number[];
  readonly logits?: number[];
  readonly adversarialLogits?: number[];
}

/** The first line of an `mlap eval` log. */
interface LogHeaderLine {
  readonly header: string;
  readonly thresholds: number[];
}

const readRows = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);

/** The default test split's ground truth, read directly from the data set (the oracle). */
async function truthOf(n: number): Promise<number[][]> {
  const { test } = await loadDefaultDataset();
  const L = test.labelNames.length;
  return Array.from({ length: n }, (_, i) => Array.from(test.labels.subarray(i * L, (i + 1) * L)));
}

describe('--data default and --model default', () => {
  it('attacks the default test split with its ground truth, so the §7 filter applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-default-'));
    const out = join(dir, 'rows.jsonl');
    const args = ['attack', '--model', 'default', '--data', 'default', '--limit', String(limit)];
    const more = ['--attack', 'ml-deepfool', '--target', 'hide-single', '--set', 'maxIterations=3'];
    expect(
      await run([...args, ...more, '--out', out, '--backend', backend, '--json'], {
        log: () => {},
      }),
    ).toBe(0);
    const rows = readRows(out).sort((a, b) => a.index - b.index);
    const truth = await truthOf(limit);
    expect(rows.map((r) => r.index)).toEqual(truth.map((_, i) => i));
    for (const r of rows) {
      const t = truth[r.index] ?? [];
      const correct = r.start.every((v, j) => v === t[j]);
      if (!correct) expect(r.skipReason).toBe('clean prediction differs from the ground truth');
      else if (t.filter((v) => v === 1).length < 2) expect(r.skipReason).toMatch(/fewer than 2/);
      else expect(r.attacked).toBe(true);
    }
    expect(rows.some((r) => r.attacked)).toBe(true);
  });

  it('runs an eval config on the default model and data, logging logits before and after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-default-'));
    const config = join(dir, 'eval.json');
    writeFileSync(
      config,
      JSON.stringify({
        model: 'default',
        data: 'default',
        limit,
        attacks: [{ name: 'ml-deepfool', options: { maxIterations: 3 } }],
        targets: ['random'],
        batchSize: 8,
      }),
    );
    const out = join(dir, 'log.jsonl');
    const lines: string[] = [];
    const args = ['eval', '--config', config, '--out', out, '--backend', backend, '--json'];
    expect(await run(args, { log: (l) => lines.push(l) })).toBe(0);
    // An eval log opens with one header line naming the labels and thresholds, then the rows.
    const [header, ...rows] = readRows(out) as [LogHeaderLine, ...Row[]];
    expect(header.header).toBe('mlap eval');
    expect(header.thresholds).toHaveLength(10);
    expect(rows).toHaveLength(limit);
    const attacked = rows.filter((r) => r.attacked);
    const summary = JSON.parse(lines.at(-1) ?? '{}');
    expect(summary.jobs['ml-deepfool/random'].samples).toBe(attacked.length);
    // The decision rule is p ≥ 0.5, i.e. logit ≥ 0: the logged logits must reproduce both the
    // clean and the adversarial prediction (an independent check of the new fields).
    for (const r of attacked) {
      expect(r.logits).toHaveLength(10);
      expect(r.logits?.map((g) => (g >= 0 ? 1 : 0))).toEqual(r.start);
      expect(r.adversarialLogits?.map((g) => (g >= 0 ? 1 : 0))).toEqual(r.predicted);
    }
    for (const r of rows.filter((x) => !x.attacked)) expect(r.logits).toBeUndefined();
  });

  it('refuses the default data for a model of another shape (exit code 2, naming the data)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-default-'));
    const { arff, xml } = writeToyMulan(dir, { rows: 12, features: 4, labels: 3, seed: 1 });
    const quiet = { log: () => {} };
    const trainArgs = ['train', '--data', arff, '--labels', xml, '--out', join(dir, 'm')];
    expect(await run([...trainArgs, '--epochs', '1', '--backend', backend], quiet)).toBe(0);
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      const args = ['attack', '--model', join(dir, 'm', 'model.json'), '--data', 'default'];
      const more = ['--attack', 'ml-deepfool', '--target', 'random', '--out', join(dir, 'o.jsonl')];
      expect(await run([...args, ...more, '--backend', backend], quiet)).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/the default data set: samples have 3136 features/);
  });
});
