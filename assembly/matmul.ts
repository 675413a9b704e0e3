// MATMUL: dst (m x n) = op(a) * op(b), column-major, all four transpose cases.
//
// Except for a' * b, every C entry is summed in plain p order,
// c = ((0 + a0 b0) + a1 b1) + ..., in every path below, so the paths agree
// bit for bit (and the unfused build with a plain scalar loop).
//
// From 32 x 32 up (`gemmPacked`): GotoBLAS-style blocking. K runs in blocks
// of KC, the rows of A in blocks of MC; each MC x KC block of A is packed
// into 4-row panels and each KC x 5 block of B row by row, and a 4 x 5
// register block (10 f64x2 accumulators, 2 vector loads and 5 splats per
// 10 multiply-adds) streams both. Later K blocks start from the sums in C.
// Smaller or skinny shapes (`gemmCols`) use 4 x 4 register blocks straight
// from A and B. The case a' * b has no contiguous 4-row slice of A; it uses
// dot products of contiguous columns (`gemmDots`), blocked 4 x 2.
//
// Measured on a 2-core AMD EPYC (Zen 3), Node 20 / V8 11.3, SIMD128 build,
// old and new kernels in one process, interleaved (GFLOP/s, n = 64/128/256):
// unpacked 4 x 4 14.0/14.2/10.4-12.8; packed 4 x 4 with K and M blocking
// 13.9/14.6/14.0; packed 4 x 5 (kept) 16.5/16.7/15.8. Dropped:
// - packing only B for the 4 x 4 block: no gain (14.6/14.9/12.5).
// - B packed as (b0,b1),(b1,b0) pairs so vector loads replace splats: -2%.
// - the p loop unrolled by 2: -25%; V8 issues all loads of both steps
//   first and spills.
// - 4 x 6 (12 accumulators): 30% slower in a probe; with the 2 A vectors,
//   a splat and a product it needs 16 xmm registers, V8 gives 15.
// - a kernel that stores through a cI branch (the C' of a' b' written
//   transposed) got the same spills, 1.7x slower: the kernels store whole
//   vectors, a' b' packs A by gathering, partial panels go through `tile`.
// - KC/MC 256/64, 256/128: within 3% of 128/128; 512/32: -5%.
// - packing below 32: 0.83x at 16^3, 0.94x at 24^3, 1.06x at 32^3; at
//   4 x 64 x 64 (one panel per packed B block) 0.6x: hence PACK_MIN.
import { madd, hsum } from './simd';

// Packed panels live in the module's static memory (below heapBase). An
// MC x KC block of A (128 KB) stays in L2 while every 5-column block of B
// (KC x 5, 5 KB) passes over it from L1. The unoptimized debug build uses
// tiny blocks and packs from 4 x 4 up, so tests on small matrices cover
// every blocked path (several K and M blocks, partial panels).
// @ts-ignore: decorator
@inline const KC: i32 = ASC_OPTIMIZE_LEVEL > 0 ? 128 : 8;
// @ts-ignore: decorator
@inline const MC: i32 = ASC_OPTIMIZE_LEVEL > 0 ? 128 : 8;
// Below PACK_MIN rows or columns packing costs more than it saves.
// @ts-ignore: decorator
@inline const PACK_MIN: i32 = ASC_OPTIMIZE_LEVEL > 0 ? 32 : 4;
const apack: usize = memory.data(MC * KC * 8, 16);
const bpack: usize = memory.data(KC * 5 * 8, 16);
/** A 4 x 5 block of C for kernels that cannot store into C directly. */
const tile: usize = memory.data(4 * 5 * 8, 16);

/**
 * C(i,j) = sum_p A(i,p) B(p,j) for i < M, j < N, p < K.
 * Byte strides: A(i,p) at a + aI i + aP p; B(p,j) at b + bP p + bJ j;
 * C(i,j) at c + 8 i + cJ j.
 */
