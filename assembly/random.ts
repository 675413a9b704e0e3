// The random streams of a check: seedrandom's Tyche-i generator, seeded
// from a string as seedrandom seeds it, and standard normals by
// Marsaglia's polar method. Drawing here rather than in JavaScript makes a
// check's sampling several times faster, and makes the draws the same bits on
// every engine: log is the module's own (JavaScript's Math functions differ
// between engines and between Node versions).
//
// State block at `st` (32 bytes, owned by the caller):
//   0  a, b, c, d   i32 each, Tyche-i's state
//   16 spare        f64, the second normal of the last pair
//   24 hasSpare     i32, 1 while that spare is unused

import { hashBytes } from './hash';

const TWO_POW_32: f64 = 4294967296.0;
const TWO_POW_21: f64 = 2097152.0;

// One step of Tyche-i, exactly seedrandom's lib/tychei.js `next()` (the
// shifted pairs there are rotations; its last line mixes `c >>> 16`, not a
// rotation of d, and so does this).
// @ts-ignore: decorator
@inline function step(st: usize): i32 {
  let a = load<i32>(st);
  let b = load<i32>(st, 4);
  let c = load<i32>(st, 8);
  let d = load<i32>(st, 12);
  b = rotl<i32>(b, 25) ^ c;
  c = c - d;
  d = rotl<i32>(d, 24) ^ a;
  a = a - b;
  b = rotl<i32>(b, 20) ^ c;
  c = c - d;
  d = (d << 16) ^ (c >>> 16) ^ a;
  a = a - b;
  store<i32>(st, a);
  store<i32>(st, b, 4);
  store<i32>(st, c, 8);
  store<i32>(st, d, 12);
  return a;
}

/** seedrandom's `double()`: 53 bits from two steps, uniform on (0, 1). */
// @ts-ignore: decorator
@inline function uniform(st: usize): f64 {
  let u: f64;
  do {
    const top = <f64>(<u32>step(st) >>> 11);
    const bot = <f64>(<u32>step(st)) / TWO_POW_32;
    u = (top + bot) / TWO_POW_21;
  } while (u == 0);
  return u;
}

// Marsaglia's polar method (G. Marsaglia and T. A. Bray, "A convenient
// method for generating normal variables", SIAM Review 6, 1964): a point
// uniform in the unit disc gives two independent normals with one log and
// no sin or cos. The disc rejects 21% of points; measured here, 18.6 ns a
// normal against 22.5 ns for Box-Muller with sincos.
// @ts-ignore: decorator
@inline function normal(st: usize): f64 {
  if (load<i32>(st, 24) != 0) {
    store<i32>(st, 0, 24);
    return load<f64>(st, 16);
  }
  let u: f64, v: f64, s: f64;
  do {
    u = 2.0 * uniform(st) - 1.0;
    v = 2.0 * uniform(st) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const m = Math.sqrt((-2.0 * Math.log(s)) / s);
  store<f64>(st, v * m, 16);
  store<i32>(st, 1, 24);
  return u * m;
}

/**
 * Seeds the state block at `st` from a string, as seedrandom's tychei does
 * with a string seed: a = 0, b = 0, c = 2654435769 | 0, d = 1367130551, then
 * for each of the string's `len` code units and 20 more, b ^= the unit (0
 * past the end) and one step. No spare normal. `wide`: the units are u16
 * (UTF-16), else u8 (hex digits). In TypeScript seedrandom took 0.6 us.
 */
// @ts-ignore: decorator
@inline function seed(st: usize, chars: usize, len: i32, wide: bool): void {
  store<i32>(st, 0);
  store<i32>(st, 0, 4);
  store<i32>(st, <i32>2654435769, 8);
  store<i32>(st, 1367130551, 12);
  store<f64>(st, 0, 16);
  store<i32>(st, 0, 24);
  for (let k = 0; k < len + 20; k++) {
    if (k < len) {
      const unit = wide ? <i32>load<u16>(chars + (<usize>k << 1)) : <i32>load<u8>(chars + <usize>k);
      store<i32>(st, load<i32>(st, 4) ^ unit, 4);
    }
    step(st);
  }
}

/** Seeds `st` from the `len` UTF-16 code units at `chars`: seedrandom's tychei(string). */
export function rngSeed(st: usize, chars: usize, len: i32): void {
  seed(st, chars, len, true);
}

/**
 * Seeds `st` from the hash of the `len` bytes at `bytes` (hashBytes): the
 * generator of a trial, whose seed string is never needed, with no string
 * crossing to JavaScript and back. `digits`: 16 bytes of work space.
 */
export function rngSeedHashed(st: usize, bytes: usize, len: i32, digits: usize): void {
  hashBytes(bytes, len, digits);
  seed(st, digits, 16, false);
}

/** One uniform draw on (0, 1). */
export function rngUniform(st: usize): f64 {
  return uniform(st);
}

/** One standard normal draw. */
export function rngNormal(st: usize): f64 {
  return normal(st);
}

/** out[0 .. n) = n standard normals, the same values as n calls of rngNormal. */
export function rngNormals(st: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), normal(st));
}

