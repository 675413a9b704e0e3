// Element-wise ops: COPY, FILL, BINARY, UNARY, CHECK_FINITE.
// dst may equal a or b: every loop reads entry i before it writes entry i.
import { raise, kinkAt, DOMAIN, NONFINITE } from './status';

export function copy(dst: usize, a: usize, m: i32): void {
  if (m > 0) memory.copy(dst, a, <usize>m << 3);
}

export function fill(dst: usize, a: usize, m: i32): void {
  const v = f64x2.splat(load<f64>(a));
  let i = 0;
  for (; i + 2 <= m; i += 2) v128.store(dst + (<usize>i << 3), v);
  if (i < m) store<f64>(dst + (<usize>i << 3), load<f64>(a));
}

// @ts-ignore: decorator
@inline function binV(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 0: return f64x2.add(x, y);
    case 1: return f64x2.sub(x, y);
    case 2: return f64x2.mul(x, y);
    default: return f64x2.div(x, y);
  }
}

// @ts-ignore: decorator
@inline function binS(op: i32, x: f64, y: f64): f64 {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    default: return x / y;
  }
}

/** BINARY: `op` 0 add, 1 sub, 2 mul, 3 div, 4 pow; `bc` 1: a is a scalar, 2: b is a scalar. */
export function binary(dst: usize, a: usize, b: usize, m: i32, op: i32, bc: i32): void {
  if (op == 4) {
    powLoop(dst, a, b, m, bc);
    return;
  }
  // IEEE add/sub/mul/div give the same bits lane-wise as scalar, so SIMD is exact.
  let i = 0;
  if (bc == 1) {
    const xs = load<f64>(a);
    const xv = f64x2.splat(xs);
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      v128.store(dst + o, binV(op, xv, v128.load(b + o)));
    }
    if (i < m) store<f64>(dst + (<usize>i << 3), binS(op, xs, load<f64>(b + (<usize>i << 3))));
  } else if (bc == 2) {
    const ys = load<f64>(b);
    const yv = f64x2.splat(ys);
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      v128.store(dst + o, binV(op, v128.load(a + o), yv));
    }
    if (i < m) store<f64>(dst + (<usize>i << 3), binS(op, load<f64>(a + (<usize>i << 3)), ys));
  } else {
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      v128.store(dst + o, binV(op, v128.load(a + o), v128.load(b + o)));
    }
    if (i < m) {
      const o = <usize>i << 3;
      store<f64>(dst + o, binS(op, load<f64>(a + o), load<f64>(b + o)));
    }
  }
}

// @ts-ignore: decorator
@inline function powOne(x: f64, y: f64): f64 {
  // x^2 is the common case (norms, squared errors): one multiply, the same
  // correctly rounded value as pow, instead of a general pow call.
  return y == 2.0 ? x * x : Math.pow(x, y);
}

// A negative base has a real power only for integer exponents.
// @ts-ignore: decorator
@inline function powDomain(x: f64, y: f64): bool {
  return x < 0 && isFinite(y) && Math.floor(y) != y;
}

function powLoop(dst: usize, a: usize, b: usize, m: i32, bc: i32): void {
  let bad = false;
  // A broadcast operand is read once: dst may be that very scalar.
  if (bc == 2) {
    const y = load<f64>(b);
    for (let i = 0; i < m; i++) {
      const p = <usize>i << 3;
      const x = load<f64>(a + p);
      bad |= powDomain(x, y);
      store<f64>(dst + p, powOne(x, y));
    }
  } else if (bc == 1) {
    const x = load<f64>(a);
    for (let i = 0; i < m; i++) {
      const p = <usize>i << 3;
      const y = load<f64>(b + p);
      bad |= powDomain(x, y);
      store<f64>(dst + p, powOne(x, y));
    }
  } else {
    for (let i = 0; i < m; i++) {
      const p = <usize>i << 3;
      const x = load<f64>(a + p);
      const y = load<f64>(b + p);
      bad |= powDomain(x, y);
      store<f64>(dst + p, powOne(x, y));
    }
  }
  if (bad) raise(DOMAIN);
}

// @ts-ignore: decorator
@inline function sigmoid(x: f64): f64 {
  // Never exponentiate a large positive number.
  if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
}

// Constants of the two-lane tanh, splat-loaded from memory (one vmovddup
// each): V8 rebuilds every v128.const inside the loop from a general register
// (three instructions), which made the loop 40% slower.
const TANH_C = memory.data<f64>([
  22.0, // 0: |x| cap
  6755399441055744.0, // 8: 0x1.8p52, rounds to an integer in the low mantissa bits
  1.44269504088896338700e+00, // 16: 1/ln2
  6.93147180369123816490e-01, // 24: ln2_hi (low 21 bits zero)
  1.90821492927058770002e-10, // 32: ln2_lo
  1.0, // 40
  2.0, // 48
  // 56..144: 1/2!, 1/3!, ..., 1/13!
  1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
  1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0,
  // 152..192: Cephes' P and Q
  -9.64399179425052238628e-1, 9.92877231001918586564e1, 1.61468768441708447952e3,
  1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3,
  0.625, // 200
]);

// @ts-ignore: decorator
@inline function cV(off: usize): v128 {
  return v128.load64_splat(TANH_C + off);
}

