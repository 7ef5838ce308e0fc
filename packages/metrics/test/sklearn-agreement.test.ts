import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  AVERAGES,
  averagePrecision,
  averagePrecisionPerLabel,
  coverageError,
  evaluateMultiLabel,
  hammingLoss,
  kendallTau,
  labelRankingAveragePrecision,
  meanAveragePrecision,
  oneError,
  perLabelPrecisionRecallFscore,
  precisionRecallAtK,
  precisionRecallFscore,
  rankingLoss,
  subsetAccuracy,
  targetRanks,
} from '../src/index.js';
import { expectAllClose, expectClose, fixtureCases } from './helpers.js';

const cases = fixtureCases();

describe('agreement with scikit-learn 1.2 / scipy fixtures', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const e = c.expected;
    const labels = tf.tensor2d(c.labels, undefined, 'int32');
    const scores = tf.tensor2d(c.scores);
    const predicted = tf.tensor2d(c.predicted);
    const after = tf.tensor2d(c.after);
    try {
      expectClose(subsetAccuracy(labels, predicted), e.subsetAccuracy, 'subsetAccuracy');
      expectClose(hammingLoss(labels, predicted), e.hammingLoss, 'hammingLoss');
      for (const zd of [0, 1] as const) {
        for (const average of AVERAGES) {
          const got = precisionRecallFscore(labels, predicted, { average, zeroDivision: zd });
          const [p, r, f] = e.prf[`${zd}`][average] ?? [];
          expectClose(got.precision, p ?? Number.NaN, `precision ${average} zd=${zd}`);
          expectClose(got.recall, r ?? Number.NaN, `recall ${average} zd=${zd}`);
          expectClose(got.fscore, f ?? Number.NaN, `f1 ${average} zd=${zd}`);
        }
      }
      const per = perLabelPrecisionRecallFscore(labels, predicted);
      expectAllClose(per.precision, e.perLabel.precision, 'per-label precision');
      expectAllClose(per.recall, e.perLabel.recall, 'per-label recall');
      expectAllClose(per.fscore, e.perLabel.fscore, 'per-label f1');
      expectAllClose(per.support, e.perLabel.support, 'support');
      expectAllClose(averagePrecisionPerLabel(labels, scores), e.averagePrecisionPerLabel, 'AP');
      for (const average of AVERAGES) {
        expectClose(
          averagePrecision(labels, scores, average),
          e.averagePrecision[average] ?? Number.NaN,
          `AP ${average}`,
        );
      }
      expectClose(meanAveragePrecision(labels, scores), e.averagePrecision.macro ?? 0, 'mAP');
      expectClose(labelRankingAveragePrecision(labels, scores), e.lrap, 'LRAP');
      expectClose(rankingLoss(labels, scores), e.rankingLoss, 'ranking loss');
      expectClose(coverageError(labels, scores), e.coverageError, 'coverage');
      expectClose(oneError(labels, scores), e.oneError, 'one-error');
      for (const [k, byZd] of Object.entries(e.atK)) {
        for (const zd of [0, 1] as const) {
          const got = precisionRecallAtK(labels, scores, Number(k), zd);
          const [p, r] = byZd[`${zd}`];
          expectClose(got.precision, p, `P@${k}`);
          expectClose(got.recall, r, `R@${k} zd=${zd}`);
        }
      }
      const l = c.labels[0]?.length ?? 0;
      const all = Array.from({ length: l }, (_, j) => j);
      expect(
        targetRanks(
          after,
          c.labels.map(() => all),
        ),
      ).toEqual(e.ranks);
      const tau = kendallTau(scores, after);
      e.kendallTau.forEach((t, i) => {
        expectClose(tau[i] ?? 0, t ?? Number.NaN, `tau[${i}]`);
      });
    } finally {
      tf.dispose([labels, scores, predicted, after]);
    }
  });

  it('evaluateMultiLabel matches the single metrics on every case', () => {
    for (const c of cases.slice(0, 12)) {
      const e = c.expected;
      const labels = tf.tensor2d(c.labels);
      const scores = tf.tensor2d(c.scores);
      const predicted = tf.tensor2d(c.predicted);
      try {
        const ks = Object.keys(e.atK).map(Number);
        const report = evaluateMultiLabel(labels, scores, { predicted, k: ks });
        expectClose(report.subsetAccuracy, e.subsetAccuracy, `${c.name} subset`);
        expectClose(report.hammingLoss, e.hammingLoss, `${c.name} hamming`);
        for (const average of AVERAGES) {
          expectClose(report.prf[average].fscore, e.prf['0'][average]?.[2] ?? 0, `${c.name} f1`);
        }
        expectAllClose(report.averagePrecision, e.averagePrecisionPerLabel, `${c.name} AP`);
        expectClose(report.meanAveragePrecision, e.averagePrecision.macro ?? 0, `${c.name} mAP`);
        expectClose(report.labelRankingAveragePrecision, e.lrap, `${c.name} LRAP`);
        expectClose(report.rankingLoss, e.rankingLoss, `${c.name} ranking loss`);
        expectClose(report.coverageError, e.coverageError, `${c.name} coverage`);
        expectClose(report.oneError, e.oneError, `${c.name} one-error`);
        for (const k of ks) {
          expectClose(report.precisionAtK[k] ?? 0, e.atK[k]?.['0'][0] ?? 0, `${c.name} P@${k}`);
          expectClose(report.recallAtK[k] ?? 0, e.atK[k]?.['0'][1] ?? 0, `${c.name} R@${k}`);
        }
      } finally {
        tf.dispose([labels, scores, predicted]);
      }
    }
  });
});