function gemmPacked(c: usize, cJ: usize, a: usize, aI: usize, aP: usize, b: usize, bP: usize, bJ: usize, M: i32, N: i32, K: i32): void {
  // Column blocks: 5 wide, then up to four 4 wide, so N >= 16 needs nothing narrower.
  const n5 = N - 4 * min((N % 5) * 4 % 5, N >> 2);
  let k0 = 0;
  do {
    const kc = min(K - k0, KC);
    const acc = k0 > 0;
    const ak = a + aP * <usize>k0, bk = b + bP * <usize>k0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(M - i0, MC);
      const ci = c + (<usize>i0 << 3);
      packA(ak + aI * <usize>i0, aI, aP, mc, kc);
      let j = 0;
      for (; j + 5 <= n5; j += 5) {
        packB(bk + bJ * <usize>j, bP, bJ, kc, 5);
        for (let i = 0; i < mc; i += 4) {
          const cij = ci + (<usize>i << 3) + cJ * <usize>j, pa = apack + <usize>(i * kc << 3);
          if (i + 4 <= mc) {
            kernel4x5(cij, cJ, pa, kc, acc);
          } else {
            if (acc) toTile(cij, cJ, mc - i, 5);
            kernel4x5(tile, 32, pa, kc, acc);
            fromTile(cij, cJ, mc - i, 5);
          }
        }
      }
      for (; j + 4 <= N; j += 4) {
        packB(bk + bJ * <usize>j, bP, bJ, kc, 4);
        for (let i = 0; i < mc; i += 4) {
          const cij = ci + (<usize>i << 3) + cJ * <usize>j, pa = apack + <usize>(i * kc << 3);
          if (i + 4 <= mc) {
            kernel4x4(cij, cJ, pa, kc, acc);
          } else {
            if (acc) toTile(cij, cJ, mc - i, 4);
            kernel4x4(tile, 32, pa, kc, acc);
            fromTile(cij, cJ, mc - i, 4);
          }
        }
      }
      for (; j < N; j++) {
        const bj = bk + bJ * <usize>j;
        for (let i = 0; i < mc; i += 4) {
          const cij = ci + (<usize>i << 3) + cJ * <usize>j, pa = apack + <usize>(i * kc << 3);
          if (i + 4 <= mc) {
            kernel4x1(cij, pa, bj, bP, kc, acc);
          } else {
            if (acc) toTile(cij, cJ, mc - i, 1);
            kernel4x1(tile, pa, bj, bP, kc, acc);
            fromTile(cij, cJ, mc - i, 1);
          }
        }
      }
    }
    k0 += KC;
  } while (k0 < K);
}

/** C(i..i+rows-1, j..j+w-1) (rows < 4) into the tile (column stride 32) and back. */
function toTile(c: usize, cJ: usize, rows: i32, w: i32): void {
  for (let t = 0; t < w; t++) {
    for (let r = 0; r < rows; r++) store<f64>(tile + (<usize>(r + 4 * t) << 3), load<f64>(c + (<usize>r << 3) + cJ * <usize>t));
  }
}

function fromTile(c: usize, cJ: usize, rows: i32, w: i32): void {
  for (let t = 0; t < w; t++) {
    for (let r = 0; r < rows; r++) store<f64>(c + (<usize>r << 3) + cJ * <usize>t, load<f64>(tile + (<usize>(r + 4 * t) << 3)));
  }
}

