import { ArgumentError } from '@mlap/tensor';
import { describe, expect, it } from 'vitest';
import { parseTargetStrategy, planTargets } from '../src/index.js';

describe('target strategy names', () => {
  it('reads the four plain strategies and named add / remove', () => {
    expect(parseTargetStrategy('hide-single')).toEqual({ kind: 'hideSingle' });
    expect(parseTargetStrategy('hide-all')).toEqual({ kind: 'hideAll' });
    expect(parseTargetStrategy('random')).toEqual({ kind: 'random' });
    expect(parseTargetStrategy('extreme')).toEqual({ kind: 'extreme' });
    expect(parseTargetStrategy('add:person')).toEqual({ kind: 'add', label: 'person' });
    // Only the first colon separates: a label may hold one.
    expect(parseTargetStrategy('remove:a:b')).toEqual({ kind: 'remove', label: 'a:b' });
  });

  it('gives strategies planTargets applies by label name', () => {
    const model = { numLabels: 3, labelNames: ['cat', 'dog', 'car'] };
    const plan = planTargets(parseTargetStrategy('add:car'), [[1, 0, 0]], model, 0);
    expect(plan.targets).toEqual([[1, 0, 1]]);
  });

  it('refuses anything else with an ArgumentError naming the accepted forms', () => {
    for (const bad of ['flip', 'add:', 'remove', 'Hide-single', 'file:t.json', '']) {
      expect(() => parseTargetStrategy(bad)).toThrow(ArgumentError);
      expect(() => parseTargetStrategy(bad)).toThrow(/add:<label>, remove:<label>$/);
    }
  });
});
