// Reductions: SUM, TRACE, NORM1, NORM2, DOT, plus the norm2/dot helpers.
// Plain left-to-right sums: deterministic and easy to mirror in a reference.
import { kinkAt } from './status';
import { exponentOf, pow2 } from './scale';

export function sum(a: usize, m: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < m; i++) s += load<f64>(a + (<usize>i << 3));
  return s;
}

export function trace(a: usize, m: i32): f64 {
  let s = 0.0;
  const step = (<usize>m + 1) << 3;
  for (let i = 0; i < m; i++) s += load<f64>(a + <usize>i * step);
  return s;
}

/** NORM1, a kink op: every negative entry adds to the kink signature. */
export function norm1(a: usize, m: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    const x = load<f64>(a + (<usize>i << 3));
    if (x < 0) kinkAt(i);
    s += Math.abs(x);
  }
  return s;
}

export function dot(a: usize, b: usize, m: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    s += load<f64>(a + o) * load<f64>(b + o);
  }
  return s;
}

// @ts-ignore: decorator
@inline function entry(a: usize, b: usize, i: i32): f64 {
  // b == 0 means "no b": the norm of a itself.
  const o = <usize>i << 3;
  return b == 0 ? load<f64>(a + o) : load<f64>(a + o) - load<f64>(b + o);
}

/**
 * sqrt(sum x_i^2) with x = a (b == 0) or x = a - b. When the largest entry is
 * outside [2^-500, 2^500] the entries are scaled by a power of two first
 * (exact), so the sum of squares neither overflows nor underflows needlessly.
 */
export function norm2Of(a: usize, b: usize, m: i32): f64 {
  let amax = 0.0;
  for (let i = 0; i < m; i++) {
    const v = Math.abs(entry(a, b, i));
    if (v > amax) amax = v;
    else if (v != v) return v;
  }
  if (amax == 0 || amax == Infinity) return amax;
  let s = 0.0;
  if (amax >= pow2(-500) && amax <= pow2(500)) {
    for (let i = 0; i < m; i++) {
      const v = entry(a, b, i);
      s += v * v;
    }
    return Math.sqrt(s);
  }
  // Scale so the largest entry lands in [1, 2).
  let e = exponentOf(amax);
  if (e < -1000) e = -1000; // subnormal amax: 2^1000 is enough and stays finite
  if (e > 1022) e = 1022; // 2^-1023 would be subnormal
  const up = pow2(-e);
  for (let i = 0; i < m; i++) {
    const v = entry(a, b, i) * up;
    s += v * v;
  }
  return Math.sqrt(s) * pow2(e);
}

export function norm2(a: usize, m: i32): f64 {
  return norm2Of(a, 0, m);
}
