import { describe, expect, it } from 'vitest';
import { cellStats, datasetCells, rankingMeasures } from '../src/cell-stats.js';
import { fmt, pct } from '../src/format.js';
import { cellRow, skipTable } from '../src/page.js';
import { logRow } from './rows.js';

const won = (l2: number, iterations: number) => ({
  success: true,
  l2,
  linf: l2 / 2,
  relL2: l2 / 10,
  rmsd: 2 * l2,
  iterations,
  gradientEvaluations: iterations,
});

describe('cellStats', () => {
  it('counts, rates, norms and time of a job, by hand', () => {
    const job = 'ml-cw/random';
    const rows = [
      logRow(job, 0, won(1, 10)),
      logRow(job, 1, won(3, 20)),
      logRow(job, 2, { ...won(5, 30), success: false, predicted: [1, 1, 0] }),
      logRow(job, 3, { skipReason: 'fewer than 2 labels' }),
      logRow(job, 4, { skipReason: 'fewer than 2 labels' }),
      logRow(job, 5, { skipReason: 'prediction differs' }),
    ];
    const timing = [
      { dataset: 'toy', job, seconds: 3, samples: 2, backend: 'wasm' },
      { dataset: 'toy', job, seconds: 3, samples: 1, backend: 'wasm' },
      { dataset: 'other', job, seconds: 100, samples: 1, backend: 'wasm' },
    ];
    const c = cellStats('toy', rows, timing);
    expect([c.attack, c.strategy, c.attacked, c.skipped, c.successes]).toEqual([
      'ml-cw',
      'random',
      3,
      3,
      2,
    ]);
    expect(c.skipReasons).toEqual([
      ['fewer than 2 labels', 2],
      ['prediction differs', 1],
    ]);
    expect(c.successRate).toBeCloseTo(2 / 3, 12);
    // Norms over the two successes (1 and 3); L∞ (all) also over the failure (2.5).
    expect([c.meanL2, c.medianL2, c.meanRelL2, c.medianRelL2]).toEqual([2, 2, 0.2, 0.2]);
    expect([c.meanLinf, c.meanRmsd]).toEqual([1, 4]);
    expect(c.meanLinfAll).toBeCloseTo((0.5 + 1.5 + 2.5) / 3, 12);
    expect([c.meanIterations, c.meanGradientEvaluations]).toEqual([20, 20]);
    expect([c.seconds, c.timedSamples, c.secondsPerSample]).toEqual([6, 3, 2]);
    expect(c.successL2).toEqual([1, 3]);
    expect(c.topKHitRate).toBeUndefined();
    expect(c.successLow).toBeLessThanOrEqual(c.successRate);
    expect(c.successHigh).toBeGreaterThanOrEqual(c.successRate);
    expect(cellRow(c)).toMatch(
      /^\| ml-cw \| random \| 3 \| 3 \| 66\.7% \[.*\] \(2\/3\) \| 2\.00 \| 2\.00 \|/,
    );
  });

  it('top-k hit rate and Kendall τ of ranking rows, by hand', () => {
    const job = 'rank1/random';
    const rows = [
      // T = {2}; after the attack label 2 is on top: a hit; the order is reversed: τ = −1.
      logRow(job, 0, {
        ...won(1, 1),
        success: true,
        target: [0, 0, 1],
        logits: [3, 2, 1],
        adversarialLogits: [1, 2, 3],
      }),
      // T = {1}; nothing moved: label 0 stays on top, a miss; τ = 1.
      logRow(job, 1, {
        ...won(1, 1),
        success: false,
        target: [0, 1, 0],
        logits: [3, 2, 1],
        adversarialLogits: [3, 2, 1],
      }),
      // All scores tied before: τ undefined (scipy's NaN), left out of the mean; T = {0, 1} on top.
      logRow(job, 2, {
        ...won(1, 1),
        success: true,
        target: [1, 1, 0],
        logits: [1, 1, 1],
        adversarialLogits: [2, 3, 1],
      }),
    ];
    expect(rankingMeasures(rows)).toEqual({ hit: 2 / 3, tau: 0 });
    const c = cellStats('toy', rows, []);
    expect([c.topKHitRate, c.kendallTau]).toEqual([2 / 3, 0]);
    expect(Number.isNaN(c.secondsPerSample)).toBe(true);
  });

  it('orders the cells of a dataset by method, then strategy, and explains skips', () => {
    const rows = [
      'rank1/random',
      'ml-cw/extreme',
      'ml-cw/add:3',
      'ml-deepfool/random',
      'ml-cw/hide-single',
    ].flatMap((job) => [
      logRow(job, 0, won(1, 1)),
      logRow(job, 1, { skipReason: 'too few labels' }),
    ]);
    const cells = datasetCells('toy', rows, []);
    expect(cells.map((c) => `${c.attack}/${c.strategy}`)).toEqual([
      'ml-deepfool/random',
      'ml-cw/hide-single',
      'ml-cw/extreme',
      'ml-cw/add:3',
      'rank1/random',
    ]);
    expect(skipTable(cells).slice(2)).toEqual(['| too few labels | 1 | every job |']);
  });
});

describe('fmt', () => {
  it('writes 3 significant digits without exponents for large values', () => {
    expect([fmt(2659.4), fmt(0.0000279), fmt(1.5), fmt(Number.NaN), fmt(null)]).toEqual([
      '2659',
      '0.0000279',
      '1.50',
      '–',
      '–',
    ]);
    expect(pct(2 / 3)).toBe('66.7%');
  });
});