// Two-lane tanh after Cephes (peak relative error 2.5e-16; the library's
// expm1-based tanh cost three exps per entry and dominated network formulas):
// |x| below 0.625 by a rational function, above by 1 - 2/(exp(2|x|) + 1)
// with a vector exp; both
// are computed and one is picked per lane, then x's sign bit is put back (so
// -0 stays -0, ±Infinity gives ±1, NaN gives NaN). Within 4 ulp of Math.tanh.
// @ts-ignore: decorator
@inline function tanhV(x: v128): v128 {
  const z = f64x2.abs(x);
  const sign = v128.xor(x, z);
  // Large branch. y = 2|x| capped at 44 (1 - tanh(22) < 2^-63): exp(y) then
  // never overflows, and Infinity lands on 1. pmin (22 < z ? 22 : z) is one
  // instruction where min's NaN rules cost seven; a NaN lane is not taken here.
  const zc = f64x2.pmin(z, cV(0));
  const y = f64x2.add(zc, zc);
  // Cody-Waite: k = round(y / ln2); adding 0x1.8p52 leaves k in the low
  // mantissa bits (0 <= k <= 64 here). r = y - k ln2 with k * ln2_hi exact,
  // |r| <= ln2/2 (plus rounding).
  const shift = cV(8);
  const kd = f64x2.add(f64x2.mul(y, cV(16)), shift);
  const k = f64x2.sub(kd, shift);
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(k, cV(24))), f64x2.mul(k, cV(32)));
  // exp(r) = 1 + (r + r^2 H(r)), H the Taylor series 1/2! + r/3! + ... + r^11/13!
  // (the rest is below 2^-57 at |r| = ln2/2). H by Estrin's scheme: a short
  // dependency chain; its rounding errors are damped by r^2 <= 0.13.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const q0 = f64x2.add(cV(56), f64x2.mul(cV(64), r));
  const q1 = f64x2.add(cV(72), f64x2.mul(cV(80), r));
  const q2 = f64x2.add(cV(88), f64x2.mul(cV(96), r));
  const q3 = f64x2.add(cV(104), f64x2.mul(cV(112), r));
  const q4 = f64x2.add(cV(120), f64x2.mul(cV(128), r));
  const q5 = f64x2.add(cV(136), f64x2.mul(cV(144), r));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r2));
  const s1 = f64x2.add(q2, f64x2.mul(q3, r2));
  const s2 = f64x2.add(q4, f64x2.mul(q5, r2));
  const h = f64x2.add(f64x2.add(s0, f64x2.mul(s1, r4)), f64x2.mul(s2, r8));
  const one = cV(40);
  let e = f64x2.add(one, f64x2.add(r, f64x2.mul(r2, h)));
  // Times 2^k: k << 52 added to the exponent field (the shift drops 0x1.8p52's bits).
  e = i64x2.add(e, i64x2.shl(kd, 52));
  const big = f64x2.sub(one, f64x2.div(cV(48), f64x2.add(e, one)));
  // Small branch: z + z s P(s)/Q(s), s = z^2 (z itself when s underflows to 0).
  const s = f64x2.mul(z, z);
  const p = f64x2.sub(f64x2.mul(f64x2.sub(f64x2.mul(cV(152), s), cV(160)), s), cV(168));
  const q = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, cV(176)), s), cV(184)), s), cV(192));
  const small = f64x2.add(z, f64x2.mul(f64x2.mul(z, s), f64x2.div(p, q)));
  // NaN compares false and takes the small branch, which keeps it NaN.
  const t = v128.bitselect(big, small, f64x2.ge(z, cV(200)));
  return v128.or(t, sign);
}

function tanhLoop(dst: usize, a: usize, m: i32): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, tanhV(v128.load(a + o)));
  }
  if (i < m) {
    const o = <usize>i << 3;
    // The odd last entry through the same two-lane code: a value's tanh has
    // the same bits wherever it sits in the array.
    store<f64>(dst + o, f64x2.extract_lane(tanhV(f64x2.splat(load<f64>(a + o))), 0));
  }
}

// @ts-ignore: decorator
@inline function softplus(x: f64): f64 {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** UNARY with function id `fn` (docs/engine-abi.md). abs, sign, relu add to the kink signature. */
export function unary(dst: usize, a: usize, m: i32, fn: i32): void {
  if (fn == 10) {
    // tanh dominates network formulas: two lanes at a time, no switch per entry.
    tanhLoop(dst, a, m);
    return;
  }
  let bad = false;
  for (let i = 0; i < m; i++) {
    const p = <usize>i << 3;
    const x = load<f64>(a + p);
    let y: f64 = 0;
    switch (fn) {
      case 0: y = -x; break;
      case 1: y = Math.exp(x); break;
      case 2: if (x <= 0) bad = true; y = Math.log(x); break;
      case 3: y = Math.sin(x); break;
      case 4: y = Math.cos(x); break;
      case 5: y = Math.tan(x); break;
      case 6: if (Math.abs(x) > 1) bad = true; y = Math.asin(x); break;
      case 7: if (Math.abs(x) > 1) bad = true; y = Math.acos(x); break;
      case 8: y = Math.atan(x); break;
      case 9: if (x < 0) bad = true; y = Math.sqrt(x); break;
      case 11: if (x < 0) kinkAt(i); y = Math.abs(x); break;
      case 12: if (x < 0) kinkAt(i); y = Math.sign(x); break;
      case 13: if (x < 0) kinkAt(i); y = Math.max(x, 0); break;
      case 14: y = sigmoid(x); break;
      case 15: y = softplus(x); break;
      default: unreachable(); // 10 (tanh) is handled above; the compiler never emits other ids
    }
    store<f64>(dst + p, y);
  }
  if (bad) raise(DOMAIN);
}

export function checkFinite(a: usize, m: i32): void {
  for (let i = 0; i < m; i++) {
    if (!isFinite(load<f64>(a + (<usize>i << 3)))) {
      raise(NONFINITE);
      return;
    }
  }
}
