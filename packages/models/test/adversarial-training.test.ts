import { fgsm, fromLayersModel, pgd, planTargets, predictLabels, runAttack } from '@mlap/core';
import type { MultiLabelData } from '@mlap/datasets';
import { ArgumentError, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adversarialTraining, buildMlp, trainModel } from '../src/index.js';

const onCpu = process.env.MLAP_BACKEND === 'cpu';

/**
 * Robust and non-robust features (Tsipras et al. 2019), two labels. Label j has one robust
 * feature 0.5 ± 0.3 that agrees with it 90 % of the time, and `weak` features 0.5 ± η + noise
 * (η = 0.05, σ = 0.05) that agree only on average but together predict it better. An L∞
 * perturbation of ε = 0.1 > η flips every weak feature but cannot cross the robust margin 0.3,
 * so a clean model (which leans on the weak features) is easy to fool and a model trained
 * against that ε must lean on the robust one.
 */
function robustTask(count: number, weak: number, seed: number): MultiLabelData {
  const rng = Rng.seeded(seed);
  const d = 2 * (1 + weak);
  const features = new Float32Array(count * d);
  const labels = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < 2; j++) {
      const y = rng.uniform() < 0.5 ? 1 : 0;
      const s = y === 1 ? 1 : -1;
      labels[i * 2 + j] = y;
      const base = i * d + j * (1 + weak);
      features[base] = 0.5 + 0.3 * (rng.uniform() < 0.9 ? s : -s);
      for (let k = 1; k <= weak; k++)
        features[base + k] = Math.min(1, Math.max(0, 0.5 + 0.05 * s + rng.normal(0, 0.05)));
    }
  }
  return {
    features,
    labels,
    count,
    sampleShape: [d],
    labelNames: ['a', 'b'],
    range: { lo: 0, hi: 1 },
  };
}

const epsilon = 0.1;
/** A centred box, so the model needs no large bias to start from chance. */
const box = { lo: -0.5, hi: 0.5 };

/** PGD (L∞, ε, 10 steps) success rate hiding one predicted label, on held-out data. */
async function pgdSuccess(
  model: ReturnType<typeof buildMlp>,
  data: MultiLabelData,
): Promise<number> {
  const net = fromLayersModel(model, { box });
  const x = tf.tensor2d(
    data.features.map((v) => v - 0.5),
    [data.count, data.sampleShape[0] ?? 0],
  );
  const start = await predictLabels(net, x);
  const plan = planTargets({ kind: 'hideSingle' }, start, net, 3);
  const inputs = tf.gather(x, [...plan.indices]);
  const result = await runAttack(
    pgd,
    { model: net, inputs, targets: plan.targets, seed: 5 },
    { epsilon, iterations: 10 },
  );
  const rate = result.successRate;
  result.dispose();
  tf.dispose([x, inputs]);
  return rate;
}

/** Trains a linear model clean or adversarially with one seed; returns weights and robustness. */
async function train(adversarial: boolean, size: { count: number; weak: number; epochs: number }) {
  const data = robustTask(size.count, size.weak, 1);
  const model = buildMlp({ inputShape: data.sampleShape, numLabels: 2, hidden: [], seed: 2 });
  const common = { epochs: size.epochs, batchSize: 32, learningRate: 0.05, seed: 4, box };
  if (adversarial)
    await adversarialTraining(model, data, { ...common, epsilon, steps: 5, mixRatio: 1 });
  else await trainModel(model, data, common);
  const success = await pgdSuccess(model, robustTask(64, size.weak, 9));
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { success, weights };
}

const size = onCpu ? { count: 128, weak: 16, epochs: 12 } : { count: 384, weak: 16, epochs: 12 };

describe('adversarialTraining', () => {
  it(`makes a linear model more robust to PGD at the training ε than clean training (${onCpu ? 'tiny on cpu' : 'wasm'})`, async () => {
    const clean = await train(false, size);
    const robust = await train(true, size);
    expect(clean.success).toBeGreaterThan(0.8);
    expect(robust.success).toBeLessThan(clean.success - 0.4);
  });

  it('gives identical weights for the same seed', async () => {
    const tiny = { count: 64, weak: 4, epochs: 2 };
    const a = await train(true, tiny);
    const b = await train(true, tiny);
    expect(b.weights).toEqual(a.weights);
  });

  it('is clean training when the mix ratio is 0, and takes any attack and target strategy', async () => {
    const data = robustTask(64, 3, 6);
    const weightsAfter = async (
      run: (m: ReturnType<typeof buildMlp>) => Promise<unknown>,
    ): Promise<number[][]> => {
      const model = buildMlp({ inputShape: data.sampleShape, numLabels: 2, hidden: [4], seed: 7 });
      await run(model);
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    const common = { epochs: 2, batchSize: 16, box, seed: 1 };
    const clean = await weightsAfter((m) => trainModel(m, data, common));
    const unmixed = await weightsAfter((m) =>
      adversarialTraining(m, data, { ...common, mixRatio: 0 }),
    );
    expect(unmixed).toEqual(clean);
    const viaFgsm = await weightsAfter((m) =>
      adversarialTraining(m, data, {
        ...common,
        attack: fgsm,
        attackOptions: { epsilon: 0.1 },
        target: { kind: 'random' },
      }),
    );
    expect(viaFgsm).not.toEqual(clean);
  });

  it('names a bad mix ratio or ε', async () => {
    const model = buildMlp({ inputShape: [4], numLabels: 2, hidden: [], seed: 0 });
    const data = robustTask(8, 1, 0);
    await expect(adversarialTraining(model, data, { mixRatio: 1.5 })).rejects.toThrow(
      ArgumentError,
    );
    await expect(adversarialTraining(model, data, { epsilon: 0 })).rejects.toThrow(/epsilon/);
    model.dispose();
  });
});