/** out[0 .. n) = lo + width * u for n uniform draws u. */
export function rngUniforms(st: usize, out: usize, n: i32, lo: f64, width: f64): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), lo + width * uniform(st));
}

// A state block and a staging area the TypeScript side may always use: draws
// for a JavaScript array are made here and copied out.
const STATE = memory.data(32, 16);
const STAGING_LENGTH: i32 = 512;
const STAGING = memory.data(STAGING_LENGTH << 3, 16);

/** Address of the module's state block (32 bytes). */
export function rngState(): usize {
  return STATE;
}

/** Address of the staging area (rngStagingLength() f64). */
export function rngStaging(): usize {
  return STAGING;
}

export function rngStagingLength(): i32 {
  return STAGING_LENGTH;
}

/** Address of entry (i, j) of a column-major matrix with `rows` rows. */
// @ts-ignore: decorator
@inline function at(base: usize, i: usize, j: usize, rows: usize): usize {
  return base + ((i + j * rows) << 3);
}

/**
 * A Haar-distributed n x n orthogonal matrix into out (column-major): the Q
 * of a Gaussian matrix's Householder QR with the signs fixed so that R has a
 * positive diagonal. The same draws and the same arithmetic, operation for
 * operation, as src/sample/orthogonal.ts (so the same bits; a test checks).
 * work: n * n + n f64 (the Gaussian matrix, whose column k then holds the
 * k-th reflector from row k down, and each reflector's sign, 0 for none).
 */
export function rngOrthogonal(st: usize, n: i32, out: usize, work: usize): void {
  const a = work;
  const signs = work + (<usize>(n * n) << 3);
  const N = <usize>n;
  rngNormals(st, a, n * n);
  for (let k: usize = 0; k < N; k++) {
    let norm2 = 0.0;
    for (let i = k; i < N; i++) {
      const x = load<f64>(at(a, i, k, N));
      norm2 += x * x;
    }
    const norm = Math.sqrt(norm2);
    if (norm == 0) {
      // Probability zero for a Gaussian column; H_k = I, R_kk = 0.
      store<f64>(signs + (k << 3), 0.0);
      continue;
    }
    const x0 = load<f64>(at(a, k, k, N));
    // alpha has the sign opposite to x0, so v0 = x0 - alpha does not cancel.
    const alpha = x0 >= 0 ? -norm : norm;
    // v = a[k.., k] with v0 -= alpha, kept in place.
    store<f64>(at(a, k, k, N), x0 - alpha);
    let vv = 0.0;
    for (let i = k; i < N; i++) {
      const v = load<f64>(at(a, i, k, N));
      vv += v * v;
    }
    reflect(a, at(a, k, k, N), k, N, k + 1, vv);
    store<f64>(signs + (k << 3), alpha > 0 ? 1.0 : -1.0);
    // Keep v scaled so that H_k = I - v v'.
    const scale = Math.sqrt(2 / vv);
    for (let i = k; i < N; i++) store<f64>(at(a, i, k, N), load<f64>(at(a, i, k, N)) * scale);
  }
  // Q = H_0 H_1 ... H_{n-1}, accumulated from the right end onto I.
  for (let j: usize = 0; j < N; j++) for (let i: usize = 0; i < N; i++) store<f64>(at(out, i, j, N), i == j ? 1.0 : 0.0);
  for (let k = n - 1; k >= 0; k--) {
    const K = <usize>k;
    if (load<f64>(signs + (K << 3)) == 0) continue;
    reflect(out, at(a, K, K, N), K, N, 0, 0);
  }
  // G = Q R = (Q D)(D R) with D = diag(sign(R_kk)): D R has a positive diagonal.
  for (let j: usize = 0; j < N; j++) {
    if (load<f64>(signs + (j << 3)) < 0) for (let i: usize = 0; i < N; i++) store<f64>(at(out, i, j, N), -load<f64>(at(out, i, j, N)));
  }
}

/**
 * Applies a reflector to columns j0 .. N-1 of the N x N matrix m, rows k
 * .. N-1: for each column, s = sum_i v_i m(i, j) in i order, then m(i, j) -=
 * f v_i with f = (2 s) / vv, or f = s when vv is 0 (v already scaled).
 * v: the address of v_k. Four columns at a time: four sums run side by
 * side (one sum alone waits on every add), each still in i order, and the
 * updates are lane-wise multiplies and subtracts, so the bits are those of
 * one column at a time (and of src/sample/orthogonal.ts).
 */
