import { ArgumentError } from '@mlap/tensor';
import { describe, expect, it } from 'vitest';
import { planTargets, resolveLabel, type TargetStrategy, UnknownLabelError } from '../src/index.js';

const model = { numLabels: 5, labelNames: ['person', 'dog', 'cat', 'car', 'Sheep'] } as const;
// Hand-made start label sets: two present, none present, all present, one present.
const start: (0 | 1)[][] = [
  [1, 0, 1, 0, 0],
  [0, 0, 0, 0, 0],
  [1, 1, 1, 1, 1],
  [0, 0, 0, 1, 0],
];

const plan = (strategy: TargetStrategy, seed = 0) => planTargets(strategy, start, model, seed);
const changed = (a: readonly (0 | 1 | null)[], b: readonly (0 | 1)[]) =>
  a.flatMap((v, j) => (v !== b[j] ? [j] : []));

describe('target strategies (spec §2)', () => {
  it('extreme flips every label of every sample', () => {
    const p = plan({ kind: 'extreme' });
    expect(p.indices).toEqual([0, 1, 2, 3]);
    expect(p.targets[0]).toEqual([0, 1, 0, 1, 1]);
    expect(p.targets[2]).toEqual([0, 0, 0, 0, 0]);
  });

  it('hideAll empties the label set and skips samples with nothing to hide', () => {
    const p = plan({ kind: 'hideAll' });
    expect(p.indices).toEqual([0, 2, 3]);
    expect(p.targets.every((t) => t.every((v) => v === 0))).toBe(true);
    expect(p.skipped).toEqual([{ index: 1, reason: 'no present label to hide' }]);
  });

  it('hideSingle removes exactly one present label, chosen by the seed', () => {
    const p = plan({ kind: 'hideSingle' }, 3);
    p.indices.forEach((i, k) => {
      const diff = changed(p.targets[k] ?? [], start[i] ?? []);
      expect(diff).toHaveLength(1);
      expect(start[i]?.[diff[0] ?? -1]).toBe(1);
    });
    expect(p.skipped.map((s) => s.index)).toEqual([1]);
    // Over seeds, both present labels of sample 0 get chosen.
    const picks = new Set(
      Array.from(
        { length: 20 },
        (_, s) => changed(plan({ kind: 'hideSingle' }, s).targets[0] ?? [], start[0] ?? [])[0],
      ),
    );
    expect(picks).toEqual(new Set([0, 2]));
  });

  it('random flips one present and one absent label, and needs both', () => {
    const p = plan({ kind: 'random' }, 5);
    expect(p.indices).toEqual([0, 3]);
    p.indices.forEach((i, k) => {
      const diff = changed(p.targets[k] ?? [], start[i] ?? []);
      expect(diff.map((j) => start[i]?.[j]).sort()).toEqual([0, 1]);
    });
    expect(p.skipped.map((s) => s.index)).toEqual([1, 2]);
    expect(plan({ kind: 'random', flips: 2 }).indices).toEqual([0]);
  });

  it('add and remove a named label, skipping where it is already so', () => {
    const add = plan({ kind: 'add', label: 'dog' });
    expect(add.indices).toEqual([0, 1, 3]);
    expect(add.targets[0]).toEqual([1, 1, 1, 0, 0]);
    expect(add.skipped[0]?.reason).toMatch(/already present/);
    const remove = plan({ kind: 'remove', label: 'sheep' }); // case-insensitive match
    expect(remove.indices).toEqual([2]);
    expect(remove.targets[0]).toEqual([1, 1, 1, 1, 0]);
  });

  it('showMany adds k absent labels', () => {
    const p = plan({ kind: 'showMany', k: 3 }, 1);
    expect(p.indices).toEqual([0, 1, 3]);
    p.indices.forEach((i, k) => {
      const diff = changed(p.targets[k] ?? [], start[i] ?? []);
      expect(diff).toHaveLength(3);
      expect(diff.every((j) => start[i]?.[j] === 0)).toBe(true);
    });
  });

  it("custom targets keep don't-care entries and never return the start labels", () => {
    const p = plan({ kind: 'custom', target: [1, null, 1, null, 0] });
    // Sample 0 already satisfies every cared-for label: skipped, not returned unchanged.
    expect(p.indices).toEqual([1, 2, 3]);
    expect(p.skipped[0]?.reason).toMatch(/equals the start labels/);
    expect(p.targets[0]).toEqual([1, null, 1, null, 0]);
  });

  it('is reproducible per sample, independent of the other samples', () => {
    const a = plan({ kind: 'hideSingle' }, 11);
    expect(plan({ kind: 'hideSingle' }, 11)).toEqual(a);
    // Changing the last sample leaves the earlier samples' targets as they were.
    const other = planTargets(
      { kind: 'hideSingle' },
      [...start.slice(0, 3), [1, 1, 0, 0, 1]],
      model,
      11,
    );
    expect(other.targets.slice(0, 2)).toEqual(a.targets.slice(0, 2));
  });

  it('rejects unknown labels and bad counts with typed errors', () => {
    expect(() => plan({ kind: 'add', label: 'zebra' })).toThrow(UnknownLabelError);
    expect(() => plan({ kind: 'add', label: 'zebra' })).toThrow(/known labels: person, dog/);
    expect(() => plan({ kind: 'remove', label: 7 })).toThrow(UnknownLabelError);
    expect(() => plan({ kind: 'showMany', k: 0 })).toThrow(ArgumentError);
    expect(resolveLabel(model, '3')).toBe(3);
  });
});
