import type { CellStats } from '../src/cell-stats.js';
import type { LogRow } from '../src/log-rows.js';

/** A hand-made log row: attacked when `success` is given, skipped otherwise. */
export function logRow(job: string, index: number, fields: Partial<LogRow> = {}): LogRow {
  const [attack = '', strategy = ''] = job.split('/');
  const attacked = fields.success !== undefined && fields.success !== null;
  return {
    job,
    attack,
    strategy,
    index,
    name: `row ${index}`,
    attacked,
    skipReason: attacked ? null : 'not attacked',
    success: null,
    l2: null,
    linf: null,
    relL2: null,
    rmsd: null,
    iterations: null,
    gradientEvaluations: null,
    start: [1, 1, 0],
    target: attacked ? [1, 0, 0] : null,
    predicted: [1, 1, 0],
    ...fields,
  };
}

/** A hand-made cell: every statistic NaN or 0 unless given. */
export function cell(dataset: string, job: string, fields: Partial<CellStats> = {}): CellStats {
  const [attack = '', strategy = ''] = job.split('/');
  return {
    dataset,
    attack,
    strategy,
    attacked: 10,
    skipped: 0,
    skipReasons: [],
    successes: 0,
    successRate: Number.NaN,
    successLow: Number.NaN,
    successHigh: Number.NaN,
    meanL2: Number.NaN,
    medianL2: Number.NaN,
    meanRelL2: Number.NaN,
    medianRelL2: Number.NaN,
    meanLinf: Number.NaN,
    meanRmsd: Number.NaN,
    meanLinfAll: Number.NaN,
    meanIterations: Number.NaN,
    meanGradientEvaluations: Number.NaN,
    seconds: 0,
    timedSamples: 0,
    secondsPerSample: Number.NaN,
    topKHitRate: undefined,
    kendallTau: undefined,
    successL2: [],
    ...fields,
  };
}
