import { ArgumentError } from '@mlap/tensor';
import type { TargetStrategy } from './strategies.js';

/** The strategies that take no argument, by the names configs and the command line use. */
const plain: Readonly<Record<string, TargetStrategy>> = {
  'hide-single': { kind: 'hideSingle' },
  'hide-all': { kind: 'hideAll' },
  random: { kind: 'random' },
  extreme: { kind: 'extreme' },
};

/** The forms {@link parseTargetStrategy} reads, for messages and help. */
export const TARGET_STRATEGY_FORMS: readonly string[] = [
  ...Object.keys(plain),
  'add:<label>',
  'remove:<label>',
];

/**
 * A target strategy from the name `mlap attack --target` and `mlap eval` configs use:
 * `hide-single`, `hide-all`, `random`, `extreme`, `add:<label>` or `remove:<label>` (a label name,
 * resolved against the model when targets are planned). Throws an {@link ArgumentError} naming the
 * accepted forms for anything else.
 *
 * @example
 * planTargets(parseTargetStrategy('add:person'), start, model, seed);
 */
export function parseTargetStrategy(name: string): TargetStrategy {
  const known = plain[name];
  if (known !== undefined) return known;
  const colon = name.indexOf(':');
  const [kind, label] = colon < 0 ? [name, ''] : [name.slice(0, colon), name.slice(colon + 1)];
  if (label !== '' && (kind === 'add' || kind === 'remove')) return { kind, label };
  throw new ArgumentError(
    'strategy',
    `unknown target strategy "${name}"; use ${TARGET_STRATEGY_FORMS.join(', ')}`,
  );
}
