import { setupBackend } from '@mlap/backend';
import * as tf from '@tensorflow/tfjs-core';
const info = await setupBackend({ backend: 'wasm', quiet: true, wasmThreads: Number(process.env.T ?? 1), winograd: process.env.W !== '0' });
console.log(info.summary, info.winograd);
for (const [n,h,ci,co] of [[32,32,3,32],[32,32,32,64],[32,16,64,64],[32,32,64,32],[32,32,32,3]]) {
  const x = tf.randomUniform([n,h,h,ci]); const w = tf.randomNormal([3,3,ci,co]);
  let best = 1e9; const all: number[] = [];
  for (let r = 0; r < 60; r++) { const t = performance.now(); const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'); await y.data(); const ms = performance.now()-t; all.push(ms); best = Math.min(best, ms); y.dispose(); }
  all.sort((a,b)=>a-b);
  console.log(`${n}x${h}x${h}x${ci} -> ${co}: best ${best.toFixed(2)} median ${all[30]!.toFixed(2)} ms`);
  tf.dispose([x,w]);
}
