import type { MultiLabelModel } from '@mlap/core';

/** The value of {@link LogHeader.header}: what tells the header line from a row. */
export const LOG_HEADER = 'mlap eval';

/**
 * The first line of an `mlap eval` log: what every row's label vectors mean. Written once per log
 * (rows repeat neither), it has no `job`, so readers that keep only rows with a job skip it.
 */
export interface LogHeader {
  readonly header: typeof LOG_HEADER;
  /** The model's label names, when it has them. */
  readonly labelNames?: readonly string[];
  /** Per-label thresholds τ_j of the model (all of them, 0.5 included). */
  readonly thresholds: readonly number[];
}

/** True for a parsed line that is a log header rather than a row. */
export function isLogHeader(line: unknown): line is LogHeader {
  return (
    typeof line === 'object' &&
    line !== null &&
    (line as { header?: unknown }).header === LOG_HEADER
  );
}

/** The header of a log written for `model`. */
export function logHeader(model: MultiLabelModel): LogHeader {
  return {
    header: LOG_HEADER,
    ...(model.labelNames === undefined ? {} : { labelNames: model.labelNames }),
    thresholds: model.thresholds,
  };
}
