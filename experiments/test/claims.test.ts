import { describe, expect, it } from 'vitest';
import {
  allClaims,
  cwSmaller,
  cwSucceedsMore,
  type DatasetResults,
  deepFoolFaster,
  extremeFailsMore,
  extremeLarger,
  labelFrequencies,
  pairedL2,
  rareHarder,
} from '../src/claims.js';
import { claimsSection } from '../src/page.js';
import { cell, logRow } from './rows.js';

const dataset = (
  name: string,
  cells: DatasetResults['cells'],
  rows: DatasetResults['rows'] = [],
) => ({
  dataset: name,
  cells,
  rows,
});

describe('the claims of spec §7', () => {
  it('extreme: far larger (≥ 2×) and failing more often, per dataset × method', () => {
    const d = dataset('toy', [
      cell('toy', 'ml-cw/extreme', { medianL2: 5, successRate: 0.5 }),
      cell('toy', 'ml-cw/hide-single', { medianL2: 1, successRate: 1 }),
      cell('toy', 'ml-cw/random', { medianL2: 2, successRate: 0.9 }),
      cell('toy', 'rank1/extreme', { medianL2: 3, successRate: 1 }),
      cell('toy', 'rank1/hide-single', { medianL2: 1, successRate: 1 }),
      cell('toy', 'rank1/random', { medianL2: 2, successRate: 1 }),
    ]);
    const larger = extremeLarger([d]);
    // ml-cw: 5 / max(1, 2) = 2.5 ≥ 2 holds; rank1: 3 / 2 = 1.5 does not.
    expect(larger.evidence.map((e) => [e.where, e.holds])).toEqual([
      ['toy · ml-cw', true],
      ['toy · rank1', false],
    ]);
    expect(larger.evidence[0]?.numbers).toMatch(/×2\.5/);
    expect(larger.verdict).toBe(false);
    const fails = extremeFailsMore([d]);
    // ml-cw: 50% < min(100%, 90%); rank1: 100% is not below 100%.
    expect(fails.evidence.map((e) => e.holds)).toEqual([true, false]);
    expect(fails.verdict).toBe(false);
    expect(extremeLarger([dataset('toy', d.cells.slice(0, 3))]).verdict).toBe(true);
  });

  it('ML-DeepFool faster (≥ 3× per sample) and ML-CW more successful, per dataset × strategy', () => {
    const d = dataset('toy', [
      cell('toy', 'ml-deepfool/random', { secondsPerSample: 0.1, successRate: 0.8 }),
      cell('toy', 'ml-cw/random', { secondsPerSample: 0.5, successRate: 0.9 }),
      cell('toy', 'ml-deepfool/extreme', { secondsPerSample: 0.1, successRate: 1 }),
      cell('toy', 'ml-cw/extreme', { secondsPerSample: 0.2, successRate: 1 }),
    ]);
    expect(deepFoolFaster([d]).evidence.map((e) => [e.where, e.holds])).toEqual([
      ['toy · random', true],
      ['toy · extreme', false],
    ]);
    expect(cwSucceedsMore([d]).evidence.map((e) => e.holds)).toEqual([true, false]);
    // Untimed cells cannot be compared: no evidence, no verdict.
    const untimed = dataset('toy', [
      cell('toy', 'ml-deepfool/random'),
      cell('toy', 'ml-cw/random'),
    ]);
    expect(deepFoolFaster([untimed]).verdict).toBeUndefined();
    // A single attacked sample (CenterNet's one photo) decides nothing.
    const one = { attacked: 1, secondsPerSample: 1 };
    const tiny = dataset('photo', [
      cell('photo', 'ml-deepfool/random', one),
      cell('photo', 'ml-cw/random', one),
    ]);
    expect(deepFoolFaster([tiny]).evidence).toEqual([]);
  });

  it('ML-CW smaller: paired medians over the samples both methods solved', () => {
    const rows = [
      logRow('ml-cw/random', 0, { success: true, l2: 1 }),
      logRow('ml-cw/random', 1, { success: true, l2: 2 }),
      logRow('ml-cw/random', 2, { success: false, l2: 0.1 }),
      logRow('ml-deepfool/random', 0, { success: true, l2: 1.5 }),
      logRow('ml-deepfool/random', 1, { success: true, l2: 2.5 }),
      logRow('ml-deepfool/random', 2, { success: true, l2: 9 }),
    ];
    expect(pairedL2(rows, 'ml-cw/random', 'ml-deepfool/random')).toEqual({
      a: [1, 2],
      b: [1.5, 2.5],
    });
    const cells = [cell('toy', 'ml-deepfool/random'), cell('toy', 'ml-cw/random')];
    const claim = cwSmaller([dataset('toy', cells, rows)]);
    expect(claim.verdict).toBe(true);
    expect(claim.evidence[0]?.numbers).toBe(
      'median L2 on the 2 samples both solved: ML-CW 1.50, ML-DeepFool 2.00',
    );
  });

  it('rarer labels harder: the rarest added label against the most common one', () => {
    // Label 2 is predicted in 1 of 4 samples, label 1 in 3 of 4.
    const starts: (0 | 1)[][] = [
      [1, 1, 0],
      [1, 1, 0],
      [1, 1, 1],
      [1, 0, 0],
    ];
    const rows = [
      ...starts.map((start, i) => logRow('ml-cw/hide-single', i, { start })),
      logRow('ml-cw/add:rare', 0, { start: [1, 1, 0], target: [1, 1, 1], success: true, l2: 2 }),
      logRow('ml-cw/add:common', 3, { start: [1, 0, 0], target: [1, 1, 0], success: true, l2: 1 }),
    ];
    expect(labelFrequencies(rows)).toEqual([1, 0.75, 0.25]);
    const cells = [
      cell('toy', 'ml-cw/add:rare', { successRate: 1, medianL2: 2 }),
      cell('toy', 'ml-cw/add:common', { successRate: 1, medianL2: 1 }),
    ];
    const claim = rareHarder([dataset('toy', cells, rows)]);
    expect(claim.evidence.map((e) => [e.where, e.holds])).toEqual([['toy · ml-cw', true]]);
    expect(claim.evidence[0]?.numbers).toMatch(/^add:rare \(in 25\.0% of predictions\)/);
    const easier = [
      cell('toy', 'ml-cw/add:rare', { successRate: 1, medianL2: 0.5 }),
      cell('toy', 'ml-cw/add:common', { successRate: 0.9, medianL2: 1 }),
    ];
    expect(rareHarder([dataset('toy', easier, rows)]).verdict).toBe(false);
  });

  it('every claim gets a verdict line on the page, "not measured" without comparisons', () => {
    const claims = allClaims([]);
    expect(claims).toHaveLength(6);
    const page = claimsSection(claims).join('\n');
    expect(page.match(/\*\*not measured\*\*/g)).toHaveLength(6);
    const one = extremeLarger([
      dataset('toy', [
        cell('toy', 'ml-cw/extreme', { medianL2: 5 }),
        cell('toy', 'ml-cw/hide-single', { medianL2: 1 }),
        cell('toy', 'ml-cw/random', { medianL2: 2 }),
      ]),
    ]);
    expect(claimsSection([one])[0]).toMatch(/\*\*TRUE\*\* — holds in 1 of 1 comparisons/);
  });
});
