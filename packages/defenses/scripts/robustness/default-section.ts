/**
 * The default-model section of the robustness table: every defense × attack × target strategy
 * on the pre-trained default model and default test mosaics — clean mAP, success rate and median
 * L2 of the oblivious, plain and adaptive attacks — plus the detectors' ROC AUCs against the
 * minimum-norm attacks, the consistency-aware attacker and the high-confidence (κ > 0) attacker.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Attack,
  type LabelVector,
  type MultiLabelModel,
  mismatches,
  mlCw,
  mlDeepFool,
  planTargets,
  predictLabels,
  runAttack,
  type TargetVector,
} from '@mlap/core';
import { scaleToBox } from '@mlap/datasets';
import { loadDefaultDataset } from '@mlap/datasets/node';
import { meanAveragePrecision } from '@mlap/metrics';
import { loadDefaultModel } from '@mlap/models/node';
import * as tf from '@tensorflow/tfjs-core';
import {
  bitDepth,
  consistencyAwareMlCw,
  gaussianBlur,
  highConfidenceMlCw,
  type InputTransform,
  inconsistency,
  jpeg,
  learnCooccurrence,
  medianFilter,
  noiseInstability,
  perturbationSaliency,
  randomizedSmoothing,
  rocAuc,
  saliencyPng,
  withInputTransform,
} from '../../src/index.js';
import { adversariallyTrainedModel, defaultAdversarialBudget } from './adversarial-model.js';
import {
  type Cell,
  type DetectorRow,
  findCell,
  firstLine,
  helpsText,
  num,
  pct,
  type SectionOutput,
  show,
  summary,
  verdict,
} from './report.js';

/** Settings of the default section. */
export interface DefaultSectionOptions {
  readonly images: number;
  readonly mapImages: number;
  readonly seed: number;
  readonly out: string;
  /** Epochs of adversarial fine-tuning (0: no adversarially trained row). */
  readonly adversarialEpochs: number;
  /** Train mosaics used for adversarial fine-tuning. */
  readonly adversarialImages: number;
  readonly log: (m: string) => void;
}

/** The short CW budget of the demo (100 Adam steps × 5 constants, lr 0.1, logit margins). */
const cwBudget = {
  maxIterations: 100,
  binarySearchSteps: 5,
  learningRate: 0.1,
  space: 'logit',
} as const;

/** Confidences κ (logit margins) of the high-confidence attacker of the noise detector. */
const kappas = [1, 3, 10] as const;

interface Defense {
  readonly name: string;
  /** The defended model whose own gradients the plain attack uses (fresh per run: seeded noise). */
  readonly plain: () => MultiLabelModel;
  /** The adaptive attacker's view, or undefined when the plain attack already is the adaptive one. */
  readonly adaptive?: () => MultiLabelModel;
  /** What the plain and adaptive attacks see. */
  readonly gradients: string;
}

const strategies = [
  ['hide-single', { kind: 'hideSingle' }],
  ['random', { kind: 'random' }],
  ['extreme', { kind: 'extreme' }],
] as const;

