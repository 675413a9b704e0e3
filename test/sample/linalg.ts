// Small dense linear algebra for checking samples (tests only), column-major
// n x n: entry (i, j) at i + j * n.

export function at(a: Float64Array, n: number, i: number, j: number): number {
  return a[i + j * n];
}

/** A' B for n x n matrices. */
export function transposeTimes(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[k + i * n] * b[k + j * n];
      out[i + j * n] = s;
    }
  }
  return out;
}

/** A B' for n x n matrices. */
export function timesTranspose(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i + k * n] * b[j + k * n];
      out[i + j * n] = s;
    }
  }
  return out;
}

/** max |A - I|. */
export function distanceFromIdentity(a: Float64Array, n: number): number {
  let worst = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i + j * n] - (i === j ? 1 : 0)));
  return worst;
}

/** Whether the Cholesky factorisation A = L L' runs to the end with positive pivots. */
export function choleskySucceeds(a: Float64Array, n: number): boolean {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j + j * n];
    for (let k = 0; k < j; k++) d -= l[j + k * n] ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    l[j + j * n] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i + j * n];
      for (let k = 0; k < j; k++) s -= l[i + k * n] * l[j + k * n];
      l[i + j * n] = s / ljj;
    }
  }
  return true;
}

/**
 * Eigenvalues of a symmetric matrix, ascending, by the cyclic Jacobi method
 * (see: Golub & Van Loan, Matrix Computations, 8.5): plane rotations zero
 * one off-diagonal pair at a time until the off-diagonal mass is negligible.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): number[] {
  const m = Float64Array.from(a);
  let total = 0;
  for (const x of m) total += x * x;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let q = 0; q < n; q++) for (let p = 0; p < q; p++) off += m[p + q * n] ** 2;
    if (off <= 1e-32 * total) break;
    for (let q = 0; q < n; q++) {
      for (let p = 0; p < q; p++) {
        const apq = m[p + q * n];
        if (apq === 0) continue;
        const theta = (m[q + q * n] - m[p + p * n]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = m[k + p * n];
          const kq = m[k + q * n];
          m[k + p * n] = c * kp - s * kq;
          m[k + q * n] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = m[p + k * n];
          const qk = m[q + k * n];
          m[p + k * n] = c * pk - s * qk;
          m[q + k * n] = s * pk + c * qk;
        }
      }
    }
  }
  const eig: number[] = [];
  for (let i = 0; i < n; i++) eig.push(m[i + i * n]);
  return eig.sort((x, y) => x - y);
}

/** Singular values, ascending: square roots of the eigenvalues of A'A. */
export function singularValues(a: Float64Array, n: number): number[] {
  return symmetricEigenvalues(transposeTimes(a, a, n), n).map((x) => Math.sqrt(Math.max(0, x)));
}

/** The 2-norm condition number sigma_max / sigma_min. */
export function conditionNumber(a: Float64Array, n: number): number {
  const s = singularValues(a, n);
  return s[n - 1] / s[0];
}

/** Determinant by Gaussian elimination with partial pivoting. */
export function determinant(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let det = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i + k * n]) > Math.abs(m[p + k * n])) p = i;
    if (m[p + k * n] === 0) return 0;
    if (p !== k) {
      det = -det;
      for (let j = 0; j < n; j++) [m[k + j * n], m[p + j * n]] = [m[p + j * n], m[k + j * n]];
    }
    det *= m[k + k * n];
    for (let i = k + 1; i < n; i++) {
      const f = m[i + k * n] / m[k + k * n];
      for (let j = k; j < n; j++) m[i + j * n] -= f * m[k + j * n];
    }
  }
  return det;
}

/** Mean and (population) variance. */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i] - mean) ** 2;
  return { mean, variance: sq / xs.length };
}

/** The bit patterns of a Float64Array, for exact comparisons (distinguishes -0 and NaN payloads). */
export function bits(a: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));
}
