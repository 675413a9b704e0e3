// Haar-distributed random orthogonal matrices: the Q factor of a Gaussian
// matrix's QR decomposition, with the signs fixed so that R has a positive
// diagonal. Without the sign fix Q is orthogonal but not uniformly
// distributed (see: F. Mezzadri, "How to generate random matrices from the
// classical compact groups", Notices of the AMS 54(5), 2007).
import type { Rng } from './rng.js';

/**
 * An n x n orthogonal matrix, column-major, Haar-distributed. Built by
 * Householder QR (see: Golub & Van Loan, Matrix Computations, 5.2.1), so
 * `Q'Q = I` to a few units of rounding (about n * 1e-16).
 */
export function haarOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  rng.orthogonal(n, q, 0);
  return q;
}

/** Work space for the Gaussian matrix being factored, reused (allocation is most of the cost at small n). */
let work = new Float64Array(64);

/**
 * haarOrthogonal written into q[at ...], the same draws and arithmetic. The
 * engine's rngOrthogonal (assembly/random.ts) does the same operations in the
 * same order, so the two give the same bits (tests hold them equal): this is
 * the plain-JavaScript generator's version, and the engine's oracle.
 */
export function haarInto(n: number, rng: Rng, q: Float64Array, at: number): void {
  if (work.length < n * n) work = new Float64Array(n * n);
  const a = work;
  rng.normals(a, 0, n * n);

  const reflectors: (Float64Array | undefined)[] = [];
  const signs = new Float64Array(n).fill(1);
  for (let k = 0; k < n; k++) {
    let norm2 = 0;
    for (let i = k; i < n; i++) norm2 += a[i + k * n] * a[i + k * n];
    const norm = Math.sqrt(norm2);
    if (norm === 0) {
      // Probability zero for a Gaussian column; H_k = I, R_kk = 0.
      reflectors.push(undefined);
      continue;
    }
    const x0 = a[k + k * n];
    // alpha has the sign opposite to x0, so v0 = x0 - alpha does not cancel.
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(n - k);
    for (let i = k; i < n; i++) v[i - k] = a[i + k * n];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    // H_k = I - (2 / v'v) v v' maps column k to alpha * e_k: R_kk = alpha.
    for (let j = k + 1; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i - k] * a[i + j * n];
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) a[i + j * n] -= f * v[i - k];
    }
    signs[k] = alpha > 0 ? 1 : -1;
    // Keep v scaled so that H_k = I - v v'.
    const scale = Math.sqrt(2 / vv);
    for (let i = 0; i < v.length; i++) v[i] *= scale;
    reflectors.push(v);
  }

  // Q = H_0 H_1 ... H_{n-1}, accumulated from the right end onto I.
  q.fill(0, at, at + n * n);
  for (let i = 0; i < n; i++) q[at + i + i * n] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    if (!v) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i - k] * q[at + i + j * n];
      for (let i = k; i < n; i++) q[at + i + j * n] -= s * v[i - k];
    }
  }

  // G = Q R = (Q D)(D R) with D = diag(sign(R_kk)): D R has a positive diagonal.
  for (let j = 0; j < n; j++) {
    if (signs[j] < 0) for (let i = 0; i < n; i++) q[at + i + j * n] = -q[at + i + j * n];
  }
}

/**
 * U diag(s) V' into out[at ...] (n x n, column-major): U, V Haar-distributed
 * (V = U when `symmetric`, and then the lower triangle copies the upper, so
 * the result is exactly symmetric), s uniform in [lo, hi). The engine's
 * rngHaarProduct (assembly/random.ts) draws in the same order (U, V, s) and
 * forms each entry as the same sum, so the two give the same bits.
 */
export function haarProductInto(n: number, symmetric: boolean, lo: number, hi: number, rng: Rng, out: Float64Array, at: number): void {
  const u = new Float64Array(n * n);
  rng.orthogonal(n, u, 0);
  const v = symmetric ? u : new Float64Array(n * n);
  if (!symmetric) rng.orthogonal(n, v, 0);
  const s = new Float64Array(n);
  rng.uniforms(s, 0, n, lo, hi);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += u[i + k * n] * s[k] * v[j + k * n];
      out[at + i + j * n] = sum;
    }
  }
  if (symmetric) for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) out[at + i + j * n] = out[at + j + i * n];
}
