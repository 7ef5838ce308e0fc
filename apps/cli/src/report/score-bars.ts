import { scaleLinear } from 'd3-scale';
import type { LogRow } from './group-stats.js';

/** At most this many labels are drawn; beyond it, the ones that matter most are chosen. */
export const MAX_DRAWN_LABELS = 40;

/** Geometry of the score chart: plot margins and the height of the score axis. */
export const SCORE_BARS_LAYOUT = {
  height: 220,
  margin: { top: 14, right: 12, bottom: 70, left: 40 },
} as const;

/** Okabe–Ito colours, as in charts.ts: before, after, target on, target off. */
const COLOUR = { before: '#0072B2', after: '#D55E00', on: '#009E73', off: '#CC79A7' } as const;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const r2 = (v: number) => Math.round(v * 100) / 100;

/** σ(z), computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The labels to draw: all of them up to {@link MAX_DRAWN_LABELS}; beyond, the labels the target
 * moves or wants on come first, then those whose score moved most, shown in label order.
 */
export function labelsToDraw(
  before: readonly number[],
  after: readonly number[],
  row: Pick<LogRow, 'target' | 'start'>,
): number[] {
  const all = before.map((_, j) => j);
  if (all.length <= MAX_DRAWN_LABELS) return all;
  const wanted = (j: number) => {
    const t = row.target?.[j];
    return t === 1 || (t === 0 && row.start[j] === 1);
  };
  const moved = (j: number) => Math.abs((after[j] ?? 0) - (before[j] ?? 0));
  return all
    .sort((a, b) => Number(wanted(b)) - Number(wanted(a)) || moved(b) - moved(a) || a - b)
    .slice(0, MAX_DRAWN_LABELS)
    .sort((a, b) => a - b);
}

/** The target marker of a label: ▲ wanted on, ▼ wanted off, · don't care. */
function marker(t: 0 | 1 | null | undefined, x: number, y: number): string {
  if (t === 1)
    return `<text class="target-on" x="${x}" y="${y}" text-anchor="middle" fill="${COLOUR.on}">▲</text>`;
  if (t === 0)
    return `<text class="target-off" x="${x}" y="${y}" text-anchor="middle" fill="${COLOUR.off}">▼</text>`;
  return `<text class="target-any" x="${x}" y="${y}" text-anchor="middle" fill="#777">·</text>`;
}

/** Threshold lines: one across the plot when τ is the same for every drawn label, else one per label. */
function thresholdLines(
  taus: readonly number[],
  y: (v: number) => number,
  x0: number,
  band: number,
): string {
  const first = taus[0] ?? 0.5;
  const attrs = `class="threshold" stroke="#000" stroke-dasharray="4 3"`;
  if (taus.every((t) => t === first))
    return `<line ${attrs} data-tau="${first}" x1="${x0}" x2="${x0 + band * taus.length}" y1="${r2(y(first))}" y2="${r2(y(first))}"/>`;
  return taus
    .map(
      (t, i) =>
        `<line ${attrs} data-tau="${t}" x1="${x0 + band * i}" x2="${x0 + band * (i + 1)}" y1="${r2(y(t))}" y2="${r2(y(t))}"/>`,
    )
    .join('');
}

/**
 * An inline SVG of every label's score σ(logit) before (blue) and after (orange) the attack, with
 * the decision threshold (dashed) and the target's wish per label (▲ on, ▼ off, · don't care).
 * Label names come from the row, then `fallbackNames`, then the label's index; thresholds from the
 * row, then `fallbackThresholds` (an eval log's header), then 0.5. A row without logits (a log
 * written before they were recorded) gets a short note instead of a chart.
 */
export function scoreBars(
  row: LogRow,
  fallbackNames: readonly string[] = [],
  fallbackThresholds: readonly number[] = [],
): string {
  const { logits, adversarialLogits } = row;
  if (logits === undefined || adversarialLogits === undefined || logits.length === 0)
    return '<p class="note">No per-label scores: this row has no logits (logs from before they were recorded).</p>';
  const before = logits.map(sigmoid);
  const after = adversarialLogits.map(sigmoid);
  const drawn = labelsToDraw(before, after, row);
  const names = row.labelNames ?? fallbackNames;
  const { height: H, margin: M } = SCORE_BARS_LAYOUT;
  const band = Math.max(14, Math.min(40, 560 / drawn.length));
  const W = M.left + band * drawn.length + M.right;
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  const bar = Math.min(16, band * 0.4);
  const base = H - M.bottom;
  const bars = drawn.map((j, i) => {
    const x = M.left + band * i + band / 2;
    const name = names[j] ?? String(j);
    const rect = (cls: string, v: number, dx: number, fill: string) =>
      `<rect class="${cls}" data-label="${j}" x="${r2(x + dx)}" y="${r2(y(v))}" width="${r2(bar)}" height="${r2(base - y(v))}" fill="${fill}"><title>${esc(name)} ${cls}: ${v.toFixed(3)}</title></rect>`;
    return `${rect('before', before[j] ?? 0, -bar, COLOUR.before)}${rect('after', after[j] ?? 0, 0, COLOUR.after)}${marker(row.target?.[j], x, base + 14)}<text transform="translate(${r2(x)},${base + 22}) rotate(-60)" text-anchor="end">${esc(name)}</text>`;
  });
  const taus = drawn.map((j) => row.thresholds?.[j] ?? fallbackThresholds[j] ?? 0.5);
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<g transform="translate(${M.left},${r2(y(t))})"><line x2="-4" stroke="#333"/><text x="-6" dy="4" text-anchor="end">${t}</text></g>`,
    )
    .join('');
  const subset =
    drawn.length < before.length
      ? `, ${drawn.length} of ${before.length} labels (the target's and those that moved most)`
      : '';
  const title = `Per-label scores of ${row.name || `sample ${row.index}`} before (blue) and after (orange) the attack, threshold dashed, target ▲ on ▼ off · don't care${subset}`;
  return `<svg viewBox="0 0 ${r2(W)} ${H}" width="${r2(W)}" height="${H}" role="img" font-size="10" font-family="system-ui,sans-serif"><title>${esc(title)}</title>${ticks}<line x1="${M.left}" x2="${r2(W - M.right)}" y1="${base}" y2="${base}" stroke="#333"/>${bars.join('')}${thresholdLines(taus, y, M.left, band)}</svg>${subset === '' ? '' : `<p class="note">Showing ${drawn.length} of ${before.length} labels: the target's and those whose score moved most.</p>`}`;
}