/** Rows 0..mc-1, p < kc of A into 4-row panels of kc * 32 bytes; rows past mc are 0. */
function packA(a: usize, aI: usize, aP: usize, mc: i32, kc: i32): void {
  let q = apack;
  for (let i = 0; i < mc; i += 4) {
    let pa = a + aI * <usize>i;
    const end = q + (<usize>kc << 5);
    if (aI == 8 && i + 4 <= mc) {
      while (q < end) {
        v128.store(q, v128.load(pa));
        v128.store(q, v128.load(pa, 16), 16);
        pa += aP;
        q += 32;
      }
    } else {
      const r = min(mc - i, 4);
      while (q < end) {
        v128.store(q, f64x2.splat(0));
        v128.store(q, f64x2.splat(0), 16);
        for (let t = 0; t < r; t++) store<f64>(q + (<usize>t << 3), load<f64>(pa + aI * <usize>t));
        pa += aP;
        q += 32;
      }
    }
  }
}

/** B(p, j..j+w-1), p < kc, contiguous (w = 4 or 5). */
function packB(b: usize, bP: usize, bJ: usize, kc: i32, w: i32): void {
  let q = bpack;
  for (let p = 0; p < kc; p++) {
    let pb = b;
    for (let t = 0; t < w; t++) {
      store<f64>(q, load<f64>(pb));
      q += 8;
      pb += bJ;
    }
    b += bP;
  }
}

// The kernels store whole vectors only: a conditional store after the loop
// made V8 spill accumulators inside it (measured 1.7x slower).
// @ts-ignore: decorator
@inline function init(c: usize, acc: bool): v128 {
  return acc ? v128.load(c) : f64x2.splat(0);
}

/** A packed 4-row panel at pa times the packed KC x 4 block of B; C(i,j) at c + 8 i + cJ j. */
function kernel4x4(c: usize, cJ: usize, pa: usize, kc: i32, acc: bool): void {
  const c1 = c + cJ, c2 = c1 + cJ, c3 = c2 + cJ;
  let c00 = init(c, acc), c10 = init(c + 16, acc);
  let c01 = init(c1, acc), c11 = init(c1 + 16, acc);
  let c02 = init(c2, acc), c12 = init(c2 + 16, acc);
  let c03 = init(c3, acc), c13 = init(c3 + 16, acc);
  let pb = bpack;
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    let bv = v128.load64_splat(pb);
    c00 = madd(a0, bv, c00); c10 = madd(a1, bv, c10);
    bv = v128.load64_splat(pb, 8);
    c01 = madd(a0, bv, c01); c11 = madd(a1, bv, c11);
    bv = v128.load64_splat(pb, 16);
    c02 = madd(a0, bv, c02); c12 = madd(a1, bv, c12);
    bv = v128.load64_splat(pb, 24);
    c03 = madd(a0, bv, c03); c13 = madd(a1, bv, c13);
    pa += 32;
    pb += 32;
  }
  v128.store(c, c00); v128.store(c, c10, 16);
  v128.store(c1, c01); v128.store(c1, c11, 16);
  v128.store(c2, c02); v128.store(c2, c12, 16);
  v128.store(c3, c03); v128.store(c3, c13, 16);
}

/** The same with 5 columns: 10 accumulators, the most that fit V8's 15 xmm registers. */
function kernel4x5(c: usize, cJ: usize, pa: usize, kc: i32, acc: bool): void {
  const c1 = c + cJ, c2 = c1 + cJ, c3 = c2 + cJ, c4 = c3 + cJ;
  let c00 = init(c, acc), c10 = init(c + 16, acc);
  let c01 = init(c1, acc), c11 = init(c1 + 16, acc);
  let c02 = init(c2, acc), c12 = init(c2 + 16, acc);
  let c03 = init(c3, acc), c13 = init(c3 + 16, acc);
  let c04 = init(c4, acc), c14 = init(c4 + 16, acc);
  let pb = bpack;
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    let bv = v128.load64_splat(pb);
    c00 = madd(a0, bv, c00); c10 = madd(a1, bv, c10);
    bv = v128.load64_splat(pb, 8);
    c01 = madd(a0, bv, c01); c11 = madd(a1, bv, c11);
    bv = v128.load64_splat(pb, 16);
    c02 = madd(a0, bv, c02); c12 = madd(a1, bv, c12);
    bv = v128.load64_splat(pb, 24);
    c03 = madd(a0, bv, c03); c13 = madd(a1, bv, c13);
    bv = v128.load64_splat(pb, 32);
    c04 = madd(a0, bv, c04); c14 = madd(a1, bv, c14);
    pa += 32;
    pb += 40;
  }
  v128.store(c, c00); v128.store(c, c10, 16);
  v128.store(c1, c01); v128.store(c1, c11, 16);
  v128.store(c2, c02); v128.store(c2, c12, 16);
  v128.store(c3, c03); v128.store(c3, c13, 16);
  v128.store(c4, c04); v128.store(c4, c14, 16);
}

