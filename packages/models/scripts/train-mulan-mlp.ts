/**
 * Trains an MLP victim on the MULAN yeast and scene data sets in `../shared/datasets/` (a
 * developer / CI folder, not shipped) and prints its test metrics. Features are min-max scaled with
 * train statistics into [0, 1]; 15 % of train is held out for early stopping and for choosing one
 * global decision threshold (maximising example-based F1 on it).
 *
 *   pnpm --filter @mlap/models train:mulan [-- --backend wasm|cpu]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendRequest, setupBackend } from '@mlap/backend';
import { applyScaling, fitScaling, selectSamples } from '@mlap/datasets';
import { loadArffFile } from '@mlap/datasets/node';
import { Rng } from '@mlap/tensor';
import { buildMlp, multiLabelMetrics, predictProbabilities, trainModel } from '../src/index.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' } } });
await setupBackend({ backend: values.backend as BackendRequest, quiet: true });
const shared = fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url));
if (!existsSync(shared)) {
  console.log('../shared/datasets not found: nothing to do');
  process.exit(0);
}

for (const name of ['yeast', 'scene']) {
  const file = (split: string) => `${shared}${name}/${name}-${split}.arff`;
  const xml = `${shared}${name}/${name}.xml`;
  const rawTrain = await loadArffFile(file('train'), { xml });
  const rawTest = await loadArffFile(file('test'), { xml });
  const scaling = fitScaling(rawTrain);
  const all = applyScaling(rawTrain, scaling);
  const test = applyScaling(rawTest, scaling);
  const order = Rng.seeded(0).shuffle(Array.from({ length: all.count }, (_, i) => i));
  const nVal = Math.round(all.count * 0.15);
  const validation = selectSamples(all, order.slice(0, nVal));
  const train = selectSamples(all, order.slice(nVal));
  const L = all.labelNames.length;
  const model = buildMlp({ inputShape: all.sampleShape, numLabels: L, hidden: [256], seed: 0 });
  const history = await trainModel(model, train, {
    epochs: 60,
    batchSize: 32,
    learningRate: 1e-3,
    validation,
    patience: 6,
  });
  const valScores = predictProbabilities(model, validation);
  let threshold = 0.5;
  let bestF1 = -1;
  for (let t = 0.1; t <= 0.6 + 1e-9; t += 0.025) {
    const f1 = multiLabelMetrics(valScores, validation.labels, L, t).exampleF1;
    if (f1 > bestF1) [bestF1, threshold] = [f1, t];
  }
  const testScores = predictProbabilities(model, test);
  const at05 = multiLabelMetrics(testScores, test.labels, L, 0.5);
  const tuned = multiLabelMetrics(testScores, test.labels, L, threshold);
  console.log(
    `${name}: epochs ${history.epochs.length} (best ${history.bestEpoch + 1}); test example-F1 ` +
      `${tuned.exampleF1.toFixed(4)} at threshold ${threshold.toFixed(3)} (${at05.exampleF1.toFixed(4)} at 0.5), ` +
      `micro-F1 ${tuned.microF1.toFixed(4)}, Hamming ${tuned.hammingLoss.toFixed(4)}, mAP ${tuned.mAP.toFixed(4)}`,
  );
  model.dispose();
}
