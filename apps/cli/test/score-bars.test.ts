import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/program.js';
import { buildReport } from '../src/report/build-report.js';
import type { LogRow } from '../src/report/group-stats.js';
import { MAX_DRAWN_LABELS, SCORE_BARS_LAYOUT, scoreBars } from '../src/report/score-bars.js';
import { writeToyMulan } from './toy-mulan.js';

/** Every element `tag` of an SVG string, as a map of its attributes. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

const row = (fields: Partial<LogRow>): LogRow =>
  ({
    index: 7,
    name: 'sample.png',
    attacked: true,
    skipReason: null,
    success: true,
    l2: 1,
    linf: 0.5,
    relL2: 0.1,
    rmsd: 0.1,
    iterations: 3,
    gradientEvaluations: 3,
    start: [1, 1, 0],
    target: [1, 0, null],
    predicted: [1, 0, 0],
    ...fields,
  }) as LogRow;

// The plot spans y = 14 (score 1) to y = 150 (score 0): 136 px per unit of score.
const BASE = 150;
const SPAN = 136;

describe('per-label score bars', () => {
  it('draws one bar pair per label, as tall as σ(logit), and the threshold at τ', () => {
    expect(SCORE_BARS_LAYOUT.height - SCORE_BARS_LAYOUT.margin.bottom).toBe(BASE);
    expect(BASE - SCORE_BARS_LAYOUT.margin.top).toBe(SPAN);
    // σ(0) = 1/2, σ(ln 3) = 3/4, σ(−ln 3) = 1/4, σ(ln 9) = 9/10, σ(−ln 9) = 1/10.
    const svg = scoreBars(
      row({
        logits: [0, Math.log(3), -Math.log(9)],
        adversarialLogits: [Math.log(9), -Math.log(3), -Math.log(9)],
        labelNames: ['cat', 'dog', 'car'],
      }),
    );
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>Per-label scores of sample\.png/);
    const before = elements(svg, 'rect').filter((r) => r.class === 'before');
    const after = elements(svg, 'rect').filter((r) => r.class === 'after');
    expect(before.map((r) => r['data-label'])).toEqual(['0', '1', '2']);
    expect(after.map((r) => r['data-label'])).toEqual(['0', '1', '2']);
    const expected = [
      [1 / 2, 9 / 10],
      [3 / 4, 1 / 4],
      [1 / 10, 1 / 10],
    ];
    expected.forEach(([b = 0, a = 0], j) => {
      expect(Number(before[j]?.height)).toBeCloseTo(b * SPAN, 1);
      expect(Number(after[j]?.height)).toBeCloseTo(a * SPAN, 1);
      // Bars stand on the axis: top + height = the score-0 line.
      expect(Number(before[j]?.y) + Number(before[j]?.height)).toBeCloseTo(BASE, 1);
    });
    const lines = elements(svg, 'line').filter((l) => l.class === 'threshold');
    expect(lines).toHaveLength(1);
    expect(Number(lines[0]?.y1)).toBeCloseTo(BASE - 0.5 * SPAN, 2);
    expect(svg).toContain('>cat</text>');
    // Target [1, 0, null]: on, off, don't care.
    expect(
      elements(svg, 'text')
        .map((t) => t.class)
        .filter(Boolean),
    ).toEqual(['target-on', 'target-off', 'target-any']);
  });

  it('draws per-label thresholds when the row carries them, and indices without names', () => {
    const svg = scoreBars(
      row({ logits: [0, 0, 0], adversarialLogits: [1, 1, 1], thresholds: [0.25, 0.5, 0.75] }),
    );
    const ys = elements(svg, 'line')
      .filter((l) => l.class === 'threshold')
      .map((l) => Number(l.y1));
    expect(ys).toEqual([BASE - 0.25 * SPAN, BASE - 0.5 * SPAN, BASE - 0.75 * SPAN]);
    expect(svg).toContain('>2</text>');
  });

  it('takes thresholds from an eval header when the row has none, the row’s own first', () => {
    const fields = { logits: [0, 0, 0], adversarialLogits: [1, 1, 1] };
    const ys = (svg: string) =>
      elements(svg, 'line')
        .filter((l) => l.class === 'threshold')
        .map((l) => Number(l.y1));
    const header = [0.25, 0.5, 0.75];
    expect(ys(scoreBars(row(fields), [], header))).toEqual([
      BASE - 0.25 * SPAN,
      BASE - 0.5 * SPAN,
      BASE - 0.75 * SPAN,
    ]);
    const own = scoreBars(row({ ...fields, thresholds: [0.1, 0.2, 0.3] }), [], header);
    expect(ys(own)).toEqual([BASE - 0.1 * SPAN, BASE - 0.2 * SPAN, BASE - 0.3 * SPAN]);
  });

  it('draws at most 40 labels: the target’s first, then those that moved most', () => {
    const L = 60;
    const logits = Array.from({ length: L }, () => -3);
    // Label j moves by j/100 in logit, so labels 59, 58, … moved most; label 0 (target on) hardly.
    const adversarialLogits = logits.map((z, j) => z + j / 100);
    const target = Array.from({ length: L }, (_, j) => (j === 0 ? 1 : null));
    const start = Array.from({ length: L }, (): 0 | 1 => 0);
    const svg = scoreBars(row({ logits, adversarialLogits, target, start }));
    const drawn = elements(svg, 'rect')
      .filter((r) => r.class === 'before')
      .map((r) => Number(r['data-label']));
    expect(drawn).toHaveLength(MAX_DRAWN_LABELS);
    expect(drawn).toEqual([0, ...Array.from({ length: 39 }, (_, k) => 21 + k)]);
    expect(svg).toContain('Showing 40 of 60 labels');
  });

  it('renders a row without logits as a note, and an old log without bars', async () => {
    expect(scoreBars(row({}))).not.toContain('<svg');
    expect(scoreBars(row({}))).toMatch(/no logits/);
    const dir = mkdtempSync(join(tmpdir(), 'mlap-bars-'));
    const log = join(dir, 'old.jsonl');
    writeFileSync(log, `${JSON.stringify(row({ name: 'row 7' }))}\n`);
    const { html } = await buildReport([log]);
    expect(html).toContain('Attacked samples');
    expect(html).toMatch(/No per-label scores/);
    expect(html).not.toContain('class="before"');
  });
});

describe.skipIf(process.env.MLAP_BACKEND !== 'wasm')('mlap attack rows carry logits', () => {
  it('whose sigmoid agrees with the start and predicted labels, and the report draws them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlap-logits-'));
    const { arff, xml } = writeToyMulan(dir, { rows: 30, features: 4, labels: 3, seed: 2 });
    const out = { log: () => {} };
    const model = join(dir, 'model');
    const common = ['--data', arff, '--labels', xml, '--backend', 'wasm'];
    expect(await run(['train', ...common, '--out', model, '--epochs', '3'], out)).toBe(0);
    const log = join(dir, 'attack.jsonl');
    const attack = ['attack', ...common, '--model', join(model, 'model.json')];
    const flags = ['--attack', 'ml-deepfool', '--target', 'random', '--out', log];
    expect(await run([...attack, ...flags, '--any-prediction', '--min-labels', '1'], out)).toBe(0);
    const rows = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogRow);
    const attacked = rows.filter((r) => r.attacked);
    expect(attacked.length).toBeGreaterThan(0);
    // The model decides on the float32 probability: σ(z) ≥ τ ⇔ label on (spec §0).
    const on = (z: number) => (Math.fround(1 / (1 + Math.exp(-z))) >= 0.5 ? 1 : 0);
    for (const r of attacked) {
      expect(r.logits).toHaveLength(3);
      expect(r.thresholds).toBeUndefined();
      expect(r.labelNames).toEqual(['label0', 'label1', 'label2']);
      expect((r.logits ?? []).map(on)).toEqual(r.start);
      expect((r.adversarialLogits ?? []).map(on)).toEqual(r.predicted);
    }
    const { html } = await buildReport([log]);
    const figures = html.split('<figure>').slice(1);
    expect(figures).toHaveLength(Math.min(6, attacked.length));
    for (const f of figures) expect(elements(f, 'rect')).toHaveLength(6);
    expect(html).toContain('>label1</text>');
  });
});