/** One column of B, read in place (stride bP). */
function kernel4x1(c: usize, pa: usize, b: usize, bP: usize, kc: i32, acc: bool): void {
  let c0 = init(c, acc), c1 = init(c + 16, acc);
  let pb = b;
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const bv = v128.load64_splat(pb);
    c0 = madd(v128.load(pa), bv, c0);
    c1 = madd(v128.load(pa, 16), bv, c1);
    pa += 32;
    pb += bP;
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/**
 * Without packing, for fewer than 4 rows or columns (packing would cost a
 * second pass over A or B). Byte strides: A(i,p) at a + 8 i + aP p;
 * B(p,j) at b + bP p + bJ j; C(i,j) at c + cI i + cJ j. cI == 8 stores whole
 * vectors; any other cI stores lanes one by one.
 */
function gemmCols(c: usize, cI: usize, cJ: usize, a: usize, aP: usize, b: usize, bP: usize, bJ: usize, M: i32, N: i32, K: i32): void {
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    const bj = b + bJ * <usize>j;
    const cj = c + cJ * <usize>j;
    let i = 0;
    for (; i + 4 <= M; i += 4) block4x4(cj + cI * <usize>i, cI, cJ, a + (<usize>i << 3), aP, bj, bP, bJ, K);
    for (; i + 2 <= M; i += 2) block2x4(cj + cI * <usize>i, cI, cJ, a + (<usize>i << 3), aP, bj, bP, bJ, K);
    if (i < M) block1x4(cj + cI * <usize>i, cJ, a + (<usize>i << 3), aP, bj, bP, bJ, K);
  }
  for (; j < N; j++) {
    const bj = b + bJ * <usize>j;
    const cj = c + cJ * <usize>j;
    let i = 0;
    for (; i + 4 <= M; i += 4) block4x1(cj + cI * <usize>i, cI, a + (<usize>i << 3), aP, bj, bP, K);
    for (; i + 2 <= M; i += 2) block2x1(cj + cI * <usize>i, cI, a + (<usize>i << 3), aP, bj, bP, K);
    if (i < M) block1x1(cj + cI * <usize>i, a + (<usize>i << 3), aP, bj, bP, K);
  }
}

// @ts-ignore: decorator
@inline function store2(c: usize, cI: usize, v: v128): void {
  if (cI == 8) {
    v128.store(c, v);
  } else {
    store<f64>(c, f64x2.extract_lane(v, 0));
    store<f64>(c + cI, f64x2.extract_lane(v, 1));
  }
}

