// MaxPoolGrad of 2×2 windows at stride 2 without padding (the usual CNN pooling), for mlap's
// wasm backend: dx gets each window's dy at the window's first maximum (row-major order, as
// tfjs's cpu kernel and TensorFlow choose) and 0 elsewhere; a window of only NaN or −∞ passes
// nothing. Windows tile the input, so one pass writes every element of dx: no zeroing pass, no
// list of maxima kept between calls. Four channels at a time; like winograd.c, this file uses
// no stack and no static data.

#include "lanes.h"

// One output row r of one image: windows (2r, 2c) … (2r + 1, 2c + 1) for every column c.
static void pool_row(const float* x, const float* dy, float* dx, int w, int ch, int ow, int r) {
  const long row = (long)w * ch;
  const float* x0 = x + 2L * r * row;
  float* d0 = dx + 2L * r * row;
  const float* g = dy + (long)r * ow * ch;
  for (int c = 0; c < ow; c++) {
    const long at = 2L * c * ch;
    for (int d = 0; d < ch; d += 4) {
      const int rem = ch - d;
      const long i0 = at + d, i1 = i0 + ch;
      const f4 v0 = load_part(x0 + i0, rem), v1 = load_part(x0 + i1, rem);
      const f4 v2 = load_part(x0 + row + i0, rem), v3 = load_part(x0 + row + i1, rem);
      // Strict improvements over −∞, in window order: the last one is the first maximum
      // (comparisons with NaN are false, so NaN never wins).
      f4 best = wasm_f32x4_splat(-__builtin_inff());
      const f4 m0 = wasm_f32x4_gt(v0, best);
      best = wasm_v128_bitselect(v0, best, m0);
      const f4 m1 = wasm_f32x4_gt(v1, best);
      best = wasm_v128_bitselect(v1, best, m1);
      const f4 m2 = wasm_f32x4_gt(v2, best);
      best = wasm_v128_bitselect(v2, best, m2);
      const f4 m3 = wasm_f32x4_gt(v3, best);
      const f4 later3 = m3, later2 = wasm_v128_or(m2, later3), later1 = wasm_v128_or(m1, later2);
      const f4 grad = load_part(g + (long)c * ch + d, rem);
      store_part(d0 + i0, wasm_v128_and(grad, wasm_v128_andnot(m0, later1)), rem);
      store_part(d0 + i1, wasm_v128_and(grad, wasm_v128_andnot(m1, later2)), rem);
      store_part(d0 + row + i0, wasm_v128_and(grad, wasm_v128_andnot(m2, later3)), rem);
      store_part(d0 + row + i1, wasm_v128_and(grad, m3), rem);
    }
  }
  // An odd width leaves a last column no window covers.
  for (long i = 2L * ow * ch; i < row; i++) d0[i] = d0[row + i] = 0.0f;
}

// dx [n][h][w][ch] from x (the pooled input) and dy [n][h/2][w/2][ch]. Threads share the output
// rows through `next` (0 at the start), as conv shares its tiles.
__attribute__((export_name("max_pool_grad_2x2")))
int max_pool_grad_2x2(const float* x, const float* dy, float* dx, int n, int h, int w, int ch,
                      int* next) {
  const int oh = h / 2, ow = w / 2;
  const long image = (long)h * w * ch;
  for (;;) {
    const int job = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
    if (job >= n) break;
    const float* xi = x + job * image;
    float* di = dx + job * image;
    for (int r = 0; r < oh; r++) pool_row(xi, dy + (long)job * oh * ow * ch, di, w, ch, ow, r);
    // An odd height leaves a last row no window covers.
    for (long i = 2L * oh * w * ch; i < image; i++) di[i] = 0.0f;
  }
  return 0;
}
