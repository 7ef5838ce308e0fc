import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, mlap, repo } from './built-cli.js';
import { ROW_FIELDS, toyTrainArgs, writeToyEvalConfig, writeToyMulan } from './toy-mulan.js';

// One end-to-end pass over the built command, on the wasm backend (the cpu one adds nothing here).
describe.skipIf(process.env.MLAP_BACKEND !== 'wasm')('the built mlap command', () => {
  beforeAll(buildCli, 600_000);

  it('survives SIGKILL mid-eval: --resume gives exactly the rows of an uninterrupted run', async () => {
    expect(existsSync(cli)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'mlap-kill-'));
    const toy = writeToyMulan(dir, { rows: 120, features: 6, labels: 4, seed: 11 });
    expect(mlap(...toyTrainArgs(toy, dir, 5, 'wasm')).code).toBe(0);
    const config = writeToyEvalConfig(dir, {
      attacks: [{ name: 'ml-cw', options: { maxIterations: 30, binarySearchSteps: 3 } }],
      batchSize: 4,
      seed: 5,
    });
    const full = join(dir, 'full.jsonl');
    expect(
      mlap('eval', '--config', config, '--out', full, '--backend', 'wasm', '--json').code,
    ).toBe(0);
    const killed = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, [
      cli,
      'eval',
      '--config',
      config,
      '--out',
      killed,
      '--backend',
      'wasm',
      '--json',
    ]);
    // Kill it once it has written some, but not all, of its rows.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const n = existsSync(killed) ? readFileSync(killed, 'utf8').split('\n').length : 0;
        if (n > 120 || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const partial = readFileSync(killed, 'utf8').split('\n').length - 1;
    expect(partial).toBeLessThan(readFileSync(full, 'utf8').trim().split('\n').length);
    expect(
      mlap('eval', '--config', config, '--out', killed, '--backend', 'wasm', '--resume', '--json')
        .code,
    ).toBe(0);
    expect(mlap('merge', killed, '--out', join(dir, 'a.jsonl')).code).toBe(0);
    expect(mlap('merge', full, '--out', join(dir, 'b.jsonl')).code).toBe(0);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'b.jsonl'), 'utf8'),
    );
  });

  it('mlap demo writes a report whose numbers match its JSONL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-demo-'));
    const run = mlap('demo', '--backend', 'wasm', '--images', '2', '--out-dir', dir);
    expect(run.code).toBe(0);
    const rows = readFileSync(join(dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const attack of ['ml-deepfool', 'ml-cw', 'rank1', 'rank2']) {
      for (const strategy of ['hide-single', 'random', 'extreme']) {
        const mine = rows.filter((r) => r.attack === attack && r.strategy === strategy);
        const rate = `${((100 * mine.filter((r) => r.success).length) / mine.length).toFixed(0)}%`;
        expect(report).toContain(
          `<tr><td>${attack}</td><td>${strategy}</td><td>${mine.length}</td><td>${rate}</td>`,
        );
      }
    }
  });

  const scene = join(repo, '../shared/datasets/scene');
  it.skipIf(!existsSync(scene))(
    'trains an MLP on MULAN scene and attacks it (needs ../shared)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'mlap-scene-'));
      const xml = join(scene, 'scene.xml');
      expect(
        mlap(
          'train',
          '--data',
          join(scene, 'scene-train.arff'),
          '--labels',
          xml,
          '--out',
          join(dir, 'mlp'),
          '--epochs',
          '10',
          '--backend',
          'wasm',
        ).code,
      ).toBe(0);
      const out = join(dir, 'runs', 'scene.jsonl');
      const run = mlap(
        'attack',
        '--model',
        join(dir, 'mlp', 'model.json'),
        '--data',
        join(scene, 'scene-test.arff'),
        '--labels',
        xml,
        '--attack',
        'ml-deepfool',
        '--target',
        'hide-single',
        '--min-labels',
        '1',
        '--limit',
        '300',
        '--out',
        out,
        '--json',
        '--backend',
        'wasm',
      );
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
      const rows = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows).toHaveLength(300);
      expect(summary.attacked + summary.skipped).toBe(300);
      expect(summary.attacked).toBeGreaterThan(0);
      for (const key of ['attacked', 'skipped', 'successRate', 'meanL2', 'medianL2', 'seconds'])
        expect(summary).toHaveProperty(key);
      for (const key of ROW_FIELDS) expect(rows[0]).toHaveProperty(key);
      expect(summary.successRate).toBeCloseTo(
        rows.filter((r) => r.success).length / summary.attacked,
        10,
      );
    },
  );

  it('exits 2 with one line for usage errors, and prints readable help', () => {
    const missing = mlap(
      'attack',
      '--model',
      '/nonexistent/model.json',
      '--data',
      'x.arff',
      '--attack',
      'ml-cw',
      '--target',
      'random',
      '--out',
      join(tmpdir(), 'o.jsonl'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(mlap('attack', '--attack', 'nope').code).toBe(2);
    const help = mlap('--help');
    expect(help.code).toBe(0);
    for (const c of ['demo', 'attack', 'eval', 'merge', 'report', 'train', 'backends'])
      expect(help.stdout).toContain(c);
  });
});
