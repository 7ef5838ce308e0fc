import { setupBackend } from '@mlap/backend';
import { type Attack, mlCw, mlDeepFool, planTargets, runAttack } from '@mlap/core';
import { batchedJacobian, inputGradient } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadDemoSetup } from '../demo/demo-data.js';
import { demoCwBudget } from '../demo/run-demo.js';
import {
  backendSetup,
  type CommonOptions,
  integerOption,
  type Output,
  withBackendOptions,
} from '../options.js';

interface BenchOptions extends CommonOptions {
  readonly images: number;
  readonly runs: number;
}

/** Median wall time of `runs` runs of `work` (after one warm-up), in ms. */
async function median(runs: number, work: () => Promise<void>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Runs a tensor-returning step and waits for its values (the backend may be asynchronous). */
const settle = async (make: () => tf.Tensor) => {
  const t = tf.tidy(make);
  await t.data();
  t.dispose();
};

/** `mlap bench`: how fast this machine and backend run mlap's hot paths on the default model. */
export function registerBench(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('bench')
      .description(
        'time the default model: forward, input gradient, full Jacobian, ML-DeepFool and ML-CW, on this backend',
      )
      .option('--images <n>', 'batch size', integerOption('--images', 1, 256), 16)
      .option(
        '--runs <n>',
        'timed runs per workload (median reported)',
        integerOption('--runs', 1, 100),
        3,
      ),
  ).action(async (o: BenchOptions) => {
    const info = await setupBackend(backendSetup(o));
    out.log(pc.dim(info.summary));
    const setup = await loadDemoSetup(o.images);
    try {
      const { model, inputs } = setup;
      const plan = planTargets({ kind: 'hideSingle' }, setup.start, model, 0);
      const attack = async (a: Attack, options: Record<string, unknown>) => {
        const r = await runAttack(
          a,
          { model, inputs, targets: plan.targets, start: setup.start },
          options,
        );
        r.dispose();
      };
      const rows: [string, number][] = [
        ['forward', await median(o.runs, () => settle(() => model.logits(inputs)))],
        [
          'forward + input gradient',
          await median(o.runs, () =>
            settle(() => {
              const { value, gradient } = inputGradient(
                (x) => tf.sum(model.logits(x), 1) as tf.Tensor1D,
                inputs,
              );
              value.dispose();
              return gradient;
            }),
          ),
        ],
        [
          `${model.numLabels}-label Jacobian`,
          await median(o.runs, () =>
            settle(() => batchedJacobian((x) => model.logits(x), inputs).jacobian),
          ),
        ],
        ['ML-DeepFool (hide-single)', await median(1, () => attack(mlDeepFool, {}))],
        ['ML-CW (hide-single, 100 × 5)', await median(1, () => attack(mlCw, demoCwBudget))],
      ];
      const table = new Table({
        head: ['workload', `ms (median, batch ${inputs.shape[0]})`],
        style: { head: [], border: [] },
      });
      for (const [name, ms] of rows) table.push([name, ms.toFixed(1)]);
      out.log(table.toString());
      out.log(
        "The repository's `pnpm bench` compares these workloads with PyTorch on the same machine.",
      );
    } finally {
      setup.dispose();
    }
  });
}
