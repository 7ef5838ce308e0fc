import type { AttackReport } from '../protocol.js';
import { el } from './dom.js';

/** Fills the metrics list: success, norms, iterations, time, and whether the PNG keeps it. */
export function renderMetrics(list: HTMLDListElement, report: AttackReport): void {
  const entries: [string, string][] = [
    ['success', report.success ? 'yes — target met (re-checked on the model)' : 'no'],
    ['L2', report.l2.toFixed(3)],
    ['L∞', report.linf.toFixed(4)],
    ['RMSD (0–255)', report.rmsd.toFixed(3)],
    ['iterations', String(report.iterations)],
    ['time', `${(report.ms / 1000).toFixed(1)} s`],
    [
      '8-bit PNG',
      report.pngKeepsTarget
        ? 'same labels as the attack’s float result'
        : 'rounding to 8 bits changes the labels',
    ],
  ];
  list.replaceChildren(
    ...entries.flatMap(([term, value]) => [
      el('dt', {}, term),
      el('dd', { dataset: { metric: term } }, value),
    ]),
  );
  list.dataset.success = String(report.success);
}
