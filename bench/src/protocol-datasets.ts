/**
 * The protocol's data sets and victim models, loaded as `mlap attack` / `mlap eval` load them:
 * the default model on the default data set's test split, and the experiments' MLPs on the MULAN
 * yeast and scene test ARFF files (`../shared/datasets`), features scaled from the file's range
 * onto the model's box.
 */
import { fileURLToPath } from 'node:url';
import type { LabelVector } from '@mlap/core';
import { type MultiLabelData, scaleToBox } from '@mlap/datasets';
import { loadArffFile, loadDefaultDataset } from '@mlap/datasets/node';
import type { Box } from '@mlap/tensor';

/** One data set of the protocol with its victim model. */
export interface ProtocolDataset {
  readonly name: string;
  /** Repo-relative model.json; `default` in `configModel` when it is the shipped default model. */
  readonly model: string;
  /** How an experiments config names the model (`default` or the repo-relative path). */
  readonly configModel: string;
  /** Repo-relative description of the data (for the results file). */
  readonly data: string;
  /** Reads the labelled test split. */
  load(): Promise<MultiLabelData>;
}

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

function mulan(name: string): ProtocolDataset {
  const dir = `../shared/datasets/${name}`;
  const model = `experiments/models/${name}/model.json`;
  return {
    name,
    model,
    configModel: model,
    data: `${dir}/${name}-test.arff`,
    load: () => loadArffFile(repo(`${dir}/${name}-test.arff`), { xml: repo(`${dir}/${name}.xml`) }),
  };
}

/** The data sets, by name. */
export const PROTOCOL_DATASETS: Readonly<Record<string, ProtocolDataset>> = {
  default: {
    name: 'default',
    model: 'packages/models/assets/default-model/model.json',
    configModel: 'default',
    data: 'default data set (multi-MNIST, @mlap/datasets), test split',
    load: async () => (await loadDefaultDataset()).test,
  },
  yeast: mulan('yeast'),
  scene: mulan('scene'),
};

/** Absolute path of a repo-relative one. */
export const repoPath = repo;

/** The samples' features in the model's box (as the CLI scales them) and their ground truth. */
export function labelledSamples(
  data: MultiLabelData,
  box: Box,
): { features: Float32Array; truth: LabelVector[] } {
  const L = data.labelNames.length;
  const truth = Array.from(
    { length: data.count },
    (_, i) => Array.from(data.labels.subarray(i * L, (i + 1) * L)) as (0 | 1)[],
  );
  return { features: scaleToBox(data.features, data.range, box), truth };
}
