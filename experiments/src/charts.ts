import { scaleBand, scaleLinear } from 'd3-scale';
import type { CellStats } from './cell-stats.js';

const W = 720;
const H = 300;
const M = { top: 16, right: 130, bottom: 64, left: 56 };
/** Colour-blind-safe palette (Okabe–Ito), one colour per method. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9'];

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const unique = (xs: readonly string[]) => [...new Set(xs)];

function svg(label: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}" font-size="11" font-family="system-ui,sans-serif">${body}</svg>\n`;
}

function legend(methods: readonly string[]): string {
  return methods
    .map(
      (m, i) =>
        `<g transform="translate(${W - M.right + 12},${M.top + 16 * i})"><rect width="10" height="10" y="-9" fill="${COLOURS[i % COLOURS.length]}"/><text x="16">${esc(m)}</text></g>`,
    )
    .join('');
}

function yAxis(y: ReturnType<typeof scaleLinear>, label: string, format: (v: number) => string) {
  const ticks = y
    .ticks(5)
    .map(
      (t) =>
        `<g transform="translate(${M.left},${y(t)})"><line x2="-5" stroke="#333"/><line x2="${W - M.left - M.right}" stroke="#ddd"/><text x="-8" dy="4" text-anchor="end">${format(t)}</text></g>`,
    );
  return `${ticks.join('')}<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(label)}</text>`;
}

function xAxis(x: ReturnType<typeof scaleBand<string>>): string {
  const ticks = x
    .domain()
    .map(
      (s) =>
        `<text transform="translate(${(x(s) ?? 0) + x.bandwidth() / 2},${H - M.bottom + 14}) rotate(20)" text-anchor="start">${esc(s)}</text>`,
    );
  return `${ticks.join('')}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`;
}

/** The x axis of a chart: one band per target strategy, split into one band per method. */
function strategyBands(cells: readonly CellStats[], innerPadding: number) {
  const methods = unique(cells.map((c) => c.attack));
  const x = scaleBand<string>()
    .domain(unique(cells.map((c) => c.strategy)))
    .range([M.left, W - M.right])
    .padding(0.2);
  const inner = scaleBand<string>().domain(methods).range([0, x.bandwidth()]).padding(innerPadding);
  return { methods, x, inner };
}

/** Grouped bars: success rate per target strategy (x) and method (colour), one dataset. */
export function successByStrategy(cells: readonly CellStats[]): string {
  const { methods, x, inner } = strategyBands(cells, 0.05);
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  const bars = cells
    .filter((c) => c.attacked > 0)
    .map((c) => {
      const left = (x(c.strategy) ?? 0) + (inner(c.attack) ?? 0);
      const top = y(c.successRate);
      const colour = COLOURS[methods.indexOf(c.attack) % COLOURS.length];
      return `<rect x="${left}" y="${top}" width="${inner.bandwidth()}" height="${H - M.bottom - top}" fill="${colour}"><title>${esc(`${c.attack} / ${c.strategy}: ${(100 * c.successRate).toFixed(1)}% of ${c.attacked}`)}</title></rect>`;
    });
  const body = `${yAxis(y, 'success rate', (v) => `${Math.round(v * 100)}%`)}${bars.join('')}${xAxis(x)}${legend(methods)}`;
  return svg('success rate by target strategy and method', body);
}

/**
 * ‖r‖₂ of successful samples per target strategy and method: a box (quartiles), whiskers
 * (min–max) and a thick median tick, on a linear scale.
 */
export function l2ByStrategy(cells: readonly CellStats[]): string {
  const { methods, x, inner } = strategyBands(cells, 0.2);
  const top = Math.max(1e-9, ...cells.flatMap((c) => c.successL2));
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([H - M.bottom, M.top]);
  const q = (s: readonly number[], p: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))] ?? 0;
  const boxes = cells
    .filter((c) => c.successL2.length > 0)
    .map((c) => {
      const s = c.successL2;
      const cx = (x(c.strategy) ?? 0) + (inner(c.attack) ?? 0) + inner.bandwidth() / 2;
      const w = inner.bandwidth();
      const colour = COLOURS[methods.indexOf(c.attack) % COLOURS.length];
      const [lo, q1, med, q3, hi] = [0, 0.25, 0.5, 0.75, 1].map((p) => y(q(s, p)));
      return `<g stroke="${colour}" fill="none" stroke-width="1.5"><line x1="${cx}" x2="${cx}" y1="${lo}" y2="${hi}"/><rect x="${cx - w / 2}" y="${q3}" width="${w}" height="${Math.max(1, (q1 ?? 0) - (q3 ?? 0))}" fill="${colour}" fill-opacity="0.2"/><line x1="${cx - w / 2}" x2="${cx + w / 2}" y1="${med}" y2="${med}" stroke-width="3"/><title>${esc(`${c.attack} / ${c.strategy}: median ${c.medianL2.toPrecision(3)} over ${s.length}`)}</title></g>`;
    });
  const body = `${yAxis(y, '‖r‖₂ of successful samples', (v) => String(v))}${boxes.join('')}${xAxis(x)}${legend(methods)}`;
  return svg('L2 of successful samples by target strategy and method', body);
}
