import { writeFileSync } from 'node:fs';
import {
  defineModel,
  type LabelVector,
  type MultiLabelModel,
  mlCwOptions,
  mlDeepFoolOptions,
  planTargets,
  predictLabels,
  type TargetPlan,
  type TargetStrategy,
  type TargetVector,
} from '@mlap/core';
import { Rng } from '@mlap/tensor';
import {
  ATTACK_INPUT_SHAPE,
  ATTACK_LABELS,
  ATTACK_WEIGHT_SHAPES,
  type AttackCnnWeights,
  attackCnn,
  attackCnnWeights,
} from './attack-cnn.js';

/** ML-CW options with every default filled in. */
export type CwOptions = ReturnType<typeof mlCwOptions.parse>;
/** ML-DeepFool options with every default filled in. */
export type DeepFoolOptions = ReturnType<typeof mlDeepFoolOptions.parse>;

/** The attack settings of the benchmark, resolved against the attacks' schemas. */
export interface AttackSettings {
  readonly mlCw: CwOptions;
  readonly mlDeepFool: DeepFoolOptions;
}

/** Everything both engines need: weights, inputs, targets and the settings `S` of the attacks. */
export interface BenchCase<S> {
  readonly seed: number;
  readonly strategy: TargetStrategy;
  readonly weights: AttackCnnWeights;
  /** N inputs [N, 16, 16, 3] (NHWC), flattened row-major. */
  readonly inputs: Float32Array;
  readonly count: number;
  /** Clean predictions of the model (on the backend that built the case). */
  readonly start: readonly LabelVector[];
  readonly targets: readonly TargetVector[];
  readonly settings: S;
}

/** The case of the ML-CW / ML-DeepFool benchmark. */
export type AttackCase = BenchCase<AttackSettings>;

/** Turns a strategy into per-sample targets, as `planTargets` (or `planRankingTargets`) does. */
export type TargetPlanner = (
  strategy: TargetStrategy,
  start: readonly LabelVector[],
  model: Pick<MultiLabelModel, 'labelNames' | 'numLabels'>,
  seed: number,
) => TargetPlan;

const PIXELS = ATTACK_INPUT_SHAPE.reduce((a, b) => a * b, 1);

/**
 * Builds the case on the current backend: seeded candidate images (uniform noise in [0, 1]),
 * the CNN calibrated on them, their clean predictions, and the seeded target strategy (through
 * `planner`, `planTargets` by default). The first `count` candidates the planner keeps are kept,
 * so every kept sample is attackable by definition of the strategy (twice as many candidates as
 * needed; throws if too few qualify). `settings` are stored as given (already resolved).
 */
export async function buildCase<S>(
  count: number,
  seed: number,
  strategy: TargetStrategy,
  settings: S,
  planner: TargetPlanner = planTargets,
): Promise<BenchCase<S>> {
  const candidates = Rng.derive(seed, 1).uniformTensor([2 * count, ...ATTACK_INPUT_SHAPE]);
  const weights = attackCnnWeights(seed, candidates);
  const cnn = attackCnn(weights);
  const labels = await predictLabels(
    defineModel({ ...caseModelShape(), scores: cnn.logits }),
    candidates,
  );
  cnn.dispose();
  const all = candidates.dataSync() as Float32Array;
  candidates.dispose();
  const plan = planner(strategy, labels, { numLabels: ATTACK_LABELS, labelNames: undefined }, seed);
  if (plan.indices.length < count) {
    throw new Error(`only ${plan.indices.length} of ${2 * count} candidates fit ${strategy.kind}`);
  }
  const kept = plan.indices.slice(0, count);
  const inputs = new Float32Array(count * PIXELS);
  kept.forEach((c, i) => {
    inputs.set(all.subarray(c * PIXELS, (c + 1) * PIXELS), i * PIXELS);
  });
  return {
    seed,
    strategy,
    weights,
    inputs,
    count,
    start: kept.map((c) => labels[c] ?? []),
    targets: plan.targets.slice(0, count),
    settings,
  };
}

/** The ML-CW / ML-DeepFool case ({@link buildCase}), its settings resolved against the schemas. */
export function buildAttackCase(
  count: number,
  seed: number,
  strategy: TargetStrategy,
  settings: { mlCw: Partial<CwOptions>; mlDeepFool: Partial<DeepFoolOptions> },
): Promise<AttackCase> {
  return buildCase(count, seed, strategy, {
    mlCw: mlCwOptions.parse(settings.mlCw),
    mlDeepFool: mlDeepFoolOptions.parse(settings.mlDeepFool),
  });
}

/** The contract fields of the benchmark model that do not depend on its weights. */
export function caseModelShape() {
  return {
    numLabels: ATTACK_LABELS,
    inputShape: [...ATTACK_INPUT_SHAPE],
    box: { lo: 0, hi: 1 },
  } as const;
}

/**
 * What the exported JSON says about its own layout (read by bench/reference/ml_attacks.py and
 * rank_attacks.py).
 */
const LAYOUT = {
  inputs: 'float32 [N, 16, 16, 3] NHWC, flattened row-major; box [lo, hi]',
  model:
    'conv1 (HWIO, stride 1, same padding) + bias1, relu, maxpool 2x2/2; conv2 likewise + bias2, ' +
    'relu, maxpool 2x2/2; flatten in NHWC order (h, w, c); dense [in, out] + bias3 -> logits [N, L]',
  decision: 'label j present when sigmoid(logit_j) >= thresholds[j] (float32)',
  start: '0/1 per label: the clean predictions the attacks start from (ranking sets, spec 5)',
  targets: '0/1 per label (no don\u2019t-care entries in this case)',
  attacks: 'mlap option names and values after defaults (spec sections 3 to 5)',
};

/** Writes the case as JSON for the PyTorch reference; float32 values round-trip exactly. */
export function writeAttackCase(attackCase: BenchCase<unknown>, file: URL): void {
  const weights = Object.fromEntries(
    (Object.keys(ATTACK_WEIGHT_SHAPES) as (keyof AttackCnnWeights)[]).map((k) => [
      k,
      { shape: ATTACK_WEIGHT_SHAPES[k], values: Array.from(attackCase.weights[k]) },
    ]),
  );
  const json = {
    format: 'mlap-attack-case/1',
    layout: LAYOUT,
    seed: attackCase.seed,
    strategy: attackCase.strategy,
    ...caseModelShape(),
    thresholds: new Array<number>(ATTACK_LABELS).fill(0.5),
    count: attackCase.count,
    inputs: Array.from(attackCase.inputs),
    start: attackCase.start,
    targets: attackCase.targets,
    weights,
    attacks: attackCase.settings,
  };
  writeFileSync(file, `${JSON.stringify(json)}\n`);
}
