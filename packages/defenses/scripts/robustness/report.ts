/**
 * What the robustness sections share: the cell and detector-row records, how a run is
 * summarised, and how numbers are printed in the markdown.
 */
import { median } from '@mlap/metrics';

/** One defense × attack × strategy × variant measurement. */
export interface Cell {
  readonly defense: string;
  readonly attack: string;
  readonly strategy: string;
  readonly variant: 'oblivious' | 'plain' | 'adaptive';
  readonly samples: number;
  readonly successRate: number | null;
  readonly medianL2: number | null;
  readonly seconds: number;
  readonly note?: string;
}

/** Detector AUCs against one attack × strategy (and the attack's own success, when it is new). */
export interface DetectorRow {
  readonly attack: string;
  readonly strategy: string;
  readonly detected: number;
  readonly aucLabelSets: number | null;
  readonly aucProbabilities: number | null;
  readonly aucNoiseInstability: number | null;
  readonly successRate?: number | null;
  readonly medianL2?: number | null;
}

/** A section's results: its JSON record and its markdown lines. */
export interface SectionOutput {
  readonly json: Record<string, unknown>;
  readonly markdown: string[];
}

/** Success rate and the median L2 of the successful samples. */
export function summary(success: readonly boolean[], l2: readonly number[]) {
  const hit = l2.filter((_, k) => success[k]);
  return {
    samples: success.length,
    successRate: success.length === 0 ? null : success.filter(Boolean).length / success.length,
    medianL2: hit.length === 0 ? null : median(hit),
  };
}

/** A rate as a whole percentage, or a dash. */
export const pct = (v: number | null | undefined) => (v == null ? '—' : `${Math.round(v * 100)} %`);

/** A number with fixed digits, or a dash. */
export const num = (v: number | null | undefined, digits = 2) =>
  v == null ? '—' : v.toFixed(digits);

/** The cell with these keys, if it was run. */
export function findCell(
  cells: readonly Cell[],
  defense: string,
  attack: string,
  strategy: string,
  variant: Cell['variant'],
): Cell | undefined {
  return cells.find(
    (c) =>
      c.defense === defense &&
      c.attack === attack &&
      c.strategy === strategy &&
      c.variant === variant,
  );
}

/** A cell as "success / median L2" (or why there is none). */
export function show(c: Cell | undefined, digits = 2): string {
  if (c === undefined) return 'not run';
  if (c.successRate === null) return 'n/a (no gradient)';
  return `${pct(c.successRate)} / ${num(c.medianL2, digits)}`;
}

/** An error's first line, for a cell's note. */
export function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** The verdict on one defense from its adaptive cells against the undefended ones. */
export function verdict(
  cells: readonly Cell[],
  defense: { name: string; adaptive?: unknown },
  attacks: readonly string[],
  strategies: readonly string[],
  digits = 2,
): { measured: boolean; helps: boolean; parts: string[] } {
  const parts: string[] = [];
  let helps = false;
  let measured = false;
  for (const attack of attacks)
    for (const strategy of strategies) {
      const none = findCell(cells, 'none', attack, strategy, 'plain');
      const variant = defense.adaptive === undefined ? 'plain' : 'adaptive';
      const adaptive = findCell(cells, defense.name, attack, strategy, variant);
      if (none?.successRate == null || adaptive?.successRate == null) continue;
      measured = true;
      const drop = none.successRate - adaptive.successRate;
      const ratio = none.medianL2 && adaptive.medianL2 ? adaptive.medianL2 / none.medianL2 : null;
      if (drop >= 0.25 || (ratio !== null && ratio >= 2)) helps = true;
      parts.push(
        `${attack} ${strategy}: ${pct(adaptive.successRate)} (undefended ${pct(none.successRate)}), L2 ×${num(ratio, digits)}`,
      );
    }
  return { measured, helps, parts };
}

/** The sentence a verdict starts with. */
export const helpsText = (helps: boolean) =>
  helps
    ? 'raises the cost of some adaptive attacks (success down ≥ 25 points or median L2 ≥ 2×)'
    : '**does not help**: the adaptive attacker succeeds about as often with about the same L2';
