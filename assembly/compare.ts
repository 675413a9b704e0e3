// Helpers for the verdict: weighted direction pairing, difference norms, worst entries.
import { norm2Of } from './reduce';
import { exponentOf, pow2 } from './scale';

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/**
 * out[d] = sum_i w_i c[i] dirs_d[i]; w_i = 1, except for n > 0 (c is n x n):
 * off-diagonal entries weigh `offDiag`.
 */
export function pairDirections(c: usize, dirs: usize, nX: i32, nDir: i32, offDiag: f64, n: i32, out: usize): void {
  for (let d = 0; d < nDir; d++) {
    const dir = dirs + (<usize>d * <usize>nX << 3);
    let s = 0.0;
    if (n > 0) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const idx = i + j * n;
          const w = i == j ? 1.0 : offDiag;
          s += w * load<f64>(at(c, idx)) * load<f64>(at(dir, idx));
        }
      }
    } else {
      for (let i = 0; i < nX; i++) s += load<f64>(at(c, i)) * load<f64>(at(dir, i));
    }
    store<f64>(at(out, d), s);
  }
}

/** |a_i - b_i| with NaN ranked above every number. */
// @ts-ignore: decorator
@inline function gap(a: usize, b: usize, i: i32): f64 {
  return Math.abs(load<f64>(at(a, i)) - load<f64>(at(b, i)));
}

/** Does (x, i) rank before (y, j)? Larger first, NaN largest, then the smaller index. */
// @ts-ignore: decorator
@inline function before(x: f64, i: i32, y: f64, j: i32): bool {
  const xn = x != x, yn = y != y;
  if (xn || yn) return xn && (!yn || i < j);
  return x > y || (x == y && i < j);
}

/** out: norm2(a - b), norm2(a), norm2(b), max |a_i - b_i| (NaN wins), its index (-1 when len is 0). */
export function compare(a: usize, b: usize, len: i32, out: usize): void {
  store<f64>(out, norm2Of(a, b, len));
  store<f64>(out, norm2Of(a, 0, len), 8);
  store<f64>(out, norm2Of(b, 0, len), 16);
  let best = 0.0;
  let idx = -1;
  for (let i = 0; i < len; i++) {
    const g = gap(a, b, i);
    if (idx < 0 || before(g, i, best, idx)) {
      best = g;
      idx = i;
    }
  }
  store<f64>(out, best, 24);
  store<f64>(out, <f64>idx, 32);
}

/** The indices of the min(k, len) largest |a_i - b_i|, largest first (insertion into outIdx). */
export function worst(a: usize, b: usize, len: i32, k: i32, outIdx: usize): i32 {
  let cnt = 0;
  if (k <= 0) return 0;
  for (let i = 0; i < len; i++) {
    const g = gap(a, b, i);
    if (cnt == k) {
      const last = load<i32>(outIdx + (<usize>(cnt - 1) << 2));
      if (!before(g, i, gap(a, b, last), last)) continue;
      cnt--; // the last one drops out
    }
    // Shift smaller entries down, then insert.
    let pos = cnt;
    while (pos > 0) {
      const j = load<i32>(outIdx + (<usize>(pos - 1) << 2));
      if (!before(g, i, gap(a, b, j), j)) break;
      store<i32>(outIdx + (<usize>pos << 2), j);
      pos--;
    }
    store<i32>(outIdx + (<usize>pos << 2), i);
    cnt++;
  }
  return cnt;
}

/** The binary exponent of max |x_i| (0 when all are 0; -1023 stands for a subnormal maximum). */
function maxExponent(x: usize, len: i32): i32 {
  let m = 0.0;
  for (let i = 0; i < len; i++) m = Math.max(m, Math.abs(load<f64>(at(x, i))));
  if (m == 0 || !isFinite(m)) return 0;
  return exponentOf(m);
}

/**
 * The least-squares k with k b ~ a: <a, b> / <b, b>, both sides scaled by
 * powers of two first (exact), so that values near 1e+-200 neither overflow
 * nor underflow (the diagnosis "off by a constant factor" was lost there).
 * NaN when b is 0.
 */
export function fitFactor(a: usize, b: usize, len: i32): f64 {
  const ea = max(-1000, min(1000, maxExponent(a, len)));
  const eb = max(-1000, min(1000, maxExponent(b, len)));
  const sa = pow2(-ea), sb = pow2(-eb);
  let ab = 0.0, bb = 0.0;
  for (let i = 0; i < len; i++) {
    const x = load<f64>(at(a, i)) * sa, y = load<f64>(at(b, i)) * sb;
    ab += x * y;
    bb += y * y;
  }
  if (!(bb > 0)) return NaN;
  // k = (ab / bb) 2^(ea - eb), applied in two halves so no factor overflows on its own.
  const d = ea - eb;
  const h = d >> 1;
  return ab / bb * pow2(h) * pow2(d - h);
}
