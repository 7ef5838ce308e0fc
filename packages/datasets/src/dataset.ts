import { ArgumentError, type Box } from '@mlap/tensor';

/**
 * A multi-label data set held in memory, row-major: sample i's features are
 * `features[i * size .. (i + 1) * size)` with `size` the product of `sampleShape`, and its labels
 * are `labels[i * L .. (i + 1) * L)` (0 or 1), in the order of `labelNames`.
 */
export interface MultiLabelData {
  /** Features of every sample, row-major (uint8 pixels or float32 features). */
  readonly features: Uint8Array | Float32Array;
  /** Label indicators (0 or 1), [count, labelNames.length] row-major. */
  readonly labels: Uint8Array;
  /** Number of samples. */
  readonly count: number;
  /** Shape of one sample, e.g. [56, 56, 1] or [103]. */
  readonly sampleShape: readonly number[];
  /** Label names, in label order. */
  readonly labelNames: readonly string[];
  /**
   * The value range the stored features are meant to span (e.g. { lo: 0, hi: 255 } for uint8
   * pixels); batches map it linearly onto the model's box.
   */
  readonly range: Box;
}

/** Number of feature values in one sample. */
export function sampleSize(data: Pick<MultiLabelData, 'sampleShape'>): number {
  return data.sampleShape.reduce((a, b) => a * b, 1);
}

/** Checks that the arrays of a {@link MultiLabelData} agree with its count and shapes. */
export function validateData(data: MultiLabelData, argument = 'data'): void {
  const size = sampleSize(data);
  const L = data.labelNames.length;
  if (!Number.isInteger(data.count) || data.count < 0) {
    throw new ArgumentError(argument, `count must be a non-negative integer; got ${data.count}`);
  }
  if (data.features.length !== data.count * size) {
    throw new ArgumentError(
      argument,
      `features hold ${data.features.length} values; expected ${data.count} × ${size}`,
    );
  }
  if (data.labels.length !== data.count * L) {
    throw new ArgumentError(
      argument,
      `labels hold ${data.labels.length} values; expected ${data.count} × ${L}`,
    );
  }
  if (!(data.range.hi > data.range.lo)) {
    throw new ArgumentError(
      argument,
      `range must have lo < hi; got [${data.range.lo}, ${data.range.hi}]`,
    );
  }
}

/** The labels of sample `i` as a list of label indices. */
export function labelsOf(data: MultiLabelData, i: number): number[] {
  const L = data.labelNames.length;
  const out: number[] = [];
  for (let j = 0; j < L; j++) if (data.labels[i * L + j] === 1) out.push(j);
  return out;
}

/** A new data set holding the samples at `indices`, in that order. */
export function selectSamples(data: MultiLabelData, indices: readonly number[]): MultiLabelData {
  const size = sampleSize(data);
  const L = data.labelNames.length;
  const features = new (
    data.features.constructor as Uint8ArrayConstructor | Float32ArrayConstructor
  )(indices.length * size);
  const labels = new Uint8Array(indices.length * L);
  indices.forEach((src, dst) => {
    if (!Number.isInteger(src) || src < 0 || src >= data.count) {
      throw new ArgumentError('indices', `index ${src} is outside [0, ${data.count})`);
    }
    features.set(data.features.subarray(src * size, (src + 1) * size), dst * size);
    labels.set(data.labels.subarray(src * L, (src + 1) * L), dst * L);
  });
  return { ...data, features, labels, count: indices.length };
}