function reflect(m: usize, v: usize, k: usize, N: usize, j0: usize, vv: f64): void {
  const rows = N - k;
  let j = j0;
  for (; j + 4 <= N; j += 4) {
    const c0 = at(m, k, j, N), c1 = c0 + (N << 3), c2 = c1 + (N << 3), c3 = c2 + (N << 3);
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (let i: usize = 0; i < rows; i++) {
      const o = i << 3;
      const vi = load<f64>(v + o);
      s0 += vi * load<f64>(c0 + o);
      s1 += vi * load<f64>(c1 + o);
      s2 += vi * load<f64>(c2 + o);
      s3 += vi * load<f64>(c3 + o);
    }
    update(c0, v, rows, vv == 0 ? s0 : (2 * s0) / vv);
    update(c1, v, rows, vv == 0 ? s1 : (2 * s1) / vv);
    update(c2, v, rows, vv == 0 ? s2 : (2 * s2) / vv);
    update(c3, v, rows, vv == 0 ? s3 : (2 * s3) / vv);
  }
  for (; j < N; j++) {
    const c = at(m, k, j, N);
    let s = 0.0;
    for (let i: usize = 0; i < rows; i++) s += load<f64>(v + (i << 3)) * load<f64>(c + (i << 3));
    update(c, v, rows, vv == 0 ? s : (2 * s) / vv);
  }
}

/** c[i] -= f v[i], i < rows: a multiply then a subtract per lane (never fused). */
// @ts-ignore: decorator
@inline function update(c: usize, v: usize, rows: usize, f: f64): void {
  const fv = f64x2.splat(f);
  let i: usize = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = i << 3;
    v128.store(c + o, f64x2.sub(v128.load(c + o), f64x2.mul(fv, v128.load(v + o))));
  }
  if (i < rows) store<f64>(c + (i << 3), load<f64>(c + (i << 3)) - f * load<f64>(v + (i << 3)));
}

/**
 * U diag(s) V' into out (n x n, column-major): U and V Haar-distributed
 * (V = U when `symmetric`, and then the lower triangle copies the upper, so
 * the result is exactly symmetric), s uniform in [lo, lo + width). The draws
 * come in the order of src/sample/orthogonal.ts's haarProductInto (U, then
 * V, then s) and every entry is the same sum, (u_ik s_k) v_jk for k = 0, 1,
 * ... from 0, with separate multiplies and adds (never fused, in any build):
 * the same bits as the plain JavaScript.
 * work: 4 n n + 2 n f64.
 */
export function rngHaarProduct(st: usize, n: i32, symmetric: bool, lo: f64, width: f64, out: usize, work: usize): void {
  const N = <usize>n;
  const u = work;
  const v = symmetric ? u : u + ((N * N) << 3);
  const us = u + ((2 * N * N) << 3);
  const s = us + ((N * N) << 3);
  const householder = s + (N << 3);
  rngOrthogonal(st, n, u, householder);
  if (!symmetric) rngOrthogonal(st, n, v, householder);
  rngUniforms(st, s, n, lo, width);
  for (let k: usize = 0; k < N; k++) {
    const sk = load<f64>(s + (k << 3));
    for (let i: usize = 0; i < N; i++) store<f64>(at(us, i, k, N), load<f64>(at(u, i, k, N)) * sk);
  }
  // out(i, j) = sum_k us(i, k) v(j, k), one sum per lane, each in k order:
  // blocks of 4 rows x 2 columns (4 accumulators), then the edges.
  let j: usize = 0;
  for (; j + 2 <= N; j += 2) {
    let i: usize = 0;
    for (; i + 4 <= N; i += 4) {
      let c00 = f64x2.splat(0), c10 = f64x2.splat(0), c01 = f64x2.splat(0), c11 = f64x2.splat(0);
      for (let k: usize = 0; k < N; k++) {
        const p = at(us, i, k, N);
        const a0 = v128.load(p), a1 = v128.load(p, 16);
        const q = at(v, j, k, N);
        const b0 = v128.load64_splat(q), b1 = v128.load64_splat(q, 8);
        c00 = f64x2.add(c00, f64x2.mul(a0, b0));
        c10 = f64x2.add(c10, f64x2.mul(a1, b0));
        c01 = f64x2.add(c01, f64x2.mul(a0, b1));
        c11 = f64x2.add(c11, f64x2.mul(a1, b1));
      }
      v128.store(at(out, i, j, N), c00);
      v128.store(at(out, i, j, N), c10, 16);
      v128.store(at(out, i, j + 1, N), c01);
      v128.store(at(out, i, j + 1, N), c11, 16);
    }
    for (; i < N; i++) {
      productEntry(out, us, v, i, j, N);
      productEntry(out, us, v, i, j + 1, N);
    }
  }
  if (j < N) for (let i: usize = 0; i < N; i++) productEntry(out, us, v, i, j, N);
  if (symmetric) {
    for (let j: usize = 0; j < N; j++) for (let i = j + 1; i < N; i++) store<f64>(at(out, i, j, N), load<f64>(at(out, j, i, N)));
  }
}

/** out(i, j) = sum_k us(i, k) v(j, k), in k order. */
// @ts-ignore: decorator
@inline function productEntry(out: usize, us: usize, v: usize, i: usize, j: usize, N: usize): void {
  let sum = 0.0;
  for (let k: usize = 0; k < N; k++) sum += load<f64>(at(us, i, k, N)) * load<f64>(at(v, j, k, N));
  store<f64>(at(out, i, j, N), sum);
}
