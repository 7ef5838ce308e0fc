import { ArgumentError, type Box } from '@mlap/tensor';
import { type MultiLabelData, sampleSize } from './dataset.js';

/**
 * Maps values linearly from `range` onto `box` (lo → box.lo, hi → box.hi) and clips to the box, so
 * features always lie where the model expects them.
 */
export function scaleToBox(values: ArrayLike<number>, range: Box, box: Box): Float32Array {
  if (!(range.hi > range.lo) || !(box.hi > box.lo)) {
    throw new ArgumentError('range', 'range and box need lo < hi');
  }
  const scale = (box.hi - box.lo) / (range.hi - range.lo);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = box.lo + ((values[i] as number) - range.lo) * scale;
    out[i] = Math.min(Math.max(v, box.lo), box.hi);
  }
  return out;
}

/** Per-feature minimum and maximum, fitted on one split (usually train) and applied to others. */
export interface FeatureScaling {
  /** Per-feature minimum. */
  readonly min: Float32Array;
  /** Per-feature maximum. */
  readonly max: Float32Array;
}

/** Fits per-feature min/max on `data` (for tabular features, before {@link applyScaling}). */
export function fitScaling(data: MultiLabelData): FeatureScaling {
  const size = sampleSize(data);
  const min = new Float32Array(size).fill(Number.POSITIVE_INFINITY);
  const max = new Float32Array(size).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < data.count; i++) {
    for (let f = 0; f < size; f++) {
      const v = data.features[i * size + f] as number;
      if (v < (min[f] as number)) min[f] = v;
      if (v > (max[f] as number)) max[f] = v;
    }
  }
  return { min, max };
}

/**
 * Rescales every feature to [0, 1] with a fitted {@link FeatureScaling} (values outside the fitted
 * range are clipped; constant features become 0). The result has range { lo: 0, hi: 1 }.
 */
export function applyScaling(data: MultiLabelData, scaling: FeatureScaling): MultiLabelData {
  const size = sampleSize(data);
  if (scaling.min.length !== size) {
    throw new ArgumentError(
      'scaling',
      `fitted on ${scaling.min.length} features; data has ${size}`,
    );
  }
  const features = new Float32Array(data.features.length);
  for (let i = 0; i < data.count; i++) {
    for (let f = 0; f < size; f++) {
      const lo = scaling.min[f] as number;
      const span = (scaling.max[f] as number) - lo;
      const v = span > 0 ? ((data.features[i * size + f] as number) - lo) / span : 0;
      features[i * size + f] = Math.min(Math.max(v, 0), 1);
    }
  }
  return { ...data, features, range: { lo: 0, hi: 1 } };
}
