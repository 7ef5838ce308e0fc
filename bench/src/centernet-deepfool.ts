/**
 * ML-DeepFool `hideSingle` on the real CenterNet (80 labels, one 512×512 photo from `../shared`)
 * on wasm: the time of the attack when each step differentiates only the labels its constraint
 * set can contain (`jacobianLabels: 'needed'`, the default) and when it differentiates all 80
 * (`'all'`, as spec §4 step 1 states), with the outcome of both (they must agree).
 *
 * Environment: BENCH_CENTERNET_PHOTO (default astronaut.png), BENCH_DEEPFOOL_LABELS=needed,all
 * (which runs, in order), BENCH_DEEPFOOL_ITERATIONS (ML-DeepFool's maxIterations, default 20).
 * Run: `pnpm --filter @mlap/bench exec tsx --conditions=@mlap/source src/centernet-deepfool.ts`.
 */
import { fileURLToPath } from 'node:url';
import { setupBackend } from '@mlap/backend';
import { mlDeepFool, planTargets, predictLabels, runAttack } from '@mlap/core';
import { loadCenterNet } from '@mlap/models/node';
import { centerNetAvailable, loadPhoto, sharedDir } from './centernet.js';

type Mode = 'needed' | 'all';

const photo = process.env.BENCH_CENTERNET_PHOTO ?? 'astronaut.png';
const modes = (process.env.BENCH_DEEPFOOL_LABELS ?? 'needed,all').split(',') as Mode[];
const maxIterations = Number(process.env.BENCH_DEEPFOOL_ITERATIONS ?? 20);

async function main(): Promise<void> {
  if (!centerNetAvailable()) {
    console.log(
      'CenterNet ML-DeepFool benchmark skipped: ../shared/models/centernet-coco is absent',
    );
    return;
  }
  await setupBackend({ backend: 'wasm', quiet: true });
  const dir = fileURLToPath(new URL('models/centernet-coco/', sharedDir));
  const { graph, model } = await loadCenterNet({ dir });
  const x = await loadPhoto(photo);
  const start = await predictLabels(model, x);
  const plan = planTargets({ kind: 'hideSingle' }, start, model, 0);
  const hidden = plan.targets[0]?.findIndex((v, j) => v !== start[0]?.[j]) ?? -1;
  console.log(
    `ML-DeepFool hideSingle on CenterNet (${photo}, wasm): hiding "${model.labelNames?.[hidden]}", ` +
      `${start[0]?.filter((v) => v === 1).length} labels present`,
  );
  for (const jacobianLabels of modes) {
    const begin = performance.now();
    const result = await runAttack(
      mlDeepFool,
      { model, inputs: x, targets: plan.targets, start },
      { jacobianLabels, maxIterations },
    );
    const seconds = (performance.now() - begin) / 1000;
    const s = result.samples[0];
    console.log(
      `  jacobianLabels '${jacobianLabels}': ${seconds.toFixed(1)} s, success ${s?.success}, ` +
        `L2 ${s?.l2.toFixed(3)}, ${s?.iterations} steps, ${s?.gradientEvaluations} label gradients`,
    );
    result.dispose();
  }
  x.dispose();
  graph.dispose();
}

await main().catch((error: unknown) => {
  console.error(
    `centernet deepfool bench failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
