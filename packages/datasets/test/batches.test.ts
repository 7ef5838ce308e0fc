import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batches, type MultiLabelData, selectSamples, toTensors } from '../src/index.js';

const data: MultiLabelData = {
  features: Uint8Array.from({ length: 10 * 4 }, (_, i) => (i * 13) % 256),
  labels: Uint8Array.from({ length: 10 * 2 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  count: 10,
  sampleShape: [2, 2, 1],
  labelNames: ['a', 'b'],
  range: { lo: 0, hi: 255 },
};

describe('batches', () => {
  it('streams every sample once, in the box', () => {
    const seen: number[] = [];
    for (const { x, y, indices } of batches(data, { batchSize: 4, box: { lo: -1, hi: 1 } })) {
      expect(x.shape.slice(1)).toEqual([2, 2, 1]);
      expect(y.shape).toEqual([indices.length, 2]);
      const values = x.dataSync();
      expect(values[0]).toBeCloseTo(
        -1 + (2 * (data.features[(indices[0] as number) * 4] as number)) / 255,
        6,
      );
      seen.push(...indices);
      tf.dispose([x, y]);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('shuffles deterministically from a seed', () => {
    const order = (seed: number) => {
      const out: number[] = [];
      for (const b of batches(data, { batchSize: 3, shuffleSeed: seed })) {
        out.push(...b.indices);
        tf.dispose([b.x, b.y]);
      }
      return out;
    };
    expect(order(1)).toEqual(order(1));
    expect(order(1)).not.toEqual(order(2));
    expect([...order(1)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('toTensors and selectSamples agree', () => {
    const sub = selectSamples(data, [3, 1]);
    const { x, y } = toTensors(sub);
    const all = toTensors(data, { indices: [3, 1] });
    expect(Array.from(x.dataSync())).toEqual(Array.from(all.x.dataSync()));
    expect(Array.from(y.dataSync())).toEqual(Array.from(all.y.dataSync()));
    tf.dispose([x, y, all.x, all.y]);
  });

  it('rejects a bad batch size', () => {
    expect(() => batches(data, { batchSize: 0 }).next()).toThrow(/batchSize/);
  });
});
