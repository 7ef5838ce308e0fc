// Winograd F(4×4, 3×3) convolution for mlap's wasm backend (NHWC, stride 1, dilation 1).
//
// XNNPACK computes a 3×3 convolution as a matrix product: 9 multiply-adds per output and input
// channel. Winograd's minimal filtering computes a 4×4 output tile from a 6×6 input tile with 36
// products per channel pair instead of 144 (4× fewer), at the cost of cheap additive transforms:
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A    (Lavin & Gray, "Fast Algorithms for Convolutional
//   Neural Networks", 2016),
// where the element-wise product, summed over input channels, is 36 independent matrix products
// [tiles × Cin] · [Cin × Cout]. Those products run in a 6×8 register-blocked SIMD kernel.
//
// This module imports the tfjs wasm backend's own memory and allocates nothing: the caller
// passes every buffer (tensors and scratch from the backend's malloc). It uses no shadow stack
// and has no data segment, so it never writes outside those buffers (the build checks both).

#include "lanes.h"

#define TILE 6   // input tile side
#define OUT 4    // output tile side
#define E 36     // TILE × TILE transformed elements
#define MR 6     // rows of the product kernel
#define NR 8     // columns of the product kernel
// Floats of the work area conv needs: the 6×6, 4×6 and 4×4 tile arrays of four channels.
#define WORK_FLOATS (4 * (E + OUT * TILE + OUT * OUT))

static inline f4 add(f4 a, f4 b) { return wasm_f32x4_add(a, b); }
static inline f4 sub(f4 a, f4 b) { return wasm_f32x4_sub(a, b); }
static inline f4 mul(f4 a, f4 b) { return wasm_f32x4_mul(a, b); }
static inline f4 splat(float v) { return wasm_f32x4_splat(v); }

// Bᵀ applied to six values along one axis (in place).
static inline void bt6(f4* d, int s) {
  f4 d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s];
  f4 four = splat(4.0f), five = splat(5.0f), two = splat(2.0f);
  f4 t1 = sub(d4, mul(four, d2));  // d4 − 4d2
  f4 t2 = sub(d3, mul(four, d1));  // d3 − 4d1
  f4 t3 = sub(d4, d2);             // d4 − d2
  f4 t4 = mul(two, sub(d3, d1));   // 2(d3 − d1)
  d[0] = add(sub(mul(four, d0), mul(five, d2)), d4);
  d[s] = add(t1, t2);
  d[2 * s] = sub(t1, t2);
  d[3 * s] = add(t3, t4);
  d[4 * s] = sub(t3, t4);
  d[5 * s] = add(sub(mul(four, d1), mul(five, d3)), d5);
}

// Aᵀ applied to six values along one axis: four outputs at stride `so`.
static inline void at6(const f4* m, int s, f4* o, int so) {
  f4 m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s];
  f4 a = add(m1, m2), b = sub(m1, m2), c = add(m3, m4), d = sub(m3, m4);
  o[0] = add(add(m0, a), c);
  o[so] = add(b, mul(splat(2.0f), d));
  o[2 * so] = add(a, mul(splat(4.0f), c));
  o[3 * so] = add(add(b, mul(splat(8.0f), d)), m5);
}

// Row r of G applied to three values, four output channels at once.
static inline f4 grow(int r, f4 g0, f4 g1, f4 g2) {
  switch (r) {
    case 0: return wasm_f32x4_div(g0, splat(4.0f));
    case 1: return wasm_f32x4_neg(wasm_f32x4_div(add(add(g0, g1), g2), splat(6.0f)));
    case 2: return wasm_f32x4_neg(wasm_f32x4_div(add(sub(g0, g1), g2), splat(6.0f)));
    case 3:
      return add(add(wasm_f32x4_div(g0, splat(24.0f)), wasm_f32x4_div(g1, splat(12.0f))),
                 wasm_f32x4_div(g2, splat(6.0f)));
    case 4:
      return add(sub(wasm_f32x4_div(g0, splat(24.0f)), wasm_f32x4_div(g1, splat(12.0f))),
                 wasm_f32x4_div(g2, splat(6.0f)));
    default: return g2;
  }
}