function block4x4(c: usize, cI: usize, cJ: usize, a: usize, aP: usize, b: usize, bP: usize, bJ: usize, K: i32): void {
  let c00 = f64x2.splat(0), c10 = f64x2.splat(0);
  let c01 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c02 = f64x2.splat(0), c12 = f64x2.splat(0);
  let c03 = f64x2.splat(0), c13 = f64x2.splat(0);
  const bJ2 = bJ + bJ, bJ3 = bJ2 + bJ;
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    let bv = v128.load64_splat(pb);
    c00 = madd(a0, bv, c00); c10 = madd(a1, bv, c10);
    bv = v128.load64_splat(pb + bJ);
    c01 = madd(a0, bv, c01); c11 = madd(a1, bv, c11);
    bv = v128.load64_splat(pb + bJ2);
    c02 = madd(a0, bv, c02); c12 = madd(a1, bv, c12);
    bv = v128.load64_splat(pb + bJ3);
    c03 = madd(a0, bv, c03); c13 = madd(a1, bv, c13);
    pa += aP;
    pb += bP;
  }
  const cI2 = cI + cI;
  store2(c, cI, c00); store2(c + cI2, cI, c10);
  c += cJ;
  store2(c, cI, c01); store2(c + cI2, cI, c11);
  c += cJ;
  store2(c, cI, c02); store2(c + cI2, cI, c12);
  c += cJ;
  store2(c, cI, c03); store2(c + cI2, cI, c13);
}

function block2x4(c: usize, cI: usize, cJ: usize, a: usize, aP: usize, b: usize, bP: usize, bJ: usize, K: i32): void {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
  const bJ2 = bJ + bJ, bJ3 = bJ2 + bJ;
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    const a0 = v128.load(pa);
    c0 = madd(a0, v128.load64_splat(pb), c0);
    c1 = madd(a0, v128.load64_splat(pb + bJ), c1);
    c2 = madd(a0, v128.load64_splat(pb + bJ2), c2);
    c3 = madd(a0, v128.load64_splat(pb + bJ3), c3);
    pa += aP;
    pb += bP;
  }
  store2(c, cI, c0); c += cJ;
  store2(c, cI, c1); c += cJ;
  store2(c, cI, c2); c += cJ;
  store2(c, cI, c3);
}

function block1x4(c: usize, cJ: usize, a: usize, aP: usize, b: usize, bP: usize, bJ: usize, K: i32): void {
  // Lanes hold columns (j, j+1) and (j+2, j+3).
  let c01 = f64x2.splat(0), c23 = f64x2.splat(0);
  const bJ2 = bJ + bJ, bJ3 = bJ2 + bJ;
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    const av = v128.load64_splat(pa);
    const b01 = f64x2.replace_lane(v128.load64_splat(pb), 1, load<f64>(pb + bJ));
    const b23 = f64x2.replace_lane(v128.load64_splat(pb + bJ2), 1, load<f64>(pb + bJ3));
    c01 = madd(av, b01, c01);
    c23 = madd(av, b23, c23);
    pa += aP;
    pb += bP;
  }
  store<f64>(c, f64x2.extract_lane(c01, 0)); c += cJ;
  store<f64>(c, f64x2.extract_lane(c01, 1)); c += cJ;
  store<f64>(c, f64x2.extract_lane(c23, 0)); c += cJ;
  store<f64>(c, f64x2.extract_lane(c23, 1));
}

function block4x1(c: usize, cI: usize, a: usize, aP: usize, b: usize, bP: usize, K: i32): void {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    const bv = v128.load64_splat(pb);
    c0 = madd(v128.load(pa), bv, c0);
    c1 = madd(v128.load(pa, 16), bv, c1);
    pa += aP;
    pb += bP;
  }
  store2(c, cI, c0);
  store2(c + cI + cI, cI, c1);
}

function block2x1(c: usize, cI: usize, a: usize, aP: usize, b: usize, bP: usize, K: i32): void {
  let c0 = f64x2.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    c0 = madd(v128.load(pa), v128.load64_splat(pb), c0);
    pa += aP;
    pb += bP;
  }
  store2(c, cI, c0);
}

function block1x1(c: usize, a: usize, aP: usize, b: usize, bP: usize, K: i32): void {
  // One lane of a vector op, so the relaxed build fuses here as well.
  let c0 = f64x2.splat(0);
  let pa = a, pb = b;
  for (let p = 0; p < K; p++) {
    c0 = madd(v128.load64_splat(pa), v128.load64_splat(pb), c0);
    pa += aP;
    pb += bP;
  }
  store<f64>(c, f64x2.extract_lane(c0, 0));
}

