import { batchedJacobian, clipToBox, l2Norm, linfNorm, Rng, rmsd, withScope } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { ToyModel } from './toy-model.js';

/** Outcome for one image of {@link hideTopLabel}. */
export interface HideResult {
  /** Index of the label the attack hid. */
  readonly label: number;
  /** Its probability before and after. */
  readonly before: number;
  readonly after: number;
  /** Whether the label is absent (p < 0.5) on the returned image, re-checked by the model. */
  readonly success: boolean;
  /** Other labels whose decision changed (collateral). */
  readonly collateral: number;
  /** Linearised steps taken. */
  readonly iterations: number;
  readonly l2: number;
  readonly linf: number;
  readonly rmsd: number;
}

/** Options of {@link hideTopLabel}. */
export interface HideOptions {
  readonly images: number;
  readonly seed: number;
  readonly maxIterations?: number;
  /** Overshoot past the threshold, in logits. */
  readonly overshoot?: number;
}

/**
 * Hides each image's most confident label with repeated minimum-norm linearised steps
 * (DeepFool for one label): r = −(g_j + η)·∇g_j / ‖∇g_j‖², clipped to the box. Built from the
 * foundation alone (batched Jacobian, norms, box, seeded inputs) as a preview of ML-DeepFool.
 */
export async function hideTopLabel(model: ToyModel, options: HideOptions): Promise<HideResult[]> {
  const { images, seed, maxIterations = 20, overshoot = 0.02 } = options;
  return withScope(async (scope) => {
    const x = scope.track(Rng.seeded(seed).uniformTensor([images, ...model.inputShape]));
    const clean = scope.run(() => model.scores(x));
    const target = scope.run(() => tf.argMax(clean, 1));
    const pick = scope.run(() => tf.oneHot(target, model.labels.length));
    let adv = scope.track(x.clone());
    const iterations = new Array<number>(images).fill(0);
    for (let it = 0; it < maxIterations; it++) {
      const active = scope.run(() =>
        tf.greaterEqual(tf.sum(tf.mul(model.scores(adv), pick), 1), 0),
      );
      const flags = await active.data();
      if (!flags.some(Boolean)) break;
      flags.forEach((f, i) => {
        if (f) iterations[i] = it + 1;
      });
      const next = tf.tidy(() => {
        const { scores, jacobian } = batchedJacobian(model.scores, adv);
        const g = tf.sum(tf.mul(scores, pick), 1); // [N]
        const grad = tf.sum(tf.mul(jacobian, tf.reshape(pick, [images, -1, 1, 1, 1])), 1);
        const sq = tf.sum(tf.square(tf.reshape(grad, [images, -1])), 1);
        const scale = tf.neg(tf.divNoNan(tf.add(g, overshoot), sq));
        const step = tf.mul(
          grad,
          tf.reshape(tf.mul(scale, tf.cast(active, 'float32')), [-1, 1, 1, 1]),
        );
        return clipToBox(tf.add(adv, step), model.box);
      });
      adv = scope.replace(adv, next);
    }
    return summarise(model, x, adv, clean, target, iterations);
  });
}

/** Downloads a tensor as nested arrays and disposes it. */
async function take<T>(t: tf.Tensor): Promise<T> {
  const values = (await t.array()) as T;
  t.dispose();
  return values;
}

/** Re-runs the model on the returned images: success is checked, never trusted from the loop. */
async function summarise(
  model: ToyModel,
  x: tf.Tensor,
  adv: tf.Tensor,
  clean: tf.Tensor2D,
  target: tf.Tensor,
  iterations: readonly number[],
): Promise<HideResult[]> {
  const r = tf.sub(adv, x);
  const [p0, p1, labels, l2, linf, dev] = await Promise.all([
    take<number[][]>(tf.sigmoid(clean)),
    take<number[][]>(tf.tidy(() => tf.sigmoid(model.scores(adv)))),
    take<number[]>(target.clone()),
    take<number[]>(l2Norm(r)),
    take<number[]>(linfNorm(r)),
    take<number[]>(rmsd(r, model.box)),
  ]);
  r.dispose();
  return iterations.map((iters, i) => {
    const label = labels[i] ?? 0;
    const before = p0[i] ?? [];
    const after = p1[i] ?? [];
    const flipped = before.filter((p, j) => j !== label && p >= 0.5 !== (after[j] ?? 0) >= 0.5);
    const afterLabel = after[label] ?? 1;
    return {
      label,
      before: before[label] ?? 0,
      after: afterLabel,
      success: afterLabel < 0.5,
      collateral: flipped.length,
      iterations: iters,
      l2: l2[i] ?? 0,
      linf: linf[i] ?? 0,
      rmsd: dev[i] ?? 0,
    };
  });
}
