import { el } from './dom.js';

/** Everything the label list shows. */
export interface LabelsState {
  readonly names: readonly string[];
  readonly thresholds: readonly number[];
  readonly before: readonly number[];
  readonly after: readonly number[] | undefined;
  readonly start: readonly (0 | 1)[];
  readonly target: readonly (0 | 1 | null)[];
  readonly showAll: boolean;
}

const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

function bar(kind: 'before' | 'after', p: number, threshold: number): HTMLElement {
  const fill = el('span', { className: `fill ${kind}` });
  fill.style.width = pct(p);
  const line = el('span', { className: 'threshold', title: `threshold ${threshold}` });
  line.style.left = pct(threshold);
  return el('span', { className: 'bar', ariaHidden: 'true' }, fill, line);
}

/** Labels worth a row: any score above 5 %, any present, or any whose target changes it. */
function visible(state: LabelsState, j: number): boolean {
  if (state.showAll || state.names.length <= 20) return true;
  const changes = state.target[j] !== null && state.target[j] !== state.start[j];
  return changes || (state.before[j] ?? 0) > 0.05 || (state.after?.[j] ?? 0) > 0.05;
}

function row(state: LabelsState, j: number, onToggle: (j: number) => void): HTMLElement {
  const name = state.names[j] ?? String(j);
  const target = state.target[j];
  const changes = target !== null && target !== state.start[j];
  const mark = !changes ? '' : target === 1 ? '✚ ' : '✖ ';
  const goal = target === null ? 'any' : target === 1 ? 'present' : 'absent';
  const before = state.before[j] ?? 0;
  const after = state.after?.[j];
  const button = el(
    'button',
    {
      type: 'button',
      className: `label ${changes ? 'changed' : ''}`,
      ariaPressed: String(changes),
      ariaLabel: `${name}: target ${goal}; score ${pct(before)}${after === undefined ? '' : ` → ${pct(after)}`}`,
      dataset: { label: name },
      onclick: () => onToggle(j),
    },
    `${mark}${name}`,
  );
  const scores = el(
    'span',
    { className: 'scores' },
    bar('before', before, state.thresholds[j] ?? 0.5),
    ...(after === undefined ? [] : [bar('after', after, state.thresholds[j] ?? 0.5)]),
  );
  const text = `${pct(before)}${after === undefined ? '' : ` → ${pct(after)}`}`;
  return el(
    'div',
    { className: 'label-row' },
    button,
    scores,
    el('span', { className: 'pct' }, text),
  );
}

/** Renders the per-label score bars (before / after, threshold line) with target toggles. */
export function renderLabels(
  container: HTMLElement,
  state: LabelsState,
  onToggle: (j: number) => void,
): void {
  const rows = state.names.flatMap((_, j) => (visible(state, j) ? [row(state, j, onToggle)] : []));
  const legend = el(
    'div',
    { className: 'legend' },
    el('span', { className: 'key before' }, 'before'),
    el('span', { className: 'key after' }, 'after'),
    el('span', { className: 'key line' }, 'threshold'),
  );
  container.replaceChildren(legend, ...rows);
}

/** Names of the labels that are 1 in a vector, for display and for tests (`data-labels`). */
export function labelList(names: readonly string[], labels: readonly (0 | 1 | null)[]): string[] {
  return labels.flatMap((v, j) => (v === 1 ? [names[j] ?? String(j)] : []));
}

/** Shows a list of label names in an element, and stores it in `data-labels` (comma-separated). */
export function showLabels(element: HTMLElement, names: readonly string[]): void {
  element.textContent = names.length === 0 ? '(none)' : names.join(', ');
  element.dataset.labels = names.join(',');
}
