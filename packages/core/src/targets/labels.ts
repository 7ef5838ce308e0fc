import { UnknownLabelError } from '../errors/unknown-label-error.js';
import type { MultiLabelModel } from '../model/multi-label-model.js';

/**
 * The index of a label given by name or by index. Names match exactly first, then ignoring case;
 * numeric strings are indices. Throws an {@link UnknownLabelError} listing the known labels.
 */
export function resolveLabel(
  model: Pick<MultiLabelModel, 'labelNames' | 'numLabels'>,
  label: string | number,
): number {
  const { labelNames, numLabels } = model;
  if (typeof label === 'number' || /^\d+$/.test(label)) {
    const index = Number(label);
    if (Number.isInteger(index) && index >= 0 && index < numLabels) return index;
    throw new UnknownLabelError(label, labelNames, numLabels);
  }
  const exact = labelNames?.indexOf(label) ?? -1;
  if (exact >= 0) return exact;
  const lower = label.toLowerCase();
  const loose = labelNames?.findIndex((n) => n.toLowerCase() === lower) ?? -1;
  if (loose >= 0) return loose;
  throw new UnknownLabelError(label, labelNames, numLabels);
}
