import { type AttackRequest, type AttackResult, defineAttack, runAttack } from '@mlap/core';
import {
  clipToBox,
  inputGradient,
  l2Norm,
  projectL2Ball,
  projectLinfBall,
  withScope,
} from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { untargetedCriterion, untargetedObjective, untargetedTruth } from './topk-attacks.js';

/** Options of {@link universalTopK} (TkML-AP-U, spec §9). */
export const universalOptions = z.object({
  /** How many top positions the labels must leave. */
  k: z.number().int().min(1),
  /** The ball the single perturbation lives in. */
  norm: z.enum(['linf', 'l2']).default('l2'),
  /** Ball radius ε (input units); default RMS 4/255 of the box width per value (L2) or 8/255 (L∞). */
  epsilon: z.number().positive().optional(),
  /** Step size; default ε / 10. */
  stepSize: z.number().positive().optional(),
  /** Passes over the image set at most. */
  epochs: z.number().int().min(1).default(100),
  /** Stop once this fraction of the images is fooled (ξ). */
  foolingRate: z.number().gt(0).max(1).default(0.8),
  /** Confidence κ of the hinge. */
  confidence: z.number().min(0).default(0),
});

/** A universal perturbation and the verified result of applying it to every image. */
export interface UniversalResult {
  /** The one perturbation v, shape of one input; x' = clip(x + v) for every image. */
  readonly perturbation: tf.Tensor;
  /** Fraction of images fooled, verified by the model on the returned inputs. */
  readonly foolingRate: number;
  /** Per-image verified results. */
  readonly result: AttackResult;
  /** Frees the perturbation and the result. */
  dispose(): void;
}

type Options = z.output<typeof universalOptions>;

function radius(box: { lo: number; hi: number }, d: number, o: Options): number {
  if (o.epsilon !== undefined) return o.epsilon;
  const width = box.hi - box.lo;
  return o.norm === 'linf' ? (8 * width) / 255 : (4 * width * Math.sqrt(d)) / 255;
}

/**
 * TkML-AP-U (Hu et al., ICCV 2021; spec §9): one perturbation v for a whole set of images such that,
 * on as many images as possible, none of the labels marked 0 in their targets stays in the top k.
 * v is grown by projected gradient steps on the mean untargeted top-k loss of the images not yet
 * fooled, kept in an ℓ2 or ℓ∞ ball, until the fooling rate ξ is reached or the epochs run out.
 *
 * @example
 * const u = await universalTopK({ model, inputs, targets }, { k: 3, epsilon: 2 });
 * console.log(u.foolingRate); u.dispose();
 */
export async function universalTopK(
  request: AttackRequest,
  options: z.input<typeof universalOptions>,
): Promise<UniversalResult> {
  let kept: tf.Tensor | undefined;
  const attack = defineAttack({
    name: 'tkml-universal',
    requires: { gradients: true },
    options: universalOptions,
    run: (context, o) =>
      withScope(async (scope) => {
        const { model, inputs } = context;
        const n = inputs.shape[0] ?? 0;
        const d = model.inputShape.reduce((a, b) => a * b, 1);
        const eps = radius(model.box, d, o);
        const alpha = o.stepSize ?? eps / 10;
        const truth = scope.track(untargetedTruth(context, o.k));
        const objective = untargetedObjective(truth, o.k, o.confidence);
        let v = scope.track(tf.zeros([1, ...model.inputShape]));
        let epochs = 0;
        for (; epochs < o.epochs; epochs++) {
          context.checkpoint(epochs, o.epochs, n);
          const fooled = scope.run(() =>
            tf.cast(
              objective.success(model.logits(clipToBox(tf.add(inputs, v), model.box))),
              'float32',
            ),
          );
          const rate = Array.from(await fooled.data()).reduce((a, b) => a + b, 0) / Math.max(n, 1);
          if (rate >= o.foolingRate) break;
          const { value, gradient } = inputGradient((u) => {
            const adv = clipToBox(tf.add(inputs, u), model.box);
            const open = tf.sub(1, fooled); // only images not fooled yet pull on v
            return tf.reshape(
              tf.div(
                tf.sum(tf.mul(objective.loss(model.logits(adv)), open)),
                tf.maximum(tf.sum(open), 1),
              ),
              [1],
            ) as tf.Tensor1D;
          }, v);
          const next = tf.tidy(() => {
            const dir =
              o.norm === 'linf'
                ? tf.sign(gradient)
                : tf.divNoNan(
                    gradient,
                    tf.reshape(l2Norm(gradient), [1, ...model.inputShape.map(() => 1)]),
                  );
            const moved = tf.sub(v, tf.mul(dir, alpha));
            return o.norm === 'linf' ? projectLinfBall(moved, eps) : projectL2Ball(moved, eps);
          });
          tf.dispose([value, gradient, fooled]);
          v = scope.replace(v, next);
        }
        kept = scope.release(tf.reshape(v, [...model.inputShape]));
        return {
          adversarial: tf.tidy(() => clipToBox(tf.add(inputs, v), model.box)),
          iterations: new Array<number>(n).fill(epochs),
          gradientEvaluations: new Array<number>(n).fill(epochs),
        };
      }),
    criterion: untargetedCriterion,
  });
  const result = await runAttack(attack, request, options);
  const perturbation = kept as tf.Tensor;
  return {
    perturbation,
    foolingRate: result.successRate,
    result,
    dispose: () => {
      perturbation.dispose();
      result.dispose();
    },
  };
}
