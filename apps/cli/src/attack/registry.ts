import { type Attack, bim, fgsm, miFgsm, mlCw, mlDeepFool, pgd } from '@mlap/core';
import { rank1, rank2 } from '@mlap/ranking';
import { UsageError } from './usage-error.js';

/** An attack the CLI can run, and whether its targets are rankings. */
export interface CliAttack {
  readonly attack: Attack;
  readonly ranking: boolean;
}

/** Every `--attack` name, in help order. */
export const cliAttacks: Readonly<Record<string, CliAttack>> = {
  'ml-deepfool': { attack: mlDeepFool, ranking: false },
  'ml-cw': { attack: mlCw, ranking: false },
  rank1: { attack: rank1, ranking: true },
  rank2: { attack: rank2, ranking: true },
  fgsm: { attack: fgsm, ranking: false },
  bim: { attack: bim, ranking: false },
  pgd: { attack: pgd, ranking: false },
  'mi-fgsm': { attack: miFgsm, ranking: false },
};

/** The attack named by `--attack`, or a UsageError listing the names. */
export function attackNamed(name: string): CliAttack {
  const found = cliAttacks[name];
  if (found === undefined) {
    throw new UsageError(
      `unknown attack "${name}"`,
      `use one of ${Object.keys(cliAttacks).join(', ')}`,
    );
  }
  return found;
}

/**
 * Attack options from repeated `--set key=value` flags; values are JSON when they parse (numbers,
 * booleans, strings in quotes) and plain strings otherwise. The attack's schema validates them.
 */
export function parseSettings(pairs: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set "${pair}" is not key=value`);
    const value = pair.slice(eq + 1);
    try {
      options[pair.slice(0, eq)] = JSON.parse(value);
    } catch {
      options[pair.slice(0, eq)] = value;
    }
  }
  return options;
}
