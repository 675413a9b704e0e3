// Structural ops: TRANSPOSE, KRON, DIAG_TO_MATRIX, DIAG_OF_MATRIX, EYE,
// SOFTMAX, LOGSUMEXP, MATPOW.
import { copy } from './elementwise';
import { matmul } from './matmul';
import { inv } from './lu';

/** dst (n x m) = a' for a stored m x n. */
export function transpose(dst: usize, a: usize, m: i32, n: i32): void {
  // Walk dst contiguously: column i of dst is row i of a.
  const rowStep = <usize>m << 3;
  for (let i = 0; i < m; i++) {
    let src = a + (<usize>i << 3);
    const d = dst + (<usize>(i * n) << 3);
    for (let j = 0; j < n; j++) {
      store<f64>(d + (<usize>j << 3), load<f64>(src));
      src += rowStep;
    }
  }
}

/** dst (m k x n x) = kron(a, b), a m x n, b k x x: dst(i k + p, j x + q) = a(i, j) b(p, q). */
export function kron(dst: usize, a: usize, b: usize, m: i32, n: i32, k: i32, x: i32): void {
  const rows = m * k;
  for (let j = 0; j < n; j++) {
    for (let q = 0; q < x; q++) {
      const dcol = dst + (<usize>((j * x + q) * rows) << 3);
      const bcol = b + (<usize>(q * k) << 3);
      for (let i = 0; i < m; i++) {
        const aij = load<f64>(a + (<usize>(i + j * m) << 3));
        const d = dcol + (<usize>(i * k) << 3);
        for (let p = 0; p < k; p++) store<f64>(d + (<usize>p << 3), aij * load<f64>(bcol + (<usize>p << 3)));
      }
    }
  }
}

export function diagToMatrix(dst: usize, a: usize, m: i32): void {
  memory.fill(dst, 0, <usize>(m * m) << 3);
  const step = (<usize>m + 1) << 3;
  for (let i = 0; i < m; i++) store<f64>(dst + <usize>i * step, load<f64>(a + (<usize>i << 3)));
}

export function diagOfMatrix(dst: usize, a: usize, m: i32): void {
  const step = (<usize>m + 1) << 3;
  for (let i = 0; i < m; i++) store<f64>(dst + (<usize>i << 3), load<f64>(a + <usize>i * step));
}

export function eye(dst: usize, m: i32): void {
  memory.fill(dst, 0, <usize>(m * m) << 3);
  const step = (<usize>m + 1) << 3;
  for (let i = 0; i < m; i++) store<f64>(dst + <usize>i * step, 1.0);
}

function maxOf(a: usize, m: i32): f64 {
  // NaN anywhere gives NaN.
  let mx = -Infinity;
  for (let i = 0; i < m; i++) {
    const v = load<f64>(a + (<usize>i << 3));
    if (v != v) return v;
    if (v > mx) mx = v;
  }
  return mx;
}

/** dst may equal a. */
export function softmax(dst: usize, a: usize, m: i32): void {
  const mx = maxOf(a, m);
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    const e = Math.exp(load<f64>(a + o) - mx);
    store<f64>(dst + o, e);
    s += e;
  }
  for (let i = 0; i < m; i++) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(dst + o) / s);
  }
}

export function logsumexp(a: usize, m: i32): f64 {
  const mx = maxOf(a, m);
  // All -inf (or empty): the sum is 0 and the log -inf; +inf stays +inf. Avoids inf - inf.
  if (mx == -Infinity || mx == Infinity || mx != mx) return mx;
  let s = 0.0;
  for (let i = 0; i < m; i++) s += Math.exp(load<f64>(a + (<usize>i << 3)) - mx);
  return mx + Math.log(s);
}

/**
 * MATPOW: dst (m x m) = a^k by binary powering. Scratch b: two m x m buffers
 * (the running square and a product). k < 0: inverts a into dst first (that
 * LU fits in the same scratch) and raises the inverse to -k.
 */
export function matpow(dst: usize, a: usize, b: usize, m: i32, k: i32): void {
  const mm = m * m;
  const sq = b;
  const tmp = b + (<usize>mm << 3);
  if (k < 0) {
    inv(dst, a, b, m);
    copy(sq, dst, mm);
    k = -k;
  } else {
    copy(sq, a, mm);
  }
  let have = false; // dst holds a product yet (avoids multiplying by I)
  while (k > 0) {
    if (k & 1) {
      if (have) {
        matmul(tmp, dst, sq, m, m, m, 0);
        copy(dst, tmp, mm);
      } else {
        copy(dst, sq, mm);
        have = true;
      }
    }
    k >>>= 1;
    if (k > 0) {
      matmul(tmp, sq, sq, m, m, m, 0);
      copy(sq, tmp, mm);
    }
  }
  if (!have) eye(dst, m);
}
