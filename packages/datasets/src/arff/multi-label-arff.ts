import { ArgumentError } from '@mlap/tensor';
import type { MultiLabelData } from '../dataset.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import type { ArffData } from './parse-arff.js';

/** Where the labels of a multi-label ARFF file are. */
export type ArffLabelSpec =
  /** MULAN: label names (e.g. from the XML); each is matched to the attribute of that name. */
  | {
      /** The label attributes' names, in label order. */
      readonly names: readonly string[];
    }
  /** MEKA: the first `count` attributes (count > 0) or the last −count (count < 0). */
  | {
      /** MEKA's `-C` count: > 0 for the first attributes, < 0 for the last. */
      readonly meka: number;
    };

/** The MEKA `-C n` option in a relation name (`'name: -C 6'`), or undefined. */
export function mekaLabelCount(relation: string): number | undefined {
  const m = /(?:^|\s)-C\s+(-?\d+)/.exec(relation);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Splits a parsed ARFF file into features and labels. With MULAN label names, labels are matched
 * to attributes **by name** and kept in the order of `names` (the XML's order, which may differ
 * from the ARFF's, as in yeast); every other attribute is a feature, in file order. Label values
 * must be 0 or 1. The features' `range` is their observed min/max (use `fitScaling` /
 * `applyScaling` to put tabular features in [0, 1] with train statistics).
 */
export function arffToMultiLabel(arff: ArffData, labels: ArffLabelSpec): MultiLabelData {
  const width = arff.attributes.length;
  let labelColumns: number[];
  let labelNames: string[];
  if ('names' in labels) {
    const byName = new Map(arff.attributes.map((a, i) => [a.name, i]));
    labelColumns = labels.names.map((name) => {
      const column = byName.get(name);
      if (column === undefined) {
        throw new DatasetLabelError(
          arff.source,
          name,
          arff.attributes.map((a) => a.name),
        );
      }
      return column;
    });
    labelNames = [...labels.names];
  } else {
    const c = labels.meka;
    if (!Number.isInteger(c) || c === 0) {
      throw new ArgumentError('meka', `label count must be a non-zero integer; got ${c}`);
    }
    if (Math.abs(c) >= width) {
      // the count (often the file's own "-C n") does not fit the file: name the file
      throw new DatasetFormatError(
        arff.source,
        undefined,
        `MEKA label count ${c} leaves no feature: the file declares ${width} attributes`,
      );
    }
    labelColumns =
      c > 0
        ? Array.from({ length: c }, (_, i) => i)
        : Array.from({ length: -c }, (_, i) => width + c + i);
    labelNames = labelColumns.map((i) => arff.attributes[i]?.name as string);
  }
  const isLabel = new Set(labelColumns);
  const featureColumns = Array.from({ length: width }, (_, i) => i).filter((i) => !isLabel.has(i));
  const F = featureColumns.length;
  const L = labelColumns.length;
  const features = new Float32Array(arff.numRows * F);
  const out = new Uint8Array(arff.numRows * L);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < arff.numRows; r++) {
    const row = r * width;
    for (let f = 0; f < F; f++) {
      const v = arff.values[row + (featureColumns[f] as number)] as number;
      features[r * F + f] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    for (let j = 0; j < L; j++) {
      const column = labelColumns[j] as number;
      const attribute = arff.attributes[column];
      const raw = arff.values[row + column] as number;
      // nominal values are stored as their index: map back to the declared value
      const value = attribute?.kind === 'nominal' ? Number(attribute.values?.[raw]) : raw;
      if (value !== 0 && value !== 1) {
        throw new DatasetFormatError(
          arff.source,
          arff.rowLines[r],
          `label "${labelNames[j]}" has value ${attribute?.values?.[raw] ?? raw}; expected 0 or 1`,
        );
      }
      out[r * L + j] = value;
    }
  }
  return {
    features,
    labels: out,
    count: arff.numRows,
    sampleShape: [F],
    labelNames,
    range: hi > lo ? { lo, hi } : { lo: 0, hi: 1 },
  };
}
