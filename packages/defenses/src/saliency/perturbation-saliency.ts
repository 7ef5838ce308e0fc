import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { encode } from 'fast-png';

/**
 * Where a perturbation goes (spec §8c): per-pixel Σ_c |r_c|, the channel-summed magnitude of a
 * perturbation r = x' − x. For a hide-single attack this is the saliency of the hidden label's
 * perturbation: which pixels the attack needed to move to switch that label off.
 *
 * @param perturbation - images [H, W, C] or batches [N, H, W, C]
 * @returns [H, W] or [N, H, W]
 */
export function perturbationSaliency(perturbation: tf.Tensor): tf.Tensor {
  if (perturbation.rank !== 3 && perturbation.rank !== 4)
    throw new ArgumentError(
      'perturbation',
      `needs [H, W, C] or [N, H, W, C]; got rank ${perturbation.rank}`,
    );
  return tf.tidy(() => tf.sum(tf.abs(perturbation), -1));
}

/** Options of {@link saliencyPng}. */
export interface SaliencyPngOptions {
  /** The saliency shown as white; default the map's maximum (a zero map stays black). */
  readonly max?: number;
  /** Nearest-neighbour enlargement factor, for small images (default 1). */
  readonly upscale?: number;
}

/**
 * Encodes a saliency map [H, W] as an 8-bit greyscale PNG, black for 0 and white for `max`, so
 * reports can show it next to the clean and adversarial images.
 */
export async function saliencyPng(
  saliency: tf.Tensor,
  options: SaliencyPngOptions = {},
): Promise<Uint8Array> {
  if (saliency.rank !== 2)
    throw new ArgumentError('saliency', `needs one map [H, W]; got rank ${saliency.rank}`);
  const upscale = options.upscale ?? 1;
  if (!Number.isInteger(upscale) || upscale < 1)
    throw new ArgumentError('upscale', `must be an integer ≥ 1; got ${upscale}`);
  const [h, w] = saliency.shape as [number, number];
  const values = Float32Array.from(await saliency.data());
  const max = options.max ?? values.reduce((m, v) => Math.max(m, v), 0);
  if (!(max >= 0)) throw new ArgumentError('max', `must be ≥ 0; got ${max}`);
  const H = h * upscale;
  const W = w * upscale;
  const data = new Uint8Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = values[Math.floor(y / upscale) * w + Math.floor(x / upscale)] ?? 0;
      data[y * W + x] = max > 0 ? Math.round(Math.min(1, Math.max(0, v / max)) * 255) : 0;
    }
  }
  return encode({ width: W, height: H, data, channels: 1, depth: 8 });
}
