// MATMUL: dst (m x n) = op(a) * op(b), column-major, all four transpose cases.
//
// Three of the cases map onto one register-blocked kernel (`gemmCols`) that
// builds 4 x 4 blocks of C from contiguous 4-row slices of a column of A and
// broadcast entries of B: 8 f64x2 accumulators, 2 vector loads and 4 splats
// per 8 multiply-adds. Every C entry is summed in plain p order.
// The case a' * b has no contiguous 4-row slice of A; it uses dot products of
// contiguous columns (`gemmDots`), blocked 4 x 2.
import { madd, hsum } from './simd';

/**
 * C(i,j) = sum_p A(i,p) B(p,j) for i < M, j < N, p < K. Byte strides:
 * A(i,p) at a + 8 i + aP p; B(p,j) at b + bP p + bJ j; C(i,j) at c + cI i + cJ j.
 * cI == 8 stores whole vectors; any other cI stores lanes one by one.
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
  switch (flags & 3) {
    case 0: // A(i,p) = a[i + p m], B(p,j) = b[p + j k]
      gemmCols(dst, 8, m8, a, m8, b, 8, k8, m, n, k);
      break;
    case 2: // B(p,j) = b[j + p n]
      gemmCols(dst, 8, m8, a, m8, b, n8, 8, m, n, k);
      break;
    case 3: // C' (n x m) = b_stored (n x k) * a_stored (k x m), written transposed into C
      gemmCols(dst, m8, 8, b, n8, a, 8, k8, n, m, k);
      break;
    default: // a' b: dot products of stored columns
      gemmDots(dst, a, b, m, n, k);
  }
}
