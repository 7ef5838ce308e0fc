import { join } from 'node:path';

/** The repository's root folder: configs and data paths are relative to it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** One dataset × model of the protocol: its `mlap eval` config and what it needs to run. */
export interface Experiment {
  /** Short name: the log is `results/<name>.jsonl`. */
  readonly name: string;
  /** What the page calls it. */
  readonly title: string;
  /** Repository-relative path of the config. */
  readonly config: string;
  /** A repository-relative path that must exist (data outside the repository), if any. */
  readonly needs?: string;
  /** Samples read in `--quick` mode; undefined: not run in quick mode. */
  readonly quickLimit?: number;
}

/** The experiments of the results page, in page order. */
export const EXPERIMENTS: readonly Experiment[] = [
  {
    name: 'default',
    title: 'Default data set (multi-MNIST test split) and the pre-trained default CNN',
    config: 'experiments/configs/default.json',
    quickLimit: 16,
  },
  {
    name: 'yeast',
    title: 'MULAN yeast (test split) and an MLP trained by `mlap train`',
    config: 'experiments/configs/yeast.json',
    needs: '../shared/datasets/yeast',
    quickLimit: 60,
  },
  {
    name: 'scene',
    title: 'MULAN scene (test split) and an MLP trained by `mlap train`',
    config: 'experiments/configs/scene.json',
    needs: '../shared/datasets/scene',
    quickLimit: 150,
  },
  {
    name: 'centernet',
    title: 'CenterNet (COCO, 80 labels) on real photos',
    config: 'experiments/configs/centernet.json',
    needs: '../shared/models/centernet-coco',
  },
];
