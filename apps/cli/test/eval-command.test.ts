import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../src/eval/shard.js';
import { run } from '../src/program.js';
import { buildReport } from '../src/report/build-report.js';
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
    // The header, then one row per (job, sample): 2 attacks × 2 strategies.
    expect(lines.length).toBe(1 + 4 * 40);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      header: 'mlap eval',
      labelNames: ['label0', 'label1', 'label2'],
      thresholds: [0.5, 0.5, 0.5],
    });
    // A run killed mid-write: some rows, then half a line.
    const killed = join(dir, 'killed.jsonl');
    writeFileSync(killed, `${lines.slice(0, 70).join('\n')}\n${(lines[70] ?? '').slice(0, 25)}`);
    expect(await run(evalArgs(config, killed, '--resume'), quiet)).toBe(0);
    const resumedLines = readFileSync(killed, 'utf8').trim().split('\n');
    expect(resumedLines).toHaveLength(161);
    expect(await merged(dir, 'a.jsonl', killed)).toBe(await merged(dir, 'b.jsonl', full));
    // Each shard writes the header; the merged log has it once, first.
    const s0 = join(dir, 's0.jsonl');
    const s1 = join(dir, 's1.jsonl');
    expect(await run(evalArgs(config, s0, '--shard', '0/2'), quiet)).toBe(0);
    expect(await run(evalArgs(config, s1, '--shard', '1/2'), quiet)).toBe(0);
    const mergedShards = await merged(dir, 'c.jsonl', s0, s1);
    expect(mergedShards).toBe(await merged(dir, 'd.jsonl', full));
    expect(mergedShards.split('\n').filter((l) => l.startsWith('{"header"'))).toEqual([lines[0]]);
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

/** Every element `tag` of an SVG string, as a map of its attributes. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

/** The label names under the bars of each score chart of a report. */
const barNames = (html: string) =>
  html
    .split('<figure>')
    .slice(1)
    .map((f) =>
      [...f.matchAll(/rotate\(-60\)" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]),
    );

/** The dashed threshold lines of each score chart of a report, as [data-tau, y1] pairs. */
const thresholdLines = (html: string) =>
  html
    .split('<figure>')
    .slice(1)
    .map((f) =>
      elements(f, 'line')
        .filter((l) => l.class === 'threshold')
        .map((l) => [Number(l['data-tau']), Number(l.y1)]),
    );

describe('mlap eval logs name their labels and thresholds once', () => {
  it('in a header that mlap report draws from, and an old log without it still reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-eval-tau-'));
    const toy = writeToyMulan(dir, { rows: 12, features: 3, labels: 3, seed: 5, threshold: 0.3 });
    const backend = process.env.MLAP_BACKEND ?? 'cpu';
    expect(await run(toyTrainArgs(toy, dir, 2, backend), quiet)).toBe(0);
    // Thresholds not all 0.5, stored where mlap reads them: the model's metadata.
    const modelJson = join(dir, 'model', 'model.json');
    const model = JSON.parse(readFileSync(modelJson, 'utf8'));
    model.userDefinedMetadata.thresholds = [0.3, 0.5, 0.8];
    writeFileSync(modelJson, JSON.stringify(model));
    const config = writeToyEvalConfig(dir, { attacks: ['ml-deepfool'], batchSize: 4, seed: 1 });
    const log = join(dir, 'tau.jsonl');
    expect(await run(evalArgs(config, log), quiet)).toBe(0);
    const [first = '', ...rows] = readFileSync(log, 'utf8').trim().split('\n');
    expect(JSON.parse(first)).toEqual({
      header: 'mlap eval',
      labelNames: ['label0', 'label1', 'label2'],
      thresholds: [0.3, 0.5, 0.8],
    });
    // Written once: no row repeats them.
    expect(rows).toHaveLength(2 * 12);
    for (const r of rows) expect(r).not.toMatch(/"labelNames"|"thresholds"/);
    const attacked = rows.filter((r) => r.includes('"attacked":true')).length;
    expect(attacked).toBeGreaterThan(0);

    // Score axis: y = 150 at score 0, 14 at score 1 (136 px per unit); y(τ) = 150 − 136 τ.
    const { html } = await buildReport([log]);
    const charts = thresholdLines(html);
    expect(charts).toHaveLength(Math.min(6, attacked));
    for (const lines of charts)
      expect(lines).toEqual([
        [0.3, 109.2],
        [0.5, 82],
        [0.8, 41.2],
      ]);
    expect(barNames(html)).toEqual(charts.map(() => ['label0', 'label1', 'label2']));

    // The same rows without the header (a log from before it existed): same table, indices, τ = 0.5.
    const old = join(dir, 'old.jsonl');
    writeFileSync(old, `${rows.join('\n')}\n`);
    const before = await buildReport([old]);
    expect(before.groups).toEqual((await buildReport([log])).groups);
    for (const lines of thresholdLines(before.html)) expect(lines).toEqual([[0.5, 82]]);
    expect(barNames(before.html)).toEqual(charts.map(() => ['0', '1', '2']));

    // Resuming a log written for other thresholds is refused, the file named.
    writeFileSync(log, `${first.replace('0.8', '0.7')}\n${rows.slice(0, 3).join('\n')}\n`);
    expect(await run(evalArgs(config, log, '--resume'), quiet)).toBe(2);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(4);
    // And merging logs whose headers differ is an error, not a silent pick.
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, `${first}\n`);
    expect(await run(['merge', log, other, '--out', join(dir, 'm.jsonl')], quiet)).toBe(2);
    // Thresholds in the metadata that cannot be the model's are usage errors naming the file.
    for (const bad of [[0.3, 0.5], [0.3, 0.5, 1], 'high']) {
      model.userDefinedMetadata.thresholds = bad;
      writeFileSync(modelJson, JSON.stringify(model));
      expect(await run(evalArgs(config, join(dir, 'bad.jsonl')), quiet)).toBe(2);
    }
  });
});
