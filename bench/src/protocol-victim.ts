/**
 * A protocol model loaded twice from the same file: as the layer list the PyTorch reference
 * rebuilds, and as mlap's `MultiLabelModel` (`fromLayersModel`, as `mlap attack` loads it).
 */
import { fromLayersModel, type MultiLabelModel } from '@mlap/core';
import { layersModelFromArtifacts } from '@mlap/models';
import { readModelArtifacts } from '@mlap/models/node';
import type { Box } from '@mlap/tensor';
import { exportLayers, type ProtocolNet } from './protocol-layers.js';

/** The victim of one data set. */
export interface Victim {
  /** The layer list (weights included) for the case file. */
  readonly net: ProtocolNet;
  /** mlap's view of the same weights. */
  readonly model: MultiLabelModel;
  /** Label names stored in the model's metadata. */
  readonly labelNames: readonly string[];
  readonly box: Box;
  /** Frees the Layers model. */
  dispose(): void;
}

/**
 * Loads `file` (absolute; `source` is how errors name it). The layer list is exported first, so a
 * model the reference cannot run is refused before anything is attacked.
 */
export async function loadVictim(file: string, source: string): Promise<Victim> {
  const artifacts = await readModelArtifacts(file);
  const net = exportLayers(artifacts, source);
  const meta = (artifacts.userDefinedMetadata ?? {}) as { labelNames?: string[]; box?: Box };
  if (meta.box === undefined || !Array.isArray(meta.labelNames)) {
    throw new Error(
      `${source}: userDefinedMetadata needs labelNames and box (as mlap train writes)`,
    );
  }
  const layers = await layersModelFromArtifacts(artifacts, source);
  const model = fromLayersModel(layers, { box: meta.box, labelNames: meta.labelNames });
  return {
    net,
    model,
    labelNames: meta.labelNames,
    box: meta.box,
    dispose: () => layers.dispose(),
  };
}
