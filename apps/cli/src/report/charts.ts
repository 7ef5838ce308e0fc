import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { GroupStats } from './group-stats.js';

const W = 640;
const H = 300;
const M = { top: 16, right: 170, bottom: 40, left: 52 };
/** Colour-blind-safe palette (Okabe–Ito). */
const COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function axes(
  x: ReturnType<typeof scaleLinear>,
  y: ReturnType<typeof scaleLinear>,
  xLabel: string,
  yLabel: string,
  yFormat: (v: number) => string,
): string {
  const xt = x
    .ticks(6)
    .map(
      (t) =>
        `<g transform="translate(${x(t)},${H - M.bottom})"><line y2="5" stroke="#333"/><text y="18" text-anchor="middle">${t}</text></g>`,
    );
  const yt = y
    .ticks(5)
    .map(
      (t) =>
        `<g transform="translate(${M.left},${y(t)})"><line x2="-5" stroke="#333"/><line x2="${W - M.left - M.right}" stroke="#ddd"/><text x="-8" dy="4" text-anchor="end">${yFormat(t)}</text></g>`,
    );
  return `${yt.join('')}${xt.join('')}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>
<text x="${(M.left + W - M.right) / 2}" y="${H - 4}" text-anchor="middle">${esc(xLabel)}</text><text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
}

function legend(groups: readonly GroupStats[]): string {
  return groups
    .map(
      (g, i) =>
        `<g transform="translate(${W - M.right + 12},${M.top + 16 * i})"><rect width="12" height="3" y="-4" fill="${COLOURS[i % COLOURS.length]}"/><text x="18" dy="0">${esc(g.name)}</text></g>`,
    )
    .join('');
}

/**
 * Success rate against the perturbation budget: for each L2 budget ε, the fraction of attacked
 * samples that succeeded with ‖r‖₂ ≤ ε (a step curve per job), as an inline SVG.
 */
export function successVsBudget(groups: readonly GroupStats[]): string {
  const maxL2 = Math.max(1e-9, ...groups.flatMap((g) => g.successL2));
  const x = scaleLinear()
    .domain([0, maxL2])
    .nice()
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  const paths = groups.map((g, i) => {
    const points: [number, number][] = [[0, 0]];
    g.successL2.forEach((l2, k) => {
      points.push([l2, k / Math.max(1, g.attacked)], [l2, (k + 1) / Math.max(1, g.attacked)]);
    });
    points.push([x.domain()[1] ?? maxL2, g.successRate]);
    const d =
      line<[number, number]>()
        .x((p) => x(p[0]))
        .y((p) => y(p[1]))(points) ?? '';
    return `<path d="${d}" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"/>`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="success rate against L2 budget" font-size="11" font-family="system-ui,sans-serif">${axes(x, y, 'L2 budget ε', 'success rate', (v) => `${Math.round(v * 100)}%`)}${paths.join('')}${legend(groups)}</svg>`;
}

/** Distribution of ‖r‖₂ over successful samples: a box (quartiles) and whiskers (min–max) per job. */
export function l2Distribution(groups: readonly GroupStats[]): string {
  const maxL2 = Math.max(1e-9, ...groups.flatMap((g) => g.successL2));
  const x = scaleLinear()
    .domain([0, maxL2])
    .nice()
    .range([M.left, W - M.right]);
  const band = (H - M.top - M.bottom) / Math.max(1, groups.length);
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  const q = (s: readonly number[], p: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))] ?? 0;
  const boxes = groups.map((g, i) => {
    const s = g.successL2;
    const cy = M.top + band * (i + 0.5);
    const c = COLOURS[i % COLOURS.length];
    if (s.length === 0)
      return `<text x="${M.left + 4}" y="${cy + 4}" fill="${c}">no success</text>`;
    const [lo, q1, med, q3, hi] = [q(s, 0), q(s, 0.25), q(s, 0.5), q(s, 0.75), q(s, 1)];
    const h = Math.min(18, band * 0.6);
    return `<g stroke="${c}" fill="none" stroke-width="1.5"><line x1="${x(lo)}" x2="${x(hi)}" y1="${cy}" y2="${cy}"/><rect x="${x(q1)}" y="${cy - h / 2}" width="${Math.max(1, x(q3) - x(q1))}" height="${h}" fill="${c}" fill-opacity="0.15"/><line x1="${x(med)}" x2="${x(med)}" y1="${cy - h / 2}" y2="${cy + h / 2}" stroke-width="3"/></g>`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="L2 distribution of successful samples" font-size="11" font-family="system-ui,sans-serif">${axes(x, y, '‖r‖₂ of successful samples', '', () => '')}${boxes.join('')}${legend(groups)}</svg>`;
}
