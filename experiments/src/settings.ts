import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Experiment, REPO_ROOT } from './experiment-list.js';

/** An eval config as the page describes it (the fields `mlap eval` reads). */
interface ConfigView {
  readonly model: string;
  readonly data: string;
  readonly attacks: readonly (string | { name: string; options?: Record<string, unknown> })[];
  readonly targets: readonly string[];
  readonly seed?: number;
  readonly limit?: number;
  readonly batchSize?: number;
  readonly anyPrediction?: boolean;
  readonly minLabels?: number;
}

/** Why an experiment departs from the spec's defaults (spec §3, §5, §7). */
const DEPARTURES: Readonly<Record<string, readonly string[]>> = {
  default: [
    "ML-CW, Rank I and Rank II run 100 Adam steps × 5 constants (spec: 1000 × 10) with learning rate 0.1 (spec: 0.01), the budget of `mlap demo`: most mosaic pixels sit exactly on the box edge 0, where the tanh change of variables makes them slow to move, and the short run must still move them. ML-CW uses `space: 'logit'`: the default CNN is confident, and the probability-space margin (spec default) vanishes on saturated sigmoids, so the optimiser stalls.",
    'The first 80 test mosaics are read (about half pass the filter), to keep the whole regeneration within its time budget.',
  ],
  yeast: [
    "Every method runs at the spec's defaults (ML-CW with probability margins, 1000 Adam steps × 10 constants, learning rate 0.01). A cut budget was measured first: with 200 steps × 5 constants, ML-CW in probability space fails every `extreme` target on yeast (the probability margin barely moves saturated sigmoids), so the budget is not cut here.",
  ],
  scene: [
    'Spec defaults, as for yeast. scene is nearly single-label (cardinality 1.07): few test samples have ≥ 2 labels and a correct clean prediction, so few are attacked.',
  ],
  centernet: [
    'No ground truth for the photos: any clean prediction is attacked (`anyPrediction`), with ≥ 1 label (`minLabels: 1`) — at τ = 0.5 only one photo has a label (astronaut.png: person). An input gradient of CenterNet costs 1.3–2.2 s on wasm, so the budgets are tiny: ML-CW, Rank I and Rank II take 10 Adam steps with one constant, c = 255² = 65025 (the loss term ‖r‖₂² is in pixel units on the 0–255 box, 255² times its value on a [0, 1] box, where the spec’s c₀ = 1 applies) and no early abort (with 10 steps it checks every step, and stopped every run after 2 steps); ML-DeepFool takes at most 2 steps, each differentiating the labels its step needs (all 80 under `extreme`, where one step costs minutes). ML-CW uses logits, as the browser demo does: probability margins of a real detector saturate. The named add/remove strategies are left out here for the same budget.',
  ],
};

function attackLine(a: ConfigView['attacks'][number]): string {
  if (typeof a === 'string') return `\`${a}\` (spec defaults)`;
  const options = Object.entries(a.options ?? {});
  return options.length === 0
    ? `\`${a.name}\` (spec defaults)`
    : `\`${a.name}\` (${options.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')})`;
}

function experimentSettings(e: Experiment): string[] {
  const path = join(REPO_ROOT, e.config);
  if (!existsSync(path)) return [`- **${e.name}**: config \`${e.config}\` missing.`];
  const c = JSON.parse(readFileSync(path, 'utf8')) as ConfigView;
  // Config paths are relative to the config; the page shows them relative to the repository.
  const shown = (p: string) =>
    p === 'default' ? p : relative(REPO_ROOT, resolve(dirname(path), p));
  const filter = c.anyPrediction
    ? `any clean prediction with ≥ ${c.minLabels ?? 2} label(s)`
    : `clean prediction exactly correct, ≥ ${c.minLabels ?? 2} labels`;
  return [
    `- **${e.name}** — \`${e.config}\`: model \`${shown(c.model)}\`, data \`${shown(c.data)}\`` +
      `${c.limit === undefined ? '' : ` (first ${c.limit} samples)`}; attacked: ${filter}; ` +
      `seed ${c.seed ?? 0}, batches of ${c.batchSize ?? 16}.`,
    `  Targets: ${c.targets.map((t) => `\`${t}\``).join(', ')}.`,
    `  Attacks: ${c.attacks.map(attackLine).join('; ')}.`,
    ...(DEPARTURES[e.name] ?? []).map((d) => `  ${d}`),
  ];
}

/** The protocol and the settings of every experiment, read from the configs. */
export function settingsSection(experiments: readonly Experiment[]): string[] {
  return [
    '## Protocol and settings',
    '',
    'Spec §7: only samples whose clean prediction is exactly the ground truth and that have at ' +
      'least two present labels are attacked; every other sample is logged as skipped with its ' +
      'reason. Targets follow spec §2 (seeded); a ranking target with k = 0 or k = L (e.g. ' +
      '`hide-all` for Rank I / II) is inapplicable and skipped. Success is re-checked by running ' +
      'the model on every returned input. Everything runs on the tfjs **wasm** backend in Node ' +
      "(`pnpm experiments`); the spec's defaults apply except where noted.",
    '',
    ...experiments.flatMap(experimentSettings),
    '',
    'Regenerate: `pnpm experiments` runs (or resumes, `mlap eval --resume`) every experiment, then ' +
      'rebuilds this page from the logs alone; `pnpm experiments --report-only` only rebuilds the ' +
      'page; `--fresh` reruns from scratch (needed after a config change: a resumed log keeps its ' +
      'rows); `--only yeast,scene` runs some experiments. The yeast, scene and CenterNet ' +
      'experiments need `../shared/` (real data outside the repository) and are skipped without it.',
    '',
  ];
}
