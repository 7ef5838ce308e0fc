import type { AttackName, AttackSettings } from '../protocol.js';

/** Which model kind the defaults are for: the small default CNN or a large image model. */
export type ModelSize = 'small' | 'large';

/**
 * Starting knobs per attack. On the large model (CenterNet, one gradient = seconds in a browser)
 * they are cut to a few steps: hiding *person* on the astronaut photo takes 1–2 of them.
 */
const defaults: Readonly<Record<ModelSize, Record<AttackName, Omit<AttackSettings, 'seed'>>>> = {
  small: {
    'ml-cw': { maxIterations: 100, binarySearchSteps: 3, epsilon255: 16 },
    'ml-deepfool': { maxIterations: 20, binarySearchSteps: 1, epsilon255: 16 },
    rank1: { maxIterations: 100, binarySearchSteps: 3, epsilon255: 16 },
    rank2: { maxIterations: 100, binarySearchSteps: 3, epsilon255: 16 },
    tkml: { maxIterations: 50, binarySearchSteps: 1, epsilon255: 32 },
    pgd: { maxIterations: 10, binarySearchSteps: 1, epsilon255: 32 },
  },
  large: {
    'ml-cw': { maxIterations: 10, binarySearchSteps: 1, epsilon255: 4 },
    'ml-deepfool': { maxIterations: 2, binarySearchSteps: 1, epsilon255: 4 },
    rank1: { maxIterations: 10, binarySearchSteps: 1, epsilon255: 4 },
    rank2: { maxIterations: 10, binarySearchSteps: 1, epsilon255: 4 },
    tkml: { maxIterations: 5, binarySearchSteps: 1, epsilon255: 4 },
    pgd: { maxIterations: 5, binarySearchSteps: 1, epsilon255: 4 },
  },
};

/** The default knobs of an attack on a model of the given size. */
export function defaultSettings(size: ModelSize, attack: AttackName): Omit<AttackSettings, 'seed'> {
  return defaults[size][attack];
}

/** Which knobs an attack reads (the others are disabled in the form). */
export function knobsOf(attack: AttackName): { search: boolean; epsilon: boolean } {
  return {
    search: attack === 'ml-cw' || attack === 'rank1' || attack === 'rank2',
    epsilon: attack === 'pgd' || attack === 'tkml',
  };
}

/** A one-line note on what the attack does, and its cost on a model with `labels` labels. */
export function attackNote(attack: AttackName, labels: number, size: ModelSize): string {
  const notes: Record<AttackName, string> = {
    'ml-cw': 'ML-CW: minimum-L2 perturbation by Adam on the CW hinge, binary search on c.',
    'ml-deepfool': `ML-DeepFool: linearised minimum-norm steps; each step differentiates all ${labels} labels${size === 'large' ? ' — slow on this model (minutes per step)' : ''}.`,
    rank1: 'Rank I: the target’s present labels ranked above all others (ML-CW optimiser).',
    rank2: 'Rank II: Rank I plus ordering changed labels against unchanged ones.',
    tkml: 'TkML-AP: projected gradient steps inside an L∞ ball of radius ε until the listed labels are exactly the top k.',
    pgd: 'PGD: projected gradient steps inside an L∞ ball of radius ε (a baseline).',
  };
  return notes[attack];
}