/** Runs the default section and writes its saliency image into `out`. */
export async function defaultSection(o: DefaultSectionOptions): Promise<SectionOutput> {
  const t0 = performance.now();
  const { seed, log } = o;
  const { layers, model } = await loadDefaultModel();
  const { train, test } = await loadDefaultDataset();
  const L = model.numLabels;
  const d = test.sampleShape.reduce((a, b) => a * b, 1);
  const box = model.box;
  const smoothing = { sigma: 0.1, samples: 8, seed } as const;

  const budget = defaultAdversarialBudget(seed, o.adversarialEpochs, o.adversarialImages);
  const robust =
    o.adversarialEpochs > 0 ? await adversariallyTrainedModel(train, budget, log) : undefined;
  if (robust !== undefined)
    log(`adversarially trained model ready in ${robust.seconds.toFixed(0)} s`);

  const transform = (
    name: string,
    t: InputTransform,
    gradients: string,
    bpda: boolean,
  ): Defense => ({
    name,
    plain: () => withInputTransform(model, t, 'exact'),
    ...(bpda ? { adaptive: () => withInputTransform(model, t, 'bpda') } : {}),
    gradients,
  });
  const defenses: Defense[] = [
    { name: 'none', plain: () => model, gradients: 'exact' },
    transform('bit depth 3', bitDepth(3, box), 'plain: exact (zero a.e.); adaptive: BPDA', true),
    transform(
      'Gaussian blur σ=1',
      gaussianBlur(1),
      'exact (differentiable, so plain = adaptive)',
      false,
    ),
    transform('median 3×3', medianFilter(3), 'plain: exact (none for top-k); adaptive: BPDA', true),
    transform(
      'JPEG q=75',
      jpeg(75, box),
      'plain: exact (zero: computed off the tape); adaptive: BPDA',
      true,
    ),
    {
      name: 'randomised smoothing σ=0.1',
      plain: () => randomizedSmoothing(model, smoothing),
      gradients: 'EOT over 8 seeded noise copies (plain = adaptive)',
    },
  ];
  const robustName = `adversarially trained (PGD L∞ ε=${budget.epsilon})`;
  if (robust !== undefined)
    defenses.push({
      name: robustName,
      plain: () => robust.model,
      gradients: 'exact (a plain model: plain = adaptive)',
    });

  const attacks: [string, Attack, Record<string, unknown>][] = [
    ['ML-DeepFool', mlDeepFool as Attack, {}],
    ['ML-CW', mlCw as Attack, cwBudget],
  ];

  // ---- data: mAP images, and attackable images (correct and ≥ 2 labels under every defense) ----
  const tensorOf = (from: number, count: number) =>
    tf.tensor(scaleToBox(test.features.subarray(from * d, (from + count) * d), test.range, box), [
      count,
      ...model.inputShape,
    ]);
  const mapCount = Math.min(test.count, o.mapImages);
  const mapInputs = tensorOf(0, mapCount);
  const mapLabels = tf.tensor2d(test.labels.subarray(0, mapCount * L), [mapCount, L]);
  const truthOf = (i: number) =>
    Array.from(test.labels.subarray(i * L, (i + 1) * L)) as LabelVector;
  const same = (a: readonly number[], b: readonly number[]) => a.every((v, j) => v === b[j]);

  const cleanMap: Record<string, number> = {};
  const correctUnder: boolean[][] = [];
  for (const defense of defenses) {
    const m = defense.plain();
    const scores = tf.tidy(() => tf.sigmoid(m.logits(mapInputs)));
    cleanMap[defense.name] = meanAveragePrecision(mapLabels, scores);
    scores.dispose();
    const predicted = await predictLabels(m, mapInputs);
    correctUnder.push(predicted.map((p, i) => same(p, truthOf(i))));
  }
  const indices = [...Array(mapCount).keys()]
    .filter((i) => truthOf(i).filter((v) => v === 1).length >= 2)
    .filter((i) => correctUnder.every((c) => c[i]))
    .slice(0, o.images);
  const inputs = tf.gather(mapInputs, indices);
  const start = indices.map(truthOf);
  log(`clean mAP done; ${indices.length} attackable images (correct under every defense)`);

  // ---- attacks ----
  const cells: Cell[] = [];
  /** Adversarial inputs found on the undefended model, per attack × strategy, for transfer. */
  const undefended = new Map<string, { adversarial: tf.Tensor; l2: number[] }>();
  /** Successful adversarial label sets and inputs on the undefended model, for the detectors. */
  const detectorInputs = new Map<string, { sets: LabelVector[]; adversarial: tf.Tensor }>();

  interface Plan {
    readonly indices: readonly number[];
    readonly targets: readonly TargetVector[];
  }
  const attackCell = async (
    m: MultiLabelModel,
    attack: Attack,
    options: Record<string, unknown>,
    plan: Plan,
  ) => {
    const x = tf.gather(inputs, [...plan.indices]);
    try {
      const request = {
        model: m,
        inputs: x,
        targets: plan.targets,
        start: plan.indices.map((i) => start[i] ?? []),
        seed,
      };
      return await runAttack(attack, request, options);
    } finally {
      x.dispose();
    }
  };

  let saliencyExample: { perturbation: tf.Tensor; label: number; image: number } | undefined;
  for (const [attackName, attack, options] of attacks) {
    for (const [strategyName, strategy] of strategies) {
      const plan = planTargets(strategy, start, model, seed);
      for (const defense of defenses) {
        const base = { defense: defense.name, attack: attackName, strategy: strategyName };
        // Oblivious: the undefended model's adversarial inputs, judged by the defended model.
        const found = undefended.get(`${attackName}/${strategyName}`);
        if (found !== undefined && defense.name !== 'none') {
          const predicted = await predictLabels(defense.plain(), found.adversarial);
          const ok = predicted.map((p, k) => mismatches(plan.targets[k] ?? [], p).length === 0);
          cells.push({ ...base, variant: 'oblivious', ...summary(ok, found.l2), seconds: 0 });
        }
        const variants: ['plain' | 'adaptive', () => MultiLabelModel][] = [
          ['plain', defense.plain],
        ];
        if (defense.adaptive !== undefined) variants.push(['adaptive', defense.adaptive]);
        for (const [variant, build] of variants) {
          const s0 = performance.now();
          try {
            const result = await attackCell(build(), attack, options, plan);
            const ok = result.samples.map((s) => s.success);
            const l2 = result.samples.map((s) => s.l2);
            const seconds = (performance.now() - s0) / 1000;
            cells.push({ ...base, variant, ...summary(ok, l2), seconds });
            if (defense.name === 'none') {
              undefended.set(`${attackName}/${strategyName}`, {
                adversarial: tf.clone(result.adversarial),
                l2,
              });
              const hits = result.samples.filter((s) => s.success);
              detectorInputs.set(`${attackName}/${strategyName}`, {
                sets: hits.map((s) => s.predicted),
                adversarial: tf.gather(
                  result.adversarial,
                  hits.map((s) => s.index),
                ),
              });
              const k = ok.indexOf(true);
              if (saliencyExample === undefined && attackName === 'ML-CW' && k >= 0) {
                const target = plan.targets[k] ?? [];
                const first = start[plan.indices[k] ?? 0] ?? [];
                saliencyExample = {
                  perturbation: tf.tidy(() => tf.squeeze(tf.slice(result.perturbation, k, 1), [0])),
                  label: target.findIndex((v, j) => v !== first[j]),
                  image: indices[plan.indices[k] ?? 0] ?? 0,
                };
              }
            }
            result.dispose();
          } catch (error) {
            const seconds = (performance.now() - s0) / 1000;
            cells.push({
              ...base,
              variant,
              samples: plan.indices.length,
              successRate: null,
              medianL2: null,
              seconds,
              note: `attack failed: ${firstLine(error)}`,
            });
          }
          const last = cells[cells.length - 1];
          log(
            `${attackName} ${strategyName} ${defense.name} ${variant}: success ${last?.successRate ?? 'n/a'} in ${last?.seconds.toFixed(1)} s`,
          );
        }
      }
    }
  }

  // ---- detectors on the undefended model ----
  const trainLabels: number[][] = [];
  for (let i = 0; i < train.count; i++)
    trainLabels.push(Array.from(train.labels.subarray(i * L, (i + 1) * L)));
  const stats = learnCooccurrence(trainLabels);
  const scoresOf = async (make: () => tf.Tensor) => {
    const t = tf.tidy(make);
    const v = Array.from(await t.data());
    t.dispose();
    return v;
  };
  const hardScores = async (sets: readonly LabelVector[]) =>
    sets.length === 0
      ? []
      : scoresOf(() => inconsistency(stats, tf.tensor2d(sets as number[][], [sets.length, L])));
  const softScores = async (x: tf.Tensor) =>
    (x.shape[0] ?? 0) === 0
      ? []
      : scoresOf(() => inconsistency(stats, tf.sigmoid(model.logits(x)) as tf.Tensor2D));
  const cleanHard = await hardScores(await predictLabels(model, mapInputs));
  const cleanSoft = await softScores(mapInputs);
  const cleanNoise = await noiseInstability(model, inputs, smoothing);

  const detector: DetectorRow[] = [];
  const auc = (a: number[], b: number[]) => (b.length === 0 ? null : rocAuc(a, b));
  const detectorRow = async (
    attack: string,
    strategy: string,
    sets: LabelVector[],
    x: tf.Tensor,
  ) => ({
    attack,
    strategy,
    detected: sets.length,
    aucLabelSets: auc(cleanHard, await hardScores(sets)),
    aucProbabilities: auc(cleanSoft, await softScores(x)),
    aucNoiseInstability: auc(
      cleanNoise,
      sets.length === 0 ? [] : await noiseInstability(model, x, smoothing),
    ),
  });
  for (const [key, value] of detectorInputs) {
    const [attack = '', strategy = ''] = key.split('/');
    detector.push(await detectorRow(attack, strategy, value.sets, value.adversarial));
  }

  // Adaptive attackers of the detectors: consistency-aware ML-CW on the fixed targets and on
  // hide-single with the other labels left free (fixed targets leave it no say over the final
  // label set; free labels do); and the high-confidence ML-CW (κ > 0) against noise instability.
  const hideFree: Plan = (() => {
    const plan = planTargets({ kind: 'hideSingle' }, start, model, seed);
    return {
      indices: plan.indices,
      targets: plan.targets.map((t, k) =>
        t.map((v, j) => (v === (start[plan.indices[k] ?? 0] ?? [])[j] ? null : v)),
      ),
    };
  })();
  const adaptiveRuns: [string, Attack, Record<string, unknown>, string, Plan][] = [];
  for (const [name, strategy] of strategies)
    adaptiveRuns.push([
      'consistency-aware ML-CW (λ=1)',
      consistencyAwareMlCw(stats) as Attack,
      { ...cwBudget, detectorWeight: 1 },
      name,
      planTargets(strategy, start, model, seed),
    ]);
  adaptiveRuns.push(['ML-CW', mlCw as Attack, cwBudget, 'hide-single, others free', hideFree]);
  for (const weight of [1, 10])
    adaptiveRuns.push([
      `consistency-aware ML-CW (λ=${weight})`,
      consistencyAwareMlCw(stats) as Attack,
      { ...cwBudget, detectorWeight: weight },
      'hide-single, others free',
      hideFree,
    ]);
  for (const kappa of kappas)
    for (const [name, strategy] of strategies)
      adaptiveRuns.push([
        `high-confidence ML-CW (κ=${kappa})`,
        highConfidenceMlCw as Attack,
        { ...cwBudget, confidence: kappa },
        name,
        planTargets(strategy, start, model, seed),
      ]);
  for (const [name, attack, options, strategy, plan] of adaptiveRuns) {
    const result = await attackCell(model, attack, options, plan);
    const hits = result.samples.filter((s) => s.success);
    const x = tf.gather(
      result.adversarial,
      hits.map((s) => s.index),
    );
    const row = await detectorRow(
      name,
      strategy,
      hits.map((s) => s.predicted),
      x,
    );
    const sum = summary(
      result.samples.map((s) => s.success),
      result.samples.map((s) => s.l2),
    );
    detector.push({ ...row, successRate: sum.successRate, medianL2: sum.medianL2 });
    x.dispose();
    result.dispose();
    log(
      `${name} ${strategy}: AUC sets ${num(row.aucLabelSets)}, noise ${num(row.aucNoiseInstability)}`,
    );
  }

  // ---- saliency image ----
  let saliencyFile: string | undefined;
  if (saliencyExample !== undefined) {
    const map = perturbationSaliency(saliencyExample.perturbation);
    saliencyFile = 'robustness.saliency.png';
    await writeFile(join(o.out, saliencyFile), await saliencyPng(map, { upscale: 4 }));
    map.dispose();
    saliencyExample.perturbation.dispose();
  }

  for (const { adversarial } of undefended.values()) adversarial.dispose();
  for (const { adversarial } of detectorInputs.values()) adversarial.dispose();
  tf.dispose([mapInputs, mapLabels, inputs]);
  layers.dispose();
  robust?.layers.dispose();

  const seconds = (performance.now() - t0) / 1000;
  const json = {
    model: 'pre-trained default model (@mlap/models)',
    images: { attacked: indices, mapImages: mapCount },
    budget: {
      mlCw: cwBudget,
      mlDeepFool: 'defaults',
      smoothing,
      highConfidenceKappas: kappas,
      adversarialTraining: robust === undefined ? null : { ...budget, seconds: robust.seconds },
    },
    cleanMap,
    defenses: defenses.map((x) => ({ name: x.name, gradients: x.gradients })),
    cells,
    detector,
    saliency:
      saliencyExample === undefined
        ? null
        : { file: saliencyFile, image: saliencyExample.image, hiddenLabel: saliencyExample.label },
    seconds,
  };
  const markdown = defaultMarkdown({
    defenses,
    attacks: attacks.map(([name]) => name),
    cells,
    cleanMap,
    detector,
    images: indices.length,
    mapCount,
    trainCount: train.count,
    seconds,
    robust:
      robust === undefined ? undefined : { name: robustName, budget, seconds: robust.seconds },
    saliency: saliencyExample,
  });
  return { json, markdown };
}

