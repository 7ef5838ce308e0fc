import type { Box } from '@mlap/tensor';
import { amplified, dataUri } from '../report/images.js';
import { scoreBars } from '../report/score-bars.js';
import type { DemoCell } from './run-demo.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const labelSet = (v: readonly (0 | 1 | null)[] | null, names: readonly string[]) =>
  v === null
    ? '–'
    : `{${v.flatMap((x, j) => (x === 1 ? [names[j] ?? String(j)] : [])).join(', ')}}`;

function median(xs: number[]): number | undefined {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? undefined
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/** Summary numbers of a cell, shared by the terminal table and the report so they cannot differ. */
export function cellSummary(cell: DemoCell): {
  attacked: number;
  successRate: number;
  medianL2: number | undefined;
} {
  const wins = cell.rows.filter((r) => r.success === true).map((r) => r.l2 ?? 0);
  return {
    attacked: cell.rows.length,
    successRate: cell.rows.length === 0 ? 0 : wins.length / cell.rows.length,
    medianL2: median(wins),
  };
}

/** A self-contained HTML page: the summary table, then one example per cell (images and labels). */
export async function demoReport(
  cells: readonly DemoCell[],
  box: Box,
  labelNames: readonly string[],
  backend: string,
): Promise<string> {
  const rows = cells.map((c) => {
    const s = cellSummary(c);
    return `<tr><td>${esc(c.attack)}</td><td>${esc(c.strategy)}</td><td>${s.attacked}</td><td>${s.attacked === 0 ? 'n/a' : `${(100 * s.successRate).toFixed(0)}%`}</td><td>${s.medianL2 === undefined ? '–' : s.medianL2.toFixed(3)}</td><td>${c.seconds.toFixed(2)}</td></tr>`;
  });
  const examples: string[] = [];
  for (const c of cells) {
    if (c.example === undefined) continue;
    const row = c.rows.find((r) => r.index === c.example?.index) ?? c.rows[0];
    const pert = amplified(c.example.clean, c.example.adversarial, box);
    const [a, b, p] = [
      await dataUri(c.example.clean, box),
      await dataUri(c.example.adversarial, box),
      await dataUri(pert, box),
    ];
    pert.dispose();
    examples.push(`<figure><figcaption><b>${esc(c.attack)}</b> · ${esc(c.strategy)} · test image ${c.example.index} · ${row?.success ? 'success' : 'failure'}, L2 ${(row?.l2 ?? 0).toFixed(3)}</figcaption>
<div class="imgs"><div><img src="${a}" alt="original"><span>original ${esc(labelSet(row?.start ?? null, labelNames))}</span></div><div><img src="${b}" alt="adversarial"><span>adversarial ${esc(labelSet(row?.predicted ?? null, labelNames))}</span></div><div><img src="${p}" alt="perturbation, amplified"><span>perturbation (amplified) · target ${esc(labelSet(row?.target ?? null, labelNames))}</span></div></div>${row === undefined ? '' : scoreBars(row, labelNames)}</figure>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mlap demo report</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#111;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:right}td:first-child,td:nth-child(2){text-align:left}figure{margin:1.2rem 0}.imgs{display:flex;gap:1rem;flex-wrap:wrap}.imgs div{display:flex;flex-direction:column;max-width:12rem}img{image-rendering:pixelated;border:1px solid #999}span{font-size:13px}.note{color:#555;font-size:13px}</style></head><body>
<h1>mlap demo</h1><p>The pre-trained default model (a CNN on 2×2 mosaics of real MNIST digits; labels = the digits present) attacked on default test mosaics whose clean prediction is right and has ≥ 2 labels, on the <b>${esc(backend)}</b> backend. Success is re-checked by running the model on each returned image; median L2 is over successful samples. ML-CW, Rank I and Rank II use a short budget (100 Adam steps × 5 constants, learning rate 0.1, logit margins) instead of the paper's 1000 × 10.</p>
<table><thead><tr><th>attack</th><th>target</th><th>attacked</th><th>success</th><th>median L2</th><th>seconds</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Examples</h2>${examples.join('\n')}</body></html>
`;
}
