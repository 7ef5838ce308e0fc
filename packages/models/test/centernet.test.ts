import { join } from 'node:path';
import { readImage } from '@mlap/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { centerNetInput } from '../src/index.js';
import { type LoadedCenterNet, loadCenterNet } from '../src/node/index.js';
import { backend, hasShared, sharedDir } from './shared-path.js';

// CenterNet takes minutes per image on the pure-JS cpu backend: wasm only.
describe.skipIf(!hasShared || backend !== 'wasm')('CenterNet COCO on real photos (wasm)', () => {
  async function topLabels(net: LoadedCenterNet, file: string, k: number): Promise<string[]> {
    const image = await readImage(join(sharedDir, 'images', file), { channels: 3 });
    const x = centerNetInput(image);
    const probabilities = tf.tidy(() => tf.sigmoid(net.model.logits(x)));
    const scores = Array.from(probabilities.dataSync());
    tf.dispose([x, probabilities]);
    const names = net.model.labelNames ?? [];
    return scores
      .map((s, j) => [s, names[j] as string] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, k)
      .map(([, name]) => name);
  }

  it('person is the top label of astronaut.png; cup and dining table the top two of coffee.png', async () => {
    const net = await loadCenterNet({ dir: join(sharedDir, 'models', 'centernet-coco') });
    try {
      expect(net.model.numLabels).toBe(80);
      expect(net.model.inputShape).toEqual([512, 512, 3]);
      expect(await topLabels(net, 'astronaut.png', 1)).toEqual(['person']);
      expect((await topLabels(net, 'coffee.png', 2)).sort()).toEqual(['cup', 'dining table']);
    } finally {
      net.graph.dispose();
    }
  });

  it('a missing model folder → ModelFileError naming the file', async () => {
    await expect(loadCenterNet({ dir: join(sharedDir, 'models', 'nope') })).rejects.toThrow(
      /labels\.txt: label list not found/,
    );
  });
});