interface MarkdownInput {
  readonly defenses: readonly Defense[];
  readonly attacks: readonly string[];
  readonly cells: readonly Cell[];
  readonly cleanMap: Readonly<Record<string, number>>;
  readonly detector: readonly DetectorRow[];
  readonly images: number;
  readonly mapCount: number;
  readonly trainCount: number;
  readonly seconds: number;
  readonly robust:
    | { name: string; budget: ReturnType<typeof defaultAdversarialBudget>; seconds: number }
    | undefined;
  readonly saliency: { label: number; image: number } | undefined;
}

/** The markdown of the default section. */
function defaultMarkdown(m: MarkdownInput): string[] {
  const strategyNames = strategies.map(([name]) => name);
  const b = m.robust?.budget;
  const lines: string[] = [
    '## Default model and data set',
    '',
    `Section time ${m.seconds.toFixed(0)} s. Victim: the pre-trained default model; ${m.images} attacked default test mosaics (the first whose clean prediction is ` +
      `exactly right, with ≥ 2 labels, under **every** defense, so all rows attack the same images); clean mAP on the first ${m.mapCount} test mosaics. ` +
      'ML-CW runs the short demo budget (100 Adam steps × 5 constants, lr 0.1, logit margins); ML-DeepFool its defaults. ' +
      'Each cell is *success rate / median L2 of the successful perturbations* (inputs in [0, 1], 56×56×1).',
    '',
    '- **oblivious**: the adversarial inputs found on the undefended model, judged by the defended model (the attacker ignores the defense).',
    '- **plain**: the attack run on the defended model with its own (exact) gradients.',
    '- **adaptive**: BPDA (straight-through gradients) for bit depth, median and JPEG; for Gaussian blur the exact gradient already is the adaptive one, randomised smoothing is attacked through its EOT gradient (mean over 8 seeded noise copies), and the adversarially trained model is a plain model, so there plain = adaptive.',
    '',
    'Success is always verified by running the defended model on the returned input (for smoothing: a fresh seeded noise draw).',
    '',
  ];
  if (m.robust !== undefined && b !== undefined)
    lines.push(
      `**${m.robust.name}**: the pre-trained default model fine-tuned with \`adversarialTraining\` (\`@mlap/models\`) for ${b.epochs} epoch(s) on the first ${b.trainImages} default train mosaics — ` +
        `batch ${b.batchSize}, Adam lr ${b.learningRate}, half of every batch (mix ratio ${b.mixRatio}) replaced by untargeted multi-label PGD examples (L∞ ε = ${b.epsilon}, ${b.steps} steps, every label pushed to flip), seed ${b.seed}; ${m.robust.seconds.toFixed(0)} s of training. ` +
        'A small budget: a longer schedule (or training from scratch) may well give a more robust model.',
      '',
    );
  lines.push(
    '### Clean mAP',
    '',
    '| defense | clean mAP | gradients the attacks see |',
    '|---|---:|---|',
    ...m.defenses.map((x) => `| ${x.name} | ${num(m.cleanMap[x.name], 4)} | ${x.gradients} |`),
    '',
  );
  for (const attackName of m.attacks) {
    lines.push(
      `### ${attackName}`,
      '',
      '| defense | strategy | oblivious | plain | adaptive |',
      '|---|---|---|---|---|',
    );
    for (const defense of m.defenses)
      for (const strategyName of strategyNames) {
        const plain = findCell(m.cells, defense.name, attackName, strategyName, 'plain');
        const adaptive =
          defense.adaptive === undefined
            ? plain
            : findCell(m.cells, defense.name, attackName, strategyName, 'adaptive');
        const oblivious =
          defense.name === 'none'
            ? '—'
            : show(findCell(m.cells, defense.name, attackName, strategyName, 'oblivious'));
        const same = defense.adaptive === undefined && defense.name !== 'none' ? ' (= plain)' : '';
        lines.push(
          `| ${defense.name} | ${strategyName} | ${oblivious} | ${show(plain)} | ${show(adaptive)}${same} |`,
        );
      }
    lines.push('');
  }

  lines.push('### Verdicts (adaptive attacker vs. the undefended model)', '');
  for (const defense of m.defenses.slice(1)) {
    const v = verdict(m.cells, defense, m.attacks, strategyNames);
    const mapDrop = (m.cleanMap.none ?? 0) - (m.cleanMap[defense.name] ?? 0);
    const map = `clean mAP ${num(m.cleanMap[defense.name], 4)} (${mapDrop >= 0 ? '−' : '+'}${num(Math.abs(mapDrop), 4)})`;
    lines.push(
      v.measured
        ? `- **${defense.name}** — ${helpsText(v.helps)}; ${map}. ${v.parts.join('; ')}.`
        : `- **${defense.name}** — not attacked adaptively in this run; ${map}. The oblivious column is no evidence of robustness.`,
    );
  }
  lines.push(
    '',
    'Oblivious attacks are not evidence of robustness: where a defense only stops the oblivious or plain attack, the adaptive column is the one to believe. The short CW budget favours the defenses (a longer search only helps the attacker).',
    '',
    '### Detectors (undefended model)',
    '',
    `Label-consistency detector: pairwise joint label statistics learned on the default train split (${m.trainCount} label sets); score = inconsistency of the predicted label set (*label sets*) or of the predicted probabilities (*probabilities*). Noise instability: fraction of 8 noisy copies (σ = 0.1) whose label set differs. ` +
      `Clean scores: the first ${m.mapCount} test mosaics (label sets, probabilities) and the ${m.images} attacked images (noise instability); attacked scores: the successful adversarial inputs. AUC 0.5 = chance, 1 = perfect.`,
    '',
    '| attack | strategy | successes | AUC label sets | AUC probabilities | AUC noise instability | success / median L2 |',
    '|---|---|---:|---:|---:|---:|---|',
    ...m.detector.map(
      (r) =>
        `| ${r.attack} | ${r.strategy} | ${r.detected} | ${num(r.aucLabelSets)} | ${num(r.aucProbabilities)} | ${num(r.aucNoiseInstability)} | ${r.successRate === undefined ? '' : `${pct(r.successRate)} / ${num(r.medianL2)}`} |`,
    ),
    '',
    "With fully specified targets (hide-single, random, extreme) a successful attack's label set *is* the target, so the label-set AUC depends only on the strategy and the consistency-aware attack cannot change it; it can only lower the probability-based score. With the other labels left free it can choose a label set the detector accepts.",
    '',
    ...noiseVerdict(m.detector),
    '',
  );
  if (m.saliency !== undefined)
    lines.push(
      '### Where the perturbation goes',
      '',
      `![saliency](robustness.saliency.png) — per-pixel |r| of the ML-CW hide-single perturbation on test mosaic ${m.saliency.image} (hidden label ${m.saliency.label}), white = largest.`,
      '',
    );
  return lines;
}

/** What the κ rows say about the noise-instability detector, in plain words. */
function noiseVerdict(detector: readonly DetectorRow[]): string[] {
  const rows = detector.filter((r) => r.attack.startsWith('high-confidence'));
  if (rows.length === 0) return [];
  const worst = rows.reduce<DetectorRow | undefined>(
    (w, r) =>
      r.aucNoiseInstability !== null &&
      (w === undefined || r.aucNoiseInstability < (w.aucNoiseInstability ?? 1))
        ? r
        : w,
    undefined,
  );
  return [
    'The noise-instability AUCs of ML-DeepFool and ML-CW (κ = 0) hold only against minimum-norm attackers, whose outputs sit on the decision boundary. ' +
      'The high-confidence ML-CW rows are its adaptive attacker: it keeps going until every target label is κ logits past the threshold, so noise no longer flips the label set. ' +
      (worst === undefined
        ? ''
        : `Lowest AUC: ${num(worst.aucNoiseInstability)} (${worst.attack}, ${worst.strategy}, success ${pct(worst.successRate)}, median L2 ${num(worst.medianL2)}).`),
  ];
}
