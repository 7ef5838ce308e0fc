import { el } from './dom.js';

/** What the top-k editor shows: the ranked list, and the labels offered as chips to add. */
export interface TopKState {
  readonly names: readonly string[];
  /** Label indices of the list, best first. */
  readonly ranking: readonly number[];
  /** Label indices offered as chips (those not in the list). */
  readonly candidates: readonly number[];
}

/** How the editor changes the list; the page re-renders after each. */
export interface TopKActions {
  /** Puts label `j` at position `at` (the end when omitted), moving it if already listed. */
  readonly place: (j: number, at?: number) => void;
  /** Moves the item at position `i` by `delta` places. */
  readonly move: (i: number, delta: -1 | 1) => void;
  /** Removes the item at position `i`. */
  readonly remove: (i: number) => void;
}

/** The label index a drag carries (HTML5 drag and drop moves only strings). */
const dragType = 'text/plain';

function draggable(element: HTMLElement, j: number): HTMLElement {
  element.draggable = true;
  element.addEventListener('dragstart', (event) => {
    event.dataTransfer?.setData(dragType, String(j));
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'copyMove';
  });
  return element;
}

/** Makes `element` a drop zone that places the dragged label at position `at`. */
function dropZone(element: HTMLElement, place: TopKActions['place'], at?: number): void {
  element.addEventListener('dragover', (event) => {
    event.preventDefault();
    element.classList.add('drop-here');
  });
  element.addEventListener('dragleave', () => element.classList.remove('drop-here'));
  element.addEventListener('drop', (event) => {
    event.preventDefault();
    // Items sit inside the list: the innermost zone decides the position.
    event.stopPropagation();
    element.classList.remove('drop-here');
    const j = Number(event.dataTransfer?.getData(dragType));
    if (Number.isInteger(j)) place(j, at);
  });
}

function small(text: string, label: string, disabled: boolean, onclick: () => void) {
  return el(
    'button',
    { type: 'button', className: 'small', ariaLabel: label, disabled, onclick },
    text,
  );
}

function item(state: TopKState, i: number, actions: TopKActions): HTMLElement {
  const j = state.ranking[i] ?? 0;
  const name = state.names[j] ?? String(j);
  const last = state.ranking.length - 1;
  const li = el(
    'li',
    { dataset: { label: name } },
    el('span', { className: 'name' }, name),
    small('↑', `move ${name} up`, i === 0, () => actions.move(i, -1)),
    small('↓', `move ${name} down`, i === last, () => actions.move(i, 1)),
    small('✕', `remove ${name} from the top-k list`, false, () => actions.remove(i)),
  );
  dropZone(li, actions.place, i);
  return draggable(li, j);
}

function chip(state: TopKState, j: number, actions: TopKActions): HTMLElement {
  const name = state.names[j] ?? String(j);
  const button = el(
    'button',
    {
      type: 'button',
      className: 'chip',
      ariaLabel: `add ${name} to the top-k list`,
      dataset: { label: name },
      onclick: () => actions.place(j),
    },
    name,
  );
  return draggable(button, j);
}

/**
 * Renders the top-k editor: the ranked list (a drop zone; each item has move up / down / remove
 * buttons and can be dragged to another place) and the label chips, which are dragged into the
 * list or added with Enter / Space / a click — drag and drop alone would shut out keyboard users.
 */
export function renderTopK(
  list: HTMLOListElement,
  chips: HTMLElement,
  state: TopKState,
  actions: TopKActions,
): void {
  list.replaceChildren(...state.ranking.map((_, i) => item(state, i, actions)));
  list.dataset.labels = state.ranking.map((j) => state.names[j] ?? String(j)).join(',');
  chips.replaceChildren(...state.candidates.map((j) => chip(state, j, actions)));
}

/** Wires the list element itself as the drop zone that appends (done once: it is never replaced). */
export function listDropZone(list: HTMLOListElement, place: TopKActions['place']): void {
  dropZone(list, place);
}

/** The k labels with the highest scores, best first (what a top-k target is judged on). */
export function topLabels(scores: readonly number[], k: number): number[] {
  return scores
    .map((p, j) => ({ p, j }))
    .sort((a, b) => b.p - a.p || a.j - b.j)
    .slice(0, k)
    .map(({ j }) => j);
}
