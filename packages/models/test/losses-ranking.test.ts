import { readFileSync } from 'node:fs';
import type { MultiLabelData } from '@mlap/datasets';
import { ArgumentError, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  buildMlp,
  type LossFunction,
  type LossName,
  lossFunction,
  lsep,
  trainModel,
  warp,
} from '../src/index.js';

/** One PyTorch reference case (see scripts/loss-fixtures/generate.py). */
interface LossCase {
  readonly name: string;
  readonly labels: number[][];
  readonly logits: number[][];
  readonly lsep: { readonly value: number; readonly grad: number[][] };
  readonly warp: { readonly value: number; readonly grad: number[][] };
}

const cases = (
  JSON.parse(
    readFileSync(new URL('./fixtures/ranking-losses.generated.json', import.meta.url), 'utf8'),
  ) as { cases: LossCase[] }
).cases;

/** |actual − expected| ≤ 1e-5, relative once |expected| > 1 (float32 holds ~7 digits). */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] as number;
    expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(
      1e-5 * Math.max(1, Math.abs(e)),
    );
  });
}

/** Label j is on when feature j exceeds 0.5: a ranking a linear model can learn. */
function toyData(count: number): MultiLabelData {
  const rng = Rng.seeded(3);
  const features = new Float32Array(count * 4).map(() => rng.uniform());
  const labels = new Uint8Array(count * 3).map((_, k) => {
    const [i, j] = [Math.floor(k / 3), k % 3];
    return (features[i * 4 + j] as number) > 0.5 ? 1 : 0;
  });
  return {
    features,
    labels,
    count,
    sampleShape: [4],
    labelNames: ['a', 'b', 'c'],
    range: { lo: 0, hi: 1 },
  };
}

function check(loss: LossFunction, c: LossCase, expected: LossCase['lsep']): void {
  const labels = tf.tensor2d(c.labels);
  const logits = tf.tensor2d(c.logits);
  const { value, grad } = tf.tidy(() =>
    tf.valueAndGrad((s: tf.Tensor) => loss(labels, s as tf.Tensor2D))(logits),
  );
  expectClose(value.dataSync(), [expected.value], `${c.name} value`);
  expectClose(grad.dataSync(), expected.grad.flat(), `${c.name} gradient`);
  tf.dispose([labels, logits, value, grad]);
}

describe('ranking losses against PyTorch', () => {
  it.each(cases.map((c) => [c.name, c] as const))('LSEP on %s: value and gradient', (_, c) =>
    check(lsep, c, c.lsep),
  );
  it.each(cases.map((c) => [c.name, c] as const))('WARP on %s: value and gradient', (_, c) =>
    check(warp, c, c.warp),
  );
});

describe('lossFunction', () => {
  it('maps the new names and rejects an unknown one with an ArgumentError naming loss', () => {
    expect(lossFunction('lsep')).toBe(lsep);
    expect(lossFunction('warp')).toBe(warp);
    let caught: unknown;
    try {
      lossFunction('hinge' as LossName);
    } catch (error) {
      caught = error;
    }
    expect(ArgumentError.isInstance(caught)).toBe(true);
    expect((caught as ArgumentError).argument).toBe('loss');
  });

  it.each(['lsep', 'warp'] as const)(
    '%s trains a linear model on a rankable toy task',
    async (loss) => {
      const model = buildMlp({ inputShape: [4], numLabels: 3, hidden: [], seed: 1 });
      try {
        const history = await trainModel(model, toyData(64), {
          loss,
          epochs: 15,
          batchSize: 32,
          learningRate: 0.05,
          seed: 0,
        });
        const losses = history.epochs.map((e) => e.loss);
        expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.5);
      } finally {
        model.dispose();
      }
    },
  );
});