// Transforms a filter [3][3][ci][co] into U [36][ciP][coP] = G g Gᵀ per channel pair, zero
// where c ≥ ci or o ≥ co. Returns 0 when every weight is finite.
__attribute__((export_name("filter_transform")))
int filter_transform(const float* w, float* u, int ci, int co, int ciP, int coP) {
  for (int i = 0; i < E * ciP * coP; i++) u[i] = 0.0f;
  const long k = (long)ci * co;  // stride between the filter's taps (ky·3 + kx)
  f4 finite = splat(0.0f);
  for (int c = 0; c < ci; c++) {
    for (int o = 0; o < co; o += 4) {
      const float* g = w + (long)c * co + o;
      const int rem = co - o;
      f4 tap[9];
      for (int i = 0; i < 9; i++) {
        tap[i] = load_part(g + i * k, rem);
        finite = add(finite, sub(tap[i], tap[i]));
      }
      for (int r = 0; r < TILE; r++) {
        // Row r of G g, one value per filter column kx; then that row times Gᵀ.
        const f4 h0 = grow(r, tap[0], tap[3], tap[6]);
        const f4 h1 = grow(r, tap[1], tap[4], tap[7]);
        const f4 h2 = grow(r, tap[2], tap[5], tap[8]);
        for (int s = 0; s < TILE; s++)
          wasm_v128_store(u + ((long)(r * TILE + s) * ciP + c) * coP + o, grow(s, h0, h1, h2));
      }
    }
  }
  return !wasm_i32x4_all_true(wasm_f32x4_eq(finite, splat(0.0f)));
}

// Input transform of tiles [t0, t0 + count) into V [36][tb][ciP]. Returns 0 when every value
// read was finite; a NaN or infinity would spread over a whole tile (see conv).
static int input_transform(const float* x, float* v, f4* d, int t0, int count, int tb, int h,
                            int w, int ci, int ciP, int tilesH, int tilesW, int padTop,
                            int padLeft) {
  const int perImage = tilesH * tilesW;
  f4 finite = splat(0.0f);  // stays 0 while every d − d is 0, i.e. d is finite
  for (int q = 0; q < count; q++) {
    const int t = t0 + q;
    const int b = t / perImage, th = (t % perImage) / tilesW, tw = t % tilesW;
    const int y0 = th * OUT - padTop, x0 = tw * OUT - padLeft;
    const float* image = x + (long)b * h * w * ci;
    for (int c = 0; c < ciP; c += 4) {
      const int rem = ci - c;
      for (int r = 0; r < TILE; r++) {
        const int yy = y0 + r;
        for (int s = 0; s < TILE; s++) {
          const int xx = x0 + s;
          const int inside = yy >= 0 && yy < h && xx >= 0 && xx < w && rem > 0;
          const f4 value = inside ? load_part(image + ((long)yy * w + xx) * ci + c, rem)
                                  : splat(0.0f);
          finite = add(finite, sub(value, value));
          d[r * TILE + s] = value;
        }
      }
      for (int s = 0; s < TILE; s++) bt6(d + s, TILE);   // columns: Bᵀ d
      for (int r = 0; r < TILE; r++) bt6(d + r * TILE, 1);  // rows: (Bᵀ d) B
      for (int e = 0; e < E; e++) wasm_v128_store(v + ((long)e * tb + q) * ciP + c, d[e]);
    }
  }
  return !wasm_i32x4_all_true(wasm_f32x4_eq(finite, splat(0.0f)));
}

// C [MR × NR] (row stride n) = A [MR × k] (row stride k) · B [k × NR] (row stride n).
static inline void kernel_6x8(const float* a, const float* bm, float* cm, int k, int n) {
  f4 c00 = splat(0.0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  f4 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < k; p++) {
    const f4 b0 = wasm_v128_load(bm + (long)p * n), b1 = wasm_v128_load(bm + (long)p * n + 4);
    f4 av = splat(a[p]);
    c00 = add(c00, mul(av, b0)), c01 = add(c01, mul(av, b1));
    av = splat(a[k + p]);
    c10 = add(c10, mul(av, b0)), c11 = add(c11, mul(av, b1));
    av = splat(a[2 * k + p]);
    c20 = add(c20, mul(av, b0)), c21 = add(c21, mul(av, b1));
    av = splat(a[3 * k + p]);
    c30 = add(c30, mul(av, b0)), c31 = add(c31, mul(av, b1));
    av = splat(a[4 * k + p]);
    c40 = add(c40, mul(av, b0)), c41 = add(c41, mul(av, b1));
    av = splat(a[5 * k + p]);
    c50 = add(c50, mul(av, b0)), c51 = add(c51, mul(av, b1));
  }
  wasm_v128_store(cm, c00), wasm_v128_store(cm + 4, c01);
  wasm_v128_store(cm + n, c10), wasm_v128_store(cm + n + 4, c11);
  wasm_v128_store(cm + 2 * n, c20), wasm_v128_store(cm + 2 * n + 4, c21);
  wasm_v128_store(cm + 3 * n, c30), wasm_v128_store(cm + 3 * n + 4, c31);
  wasm_v128_store(cm + 4 * n, c40), wasm_v128_store(cm + 4 * n + 4, c41);
  wasm_v128_store(cm + 5 * n, c50), wasm_v128_store(cm + 5 * n + 4, c51);
}