/**
 * C (M x N) = A' B with A stored K x M, B stored K x N: every entry is a dot
 * product of two contiguous columns. Lane 0 sums even p, lane 1 odd p, then
 * the odd tail; all block shapes use this order.
 */
function gemmDots(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32): void {
  const col = <usize>K << 3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + col * <usize>i;
    let j = 0;
    for (; j + 2 <= N; j += 2) dots4x2(c + (<usize>(i + j * M) << 3), <usize>M << 3, a0, b + col * <usize>j, col, K);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) {
        store<f64>(c + (<usize>(i + r + j * M) << 3), dot1(a0 + col * <usize>r, b + col * <usize>j, K));
      }
    }
  }
  for (; i < M; i++) {
    for (let j = 0; j < N; j++) {
      store<f64>(c + (<usize>(i + j * M) << 3), dot1(a + col * <usize>i, b + col * <usize>j, K));
    }
  }
}

function dot1(x: usize, y: usize, K: i32): f64 {
  let acc = f64x2.splat(0);
  let p = 0;
  for (; p + 2 <= K; p += 2) {
    const o = <usize>p << 3;
    acc = madd(v128.load(x + o), v128.load(y + o), acc);
  }
  let s = hsum(acc);
  if (p < K) s = tail(s, x, y, p);
  return s;
}

// @ts-ignore: decorator
@inline function tail(s: f64, x: usize, y: usize, p: i32): f64 {
  const o = <usize>p << 3;
  // A single fused or unfused lane, matching the vector body.
  const v = madd(v128.load64_splat(x + o), v128.load64_splat(y + o), f64x2.splat(s));
  return f64x2.extract_lane(v, 0);
}

function dots4x2(c: usize, ldc: usize, a0: usize, b0: usize, col: usize, K: i32): void {
  const a1 = a0 + col, a2 = a1 + col, a3 = a2 + col;
  const b1 = b0 + col;
  let s00 = f64x2.splat(0), s10 = f64x2.splat(0), s20 = f64x2.splat(0), s30 = f64x2.splat(0);
  let s01 = f64x2.splat(0), s11 = f64x2.splat(0), s21 = f64x2.splat(0), s31 = f64x2.splat(0);
  let p = 0;
  for (; p + 2 <= K; p += 2) {
    const o = <usize>p << 3;
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), x2 = v128.load(a2 + o), x3 = v128.load(a3 + o);
    let y = v128.load(b0 + o);
    s00 = madd(x0, y, s00); s10 = madd(x1, y, s10); s20 = madd(x2, y, s20); s30 = madd(x3, y, s30);
    y = v128.load(b1 + o);
    s01 = madd(x0, y, s01); s11 = madd(x1, y, s11); s21 = madd(x2, y, s21); s31 = madd(x3, y, s31);
  }
  let r00 = hsum(s00), r10 = hsum(s10), r20 = hsum(s20), r30 = hsum(s30);
  let r01 = hsum(s01), r11 = hsum(s11), r21 = hsum(s21), r31 = hsum(s31);
  if (p < K) {
    r00 = tail(r00, a0, b0, p); r10 = tail(r10, a1, b0, p); r20 = tail(r20, a2, b0, p); r30 = tail(r30, a3, b0, p);
    r01 = tail(r01, a0, b1, p); r11 = tail(r11, a1, b1, p); r21 = tail(r21, a2, b1, p); r31 = tail(r31, a3, b1, p);
  }
  store<f64>(c, r00); store<f64>(c, r10, 8); store<f64>(c, r20, 16); store<f64>(c, r30, 24);
  c += ldc;
  store<f64>(c, r01); store<f64>(c, r11, 8); store<f64>(c, r21, 16); store<f64>(c, r31, 24);
}

