import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@mlap/tensor';

/** What {@link writeToyMulan} writes. */
export interface ToyMulan {
  readonly arff: string;
  readonly xml: string;
}

/**
 * A small seeded MULAN data set in the exact upstream format (ARFF + label XML): uniform features
 * in [0, 1], label j present when feature j exceeds `threshold` — learnable, and multi-label.
 */
export function writeToyMulan(
  dir: string,
  {
    rows,
    features,
    labels,
    seed,
    threshold = 0.45,
  }: { rows: number; features: number; labels: number; seed: number; threshold?: number },
): ToyMulan {
  const rng = Rng.seeded(seed);
  const names = Array.from({ length: labels }, (_, j) => `label${j}`);
  const data = Array.from({ length: rows }, () => {
    const f = Array.from({ length: features }, () => rng.uniform());
    return [
      ...f.map((v) => v.toFixed(4)),
      ...names.map((_, j) => ((f[j] ?? 0) > threshold ? 1 : 0)),
    ].join(',');
  });
  const attributes = Array.from({ length: features }, (_, k) => `@attribute f${k} numeric`);
  const arff = join(dir, 'toy.arff');
  writeFileSync(
    arff,
    [
      '@relation toy',
      ...attributes,
      ...names.map((n) => `@attribute ${n} {0,1}`),
      '@data',
      ...data,
      '',
    ].join('\n'),
  );
  const xml = join(dir, 'toy.xml');
  writeFileSync(
    xml,
    `<?xml version="1.0" encoding="utf-8"?>\n<labels xmlns="http://mulan.sourceforge.net/labels">${names.map((n) => `<label name="${n}"></label>`).join('')}</labels>\n`,
  );
  return { arff, xml };
}

/** Fields every `--out` row carries (the interface scripts and the reproduction rely on). */
export const ROW_FIELDS = [
  'index',
  'attacked',
  'skipReason',
  'success',
  'l2',
  'linf',
  'relL2',
  'iterations',
  'start',
  'target',
  'predicted',
] as const;

/**
 * Writes `dir/eval.json`: an `mlap eval` config on the toy data of {@link writeToyMulan} and a model
 * in `dir/model`, with both random and hide-single targets on every prediction with ≥ 1 label.
 */
export function writeToyEvalConfig(
  dir: string,
  { attacks, batchSize, seed }: { attacks: unknown[]; batchSize: number; seed: number },
): string {
  const config = join(dir, 'eval.json');
  const json = {
    model: 'model/model.json',
    data: 'toy.arff',
    labels: 'toy.xml',
    attacks,
    targets: ['random', 'hide-single'],
    batchSize,
    anyPrediction: true,
    minLabels: 1,
    seed,
  };
  writeFileSync(config, JSON.stringify(json));
  return config;
}

/** The `mlap train` arguments that train an MLP on the toy data into `dir/model`. */
export function toyTrainArgs(toy: ToyMulan, dir: string, epochs: number, backend: string) {
  const { arff, xml } = toy;
  const out = join(dir, 'model');
  return [
    'train',
    '--data',
    arff,
    '--labels',
    xml,
    '--out',
    out,
    '--epochs',
    `${epochs}`,
    '--backend',
    backend,
  ];
}
