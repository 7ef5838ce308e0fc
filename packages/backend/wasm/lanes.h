// Four float32 lanes, and loads and stores of a partial group (the last 1–3 channels of a pixel)
// that never touch memory past it. Shared by the kernels in this folder.
#ifndef MLAP_LANES_H
#define MLAP_LANES_H

#include <wasm_simd128.h>

typedef v128_t f4;

// Loads `rem` (1–4) channels; the rest are zero.
static inline f4 load_part(const float* p, int rem) {
  if (rem >= 4) return wasm_v128_load(p);
  return wasm_f32x4_make(p[0], rem > 1 ? p[1] : 0.0f, rem > 2 ? p[2] : 0.0f, 0.0f);
}

// Stores the first `rem` (1–4) lanes.
static inline void store_part(float* p, f4 v, int rem) {
  if (rem >= 4) {
    wasm_v128_store(p, v);
    return;
  }
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (rem > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (rem > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

#endif