// M[e] = V[e] · U[e] for the 36 elements; rows = tiles of the block rounded up to MR.
static void products(const float* v, const float* u, float* m, int rows, int tb, int ciP,
                     int coP) {
  for (int e = 0; e < E; e++) {
    const float* ve = v + (long)e * tb * ciP;
    const float* ue = u + (long)e * ciP * coP;
    float* me = m + (long)e * tb * coP;
    for (int i = 0; i < rows; i += MR)
      for (int j = 0; j < coP; j += NR)
        kernel_6x8(ve + (long)i * ciP, ue + j, me + (long)i * coP + j, ciP, coP);
  }
}

// Output transform of tiles [t0, t0 + count) from M [36][tb][coP] into y [n][oh][ow][co].
static void output_transform(const float* m, float* y, f4* mm, int t0, int count, int tb,
                             int oh, int ow, int co, int coP, int tilesH, int tilesW) {
  f4* half = mm + E;            // Aᵀ m: 4 × 6
  f4* o = half + OUT * TILE;    // (Aᵀ m) A: 4 × 4
  const int perImage = tilesH * tilesW;
  for (int q = 0; q < count; q++) {
    const int t = t0 + q;
    const int b = t / perImage, th = (t % perImage) / tilesW, tw = t % tilesW;
    const int y0 = th * OUT, x0 = tw * OUT;
    float* image = y + (long)b * oh * ow * co;
    for (int c = 0; c < co; c += 4) {
      const int rem = co - c;
      for (int e = 0; e < E; e++) mm[e] = wasm_v128_load(m + ((long)e * tb + q) * coP + c);
      for (int s = 0; s < TILE; s++) at6(mm + s, TILE, half + s, TILE);    // Aᵀ m: 4 × 6
      for (int r = 0; r < OUT; r++) at6(half + r * TILE, 1, o + r * OUT, 1);  // (Aᵀ m) A
      for (int r = 0; r < OUT && y0 + r < oh; r++)
        for (int s = 0; s < OUT && x0 + s < ow; s++)
          store_part(image + ((long)(y0 + r) * ow + x0 + s) * co + c, o[r * OUT + s], rem);
    }
  }
}

// y [n][oh][ow][co] = conv(x [n][h][w][ci], filter), the filter already transformed into u by
// filter_transform. A tile is a 4×4 block of one image's output, numbered row by row and image
// by image. Threads share the work through `next`, the first tile nobody has claimed (0 at the
// start): each claims tb tiles at a time until none are left, so a thread slowed by another
// process takes fewer; a tile's arithmetic does not depend on who computes it. Padding: padTop
// rows above and padLeft columns left of x are zeros (as is anything a tile reads beyond x).
// Scratch, per thread: v holds 36·tb·ciP floats, m 36·tb·coP, work WORK_FLOATS (16-byte
// aligned; the tile arrays live there because this module has no stack); tb is a multiple of
// MR, ciP of 4, coP of NR. Returns 0 when every input value this thread read was finite;
// otherwise y is not what a direct convolution gives (Winograd mixes a tile's inputs, so one
// NaN poisons all 16 outputs) and the caller must compute it another way.
__attribute__((export_name("conv")))
int conv(const float* x, const float* u, float* y, float* v, float* m, float* work, int n,
         int h, int w, int ci, int ciP, int co, int coP, int oh, int ow, int padTop,
         int padLeft, int tb, int* next) {
  const int tilesH = (oh + OUT - 1) / OUT, tilesW = (ow + OUT - 1) / OUT;
  const int tiles = n * tilesH * tilesW;
  int nonFinite = 0;
  for (;;) {
    const int t0 = __atomic_fetch_add(next, tb, __ATOMIC_RELAXED);
    if (t0 >= tiles) break;
    const int count = tiles - t0 < tb ? tiles - t0 : tb;
    const int rows = (count + MR - 1) / MR * MR;
    nonFinite |= input_transform(x, v, (f4*)work, t0, count, tb, h, w, ci, ciP, tilesH, tilesW,
                                 padTop, padLeft);
    products(v, u, m, rows, tb, ciP, coP);
    output_transform(m, y, (f4*)work, t0, count, tb, oh, ow, co, coP, tilesH, tilesW);
  }
  return nonFinite;
}
