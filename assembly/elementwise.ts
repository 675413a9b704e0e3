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

function powLoop(dst: usize, a: usize, b: usize, m: i32, bc: i32): void {
  const sa: usize = bc == 1 ? 0 : 8;
  const sb: usize = bc == 2 ? 0 : 8;
  let bad = false;
  for (let i = 0; i < m; i++) {
    const x = load<f64>(a + <usize>i * sa);
    const y = load<f64>(b + <usize>i * sb);
    // A negative base has a real power only for integer exponents.
    if (x < 0 && isFinite(y) && Math.floor(y) != y) bad = true;
    store<f64>(dst + (<usize>i << 3), Math.pow(x, y));
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

// @ts-ignore: decorator
@inline function softplus(x: f64): f64 {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** UNARY with function id `fn` (docs/engine-abi.md). abs, sign, relu add to the kink signature. */
export function unary(dst: usize, a: usize, m: i32, fn: i32): void {
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
      case 10: y = Math.tanh(x); break;
      case 11: if (x < 0) kinkAt(i); y = Math.abs(x); break;
      case 12: if (x < 0) kinkAt(i); y = Math.sign(x); break;
      case 13: if (x < 0) kinkAt(i); y = Math.max(x, 0); break;
      case 14: y = sigmoid(x); break;
      case 15: y = softplus(x); break;
      default: unreachable(); // the compiler never emits other ids
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