/** MATMUL (op 5). `flags` bit 0: a is stored k x m and transposed; bit 1: b is stored n x k and transposed. */
export function matmul(dst: usize, a: usize, b: usize, m: i32, n: i32, k: i32, flags: i32): void {
  const m8 = <usize>m << 3, n8 = <usize>n << 3, k8 = <usize>k << 3;
  const packed = m >= PACK_MIN && n >= PACK_MIN;
  switch (flags & 3) {
    case 0: // A(i,p) = a[i + p m], B(p,j) = b[p + j k]
      if (packed) gemmPacked(dst, m8, a, 8, m8, b, 8, k8, m, n, k);
      else gemmCols(dst, 8, m8, a, m8, b, 8, k8, m, n, k);
      break;
    case 2: // B(p,j) = b[j + p n]
      if (packed) gemmPacked(dst, m8, a, 8, m8, b, n8, 8, m, n, k);
      else gemmCols(dst, 8, m8, a, m8, b, n8, 8, m, n, k);
      break;
    case 3: // A(i,p) = a[p + i k], B(p,j) = b[j + p n]
      if (packed) gemmPacked(dst, m8, a, k8, 8, b, n8, 8, m, n, k);
      // C' (n x m) = b_stored (n x k) * a_stored (k x m), written transposed into C
      else gemmCols(dst, m8, 8, b, n8, a, 8, k8, n, m, k);
      break;
    default: // a' b: dot products of stored columns
      gemmDots(dst, a, b, m, n, k);
  }
}

/**
 * TRACE_MATMUL: tr(op(a) * op(b)) for an m x m product with inner dimension
 * k, flags as MATMUL's. Only the m diagonal entries are formed (m k
 * multiply-adds, not m^2 k), each summed as MATMUL sums it (p order from 0
 * with `madd`, or `dot1` for a' b), then added in i order as TRACE adds: the
 * same bits as TRACE of MATMUL, in both builds.
 */
export function traceMatmul(a: usize, b: usize, m: i32, k: i32, flags: i32): f64 {
  const M = <usize>m, K = <usize>k;
  let s = 0.0;
  if ((flags & 3) == 1) {
    // a' b: A's row i and B's column i are the stored columns i.
    for (let i: usize = 0; i < M; i++) s += dot1(a + ((i * K) << 3), b + ((i * K) << 3), k);
    return s;
  }
  // Strides, in entries, of A(i, p) and B(p, i) as stored.
  const aI: usize = flags & 1 ? K : 1, aP: usize = flags & 1 ? 1 : M;
  const bI: usize = flags & 2 ? 1 : K, bP: usize = flags & 2 ? M : 1;
  let i: usize = 0;
  // Two diagonal entries a pass, one per lane.
  for (; i + 2 <= M; i += 2) {
    const a0 = a + ((i * aI) << 3), a1 = a0 + (aI << 3);
    const b0 = b + ((i * bI) << 3), b1 = b0 + (bI << 3);
    let c = f64x2.splat(0);
    for (let p: usize = 0; p < K; p++) {
      const oa = (p * aP) << 3, ob = (p * bP) << 3;
      const x = f64x2.replace_lane(v128.load64_splat(a0 + oa), 1, load<f64>(a1 + oa));
      const y = f64x2.replace_lane(v128.load64_splat(b0 + ob), 1, load<f64>(b1 + ob));
      c = madd(x, y, c);
    }
    s += f64x2.extract_lane(c, 0);
    s += f64x2.extract_lane(c, 1);
  }
  if (i < M) {
    const a0 = a + ((i * aI) << 3), b0 = b + ((i * bI) << 3);
    let c = f64x2.splat(0);
    for (let p: usize = 0; p < K; p++) c = madd(v128.load64_splat(a0 + ((p * aP) << 3)), v128.load64_splat(b0 + ((p * bP) << 3)), c);
    s += f64x2.extract_lane(c, 0);
  }
  return s;
}
