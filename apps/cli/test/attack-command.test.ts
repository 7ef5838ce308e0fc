import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../src/attack/registry.js';
import { summarise } from '../src/attack/results.js';
import { selectionProblem } from '../src/attack/select-samples.js';
import { parseTargetSpec, readTargetsFile } from '../src/attack/target-spec.js';
import { run } from '../src/program.js';
import { ROW_FIELDS, toyTrainArgs, writeToyMulan } from './toy-mulan.js';

describe('mlap attack pieces', () => {
  it('parses target specs and refuses unknown ones', () => {
    expect(parseTargetSpec('hide-single')).toEqual({ strategy: { kind: 'hideSingle' } });
    expect(parseTargetSpec('add:dog')).toEqual({ strategy: { kind: 'add', label: 'dog' } });
    expect(parseTargetSpec('file:t.json')).toEqual({ file: 't.json' });
    expect(() => parseTargetSpec('flip')).toThrow(/unknown target "flip"/);
    expect(() => parseTargetSpec('add:')).toThrow(/unknown target/);
  });

  it('validates targets files entry by entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-'));
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify([{ index: 1, target: [1, null, 0] }]));
    expect(readTargetsFile(file, 3, 3).get(1)).toEqual([1, null, 0]);
    writeFileSync(file, JSON.stringify([{ index: 3, target: [1, 0, 0] }]));
    expect(() => readTargetsFile(file, 3, 3)).toThrow(/entry 0: index must be an integer in 0..2/);
    writeFileSync(file, JSON.stringify([{ index: 0, target: [1, 2, 0] }]));
    expect(() => readTargetsFile(file, 3, 3)).toThrow(/target\[1\] must be 0, 1 or null/);
    writeFileSync(file, '{oops');
    expect(() => readTargetsFile(file, 3, 3)).toThrow(/cannot read targets/);
  });

  it('selects samples as spec §7 says, and summarises runs', () => {
    const sel = { requireCorrect: true, minLabels: 2 };
    expect(selectionProblem([1, 1, 0], [1, 1, 0], sel)).toBeUndefined();
    expect(selectionProblem([1, 1, 0], [1, 0, 0], sel)).toMatch(/differs/);
    expect(selectionProblem([1, 0, 0], undefined, sel)).toMatch(/fewer than 2/);
    expect(parseSettings(['maxIterations=200', 'space=logit', 'abortEarly=false'])).toEqual({
      maxIterations: 200,
      space: 'logit',
      abortEarly: false,
    });
    const row = (success: boolean | null, l2: number | null) =>
      ({ attacked: success !== null, success, l2 }) as never;
    const s = summarise([row(true, 1), row(true, 3), row(false, 9), row(null, null)], {
      attack: 'a',
      target: 't',
      backend: 'b',
      seconds: 1,
    });
    expect([s.attacked, s.skipped, s.successRate, s.meanL2, s.medianL2]).toEqual([
      3,
      1,
      2 / 3,
      2,
      2,
    ]);
  });
});

describe('mlap train + mlap attack, end to end', () => {
  it('trains an MLP, attacks with it, and writes one JSON line per sample and a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-'));
    const toy = writeToyMulan(dir, { rows: 60, features: 4, labels: 3, seed: 1 });
    const backend = process.env.MLAP_BACKEND ?? 'cpu';
    const { arff, xml } = toy;
    const log: string[] = [];
    const out = { log: (l: string) => log.push(l) };
    expect(await run(toyTrainArgs(toy, dir, 3, backend), out)).toBe(0);
    const results = join(dir, 'runs', 'out.jsonl');
    const args = [
      'attack',
      '--model',
      join(dir, 'model', 'model.json'),
      '--data',
      arff,
      '--labels',
      xml,
      '--attack',
      'ml-deepfool',
      '--target',
      'random',
      '--out',
      results,
      '--json',
      '--any-prediction',
      '--min-labels',
      '1',
      '--backend',
      backend,
    ];
    expect(await run(args, out)).toBe(0);
    const summary = JSON.parse(log.at(-1) ?? '{}');
    const rows = readFileSync(results, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.index)).size).toBe(60);
    expect(summary.attacked + summary.skipped).toBe(60);
    expect(summary.attacked).toBe(rows.filter((r) => r.attacked).length);
    for (const key of ROW_FIELDS) {
      expect(rows[0]).toHaveProperty(key);
    }
    expect(summary.successRate).toBe(rows.filter((r) => r.success).length / summary.attacked);
    expect(
      await run(
        [
          ...args.slice(0, 8),
          'ml-cw',
          '--target',
          `file:${join(dir, 'missing.json')}`,
          '--out',
          results,
        ],
        out,
      ),
    ).toBe(2);
  });
});
