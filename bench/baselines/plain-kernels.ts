// The best plain-TypeScript kernels we could write, as the baseline for the
// WebAssembly engine (bench/kernels.ts). Column-major Float64Array, no
// allocation per call (outputs and work arrays are passed in).
//
// matmul: 4 x 4 register blocking (16 scalar accumulators).
// LU: partial pivoting, blocked by 4 columns like the engine (see: LAPACK
// dgetrf): a 4-column panel with rank-1 updates, each trailing column's row
// swaps and 4 rows of U, then rank-4 updates two columns at a time (sharing
// the loads of L). Measured in V8 at n = 64..256 (interleaved A/B runs):
// rank-4 beat rank-2 by ~1.3x and rank-1 by ~2x; two columns per pass gained
// another ~1.3-1.5x.
// inv: the same LU, then all columns of P' through blocked forward and
// backward solves (rank-4 updates, two columns per pass), the engine's
// algorithm in scalar code.

/** c (m x n) = a (m x k) * b (k x n). */
export function matmulPlain(c: Float64Array, a: Float64Array, b: Float64Array, m: number, n: number, k: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    const c0 = j * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let c00 = 0, c10 = 0, c20 = 0, c30 = 0;
      let c01 = 0, c11 = 0, c21 = 0, c31 = 0;
      let c02 = 0, c12 = 0, c22 = 0, c32 = 0;
      let c03 = 0, c13 = 0, c23 = 0, c33 = 0;
      let ai = i;
      for (let p = 0; p < k; p++, ai += m) {
        const a0 = a[ai], a1 = a[ai + 1], a2 = a[ai + 2], a3 = a[ai + 3];
        let x = b[b0 + p];
        c00 += a0 * x; c10 += a1 * x; c20 += a2 * x; c30 += a3 * x;
        x = b[b1 + p];
        c01 += a0 * x; c11 += a1 * x; c21 += a2 * x; c31 += a3 * x;
        x = b[b2 + p];
        c02 += a0 * x; c12 += a1 * x; c22 += a2 * x; c32 += a3 * x;
        x = b[b3 + p];
        c03 += a0 * x; c13 += a1 * x; c23 += a2 * x; c33 += a3 * x;
      }
      c[c0 + i] = c00; c[c0 + i + 1] = c10; c[c0 + i + 2] = c20; c[c0 + i + 3] = c30;
      c[c1 + i] = c01; c[c1 + i + 1] = c11; c[c1 + i + 2] = c21; c[c1 + i + 3] = c31;
      c[c2 + i] = c02; c[c2 + i + 1] = c12; c[c2 + i + 2] = c22; c[c2 + i + 3] = c32;
      c[c3 + i] = c03; c[c3 + i + 1] = c13; c[c3 + i + 2] = c23; c[c3 + i + 3] = c33;
    }
    for (; i < m; i++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0, ai = i; p < k; p++, ai += m) {
        const av = a[ai];
        s0 += av * b[b0 + p]; s1 += av * b[b1 + p]; s2 += av * b[b2 + p]; s3 += av * b[b3 + p];
      }
      c[c0 + i] = s0; c[c1 + i] = s1; c[c2 + i] = s2; c[c3 + i] = s3;
    }
  }
  for (; j < n; j++) {
    const bj = j * k, cj = j * m;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = 0, ai = i; p < k; p++, ai += m) s += a[ai] * b[bj + p];
      c[cj + i] = s;
    }
  }
}

function swapRows(lu: Float64Array, c: number, k: number, p: number): void {
  const t = lu[c + k];
  lu[c + k] = lu[c + p];
  lu[c + p] = t;
}

/** y[o + i] -= l[L0 + i] u0 + l[L1 + i] u1 + l[L2 + i] u2 + l[L3 + i] u3 (term by term), from <= i < to. */
function rank4(y: Float64Array, o: number, l: Float64Array, L0: number, L1: number, L2: number, L3: number,
  u0: number, u1: number, u2: number, u3: number, from: number, to: number): void {
  for (let i = from; i < to; i++) y[o + i] = y[o + i] - l[L0 + i] * u0 - l[L1 + i] * u1 - l[L2 + i] * u2 - l[L3 + i] * u3;
}

/** rank4 on two columns at once (o0 with u, o1 with v), sharing the loads of l. */
function rank4x2(y: Float64Array, o0: number, o1: number, l: Float64Array, L0: number, L1: number, L2: number, L3: number,
  u0: number, u1: number, u2: number, u3: number, v0: number, v1: number, v2: number, v3: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const a = l[L0 + i], b = l[L1 + i], c = l[L2 + i], d = l[L3 + i];
    y[o0 + i] = y[o0 + i] - a * u0 - b * u1 - c * u2 - d * u3;
    y[o1 + i] = y[o1 + i] - a * v0 - b * v1 - c * v2 - d * v3;
  }
}

/**
 * In-place LU with partial pivoting of the n x n column-major `lu` (P A = L U);
 * piv[k] is the row swapped with row k. Returns the number of swaps, or -1
 * when a pivot is exactly zero. With `wantL` the later swaps are applied to
 * the L columns too (needed for solves, not for det).
 */
export function luPlain(lu: Float64Array, piv: Int32Array, n: number, wantL = false): number {
  let swaps = 0;
  let singular = false;
  for (let kb = 0; kb < n; kb += 4) {
    const kend = Math.min(kb + 4, n);
    for (let k = kb; k < kend; k++) {
      const ck = k * n;
      let p = k;
      let best = Math.abs(lu[ck + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[ck + i]);
        if (v > best) { best = v; p = i; }
      }
      piv[k] = p;
      if (p !== k) {
        swaps++;
        for (let j = kb; j < kend; j++) swapRows(lu, j * n, k, p);
      }
      const pivot = lu[ck + k];
      if (pivot === 0) { singular = true; continue; }
      for (let i = k + 1; i < n; i++) lu[ck + i] /= pivot;
      for (let j = k + 1; j < kend; j++) {
        const cj = j * n;
        const u = lu[cj + k];
        for (let i = k + 1; i < n; i++) lu[cj + i] -= lu[ck + i] * u;
      }
    }
    if (kend >= n) break;
    const p0 = piv[kb], p1 = piv[kb + 1], p2 = piv[kb + 2], p3 = piv[kb + 3];
    const d = kb * n + kb;
    const l10 = lu[d + 1], l20 = lu[d + 2], l30 = lu[d + 3];
    const l21 = lu[d + n + 2], l31 = lu[d + n + 3], l32 = lu[d + 2 * n + 3];
    const L0 = kb * n, L1 = L0 + n, L2 = L1 + n, L3 = L2 + n;
    for (let j = kend; j < n; j++) {
      const cj = j * n;
      if (p0 !== kb) swapRows(lu, cj, kb, p0);
      if (p1 !== kb + 1) swapRows(lu, cj, kb + 1, p1);
      if (p2 !== kb + 2) swapRows(lu, cj, kb + 2, p2);
      if (p3 !== kb + 3) swapRows(lu, cj, kb + 3, p3);
      const u0 = lu[cj + kb];
      const u1 = (lu[cj + kb + 1] -= l10 * u0);
      const u2 = (lu[cj + kb + 2] = lu[cj + kb + 2] - l20 * u0 - l21 * u1);
      lu[cj + kb + 3] = lu[cj + kb + 3] - l30 * u0 - l31 * u1 - l32 * u2;
    }
    let j = kend;
    for (; j + 2 <= n; j += 2) {
      const x = j * n + kb, z = x + n;
      rank4x2(lu, j * n, j * n + n, lu, L0, L1, L2, L3, lu[x], lu[x + 1], lu[x + 2], lu[x + 3], lu[z], lu[z + 1], lu[z + 2], lu[z + 3], kend, n);
    }
    if (j < n) {
      const x = j * n + kb;
      rank4(lu, j * n, lu, L0, L1, L2, L3, lu[x], lu[x + 1], lu[x + 2], lu[x + 3], kend, n);
    }
  }
  if (wantL) {
    for (let kb = 0; kb < n; kb += 4) {
      const kend = Math.min(kb + 4, n);
      for (let j = kb; j < kend; j++) for (let k = kend; k < n; k++) if (piv[k] !== k) swapRows(lu, j * n, k, piv[k]);
    }
  }
  return singular ? -1 : swaps;
}

/** det(a) for a n x n; `work` holds n*n doubles, `piv` n ints. */
export function detPlain(a: Float64Array, n: number, work: Float64Array, piv: Int32Array): number {
  work.set(a.subarray(0, n * n));
  const swaps = luPlain(work, piv, n);
  if (swaps < 0) return 0;
  let d = swaps & 1 ? -1 : 1;
  for (let k = 0; k < n; k++) d *= work[k * n + k];
  return d;
}

/**
 * dst = inv(a): LU, then L U X = P' for all columns at once (column perm[r]
 * of the result starts as e_r), blocked forward and backward solves.
 * Returns false for an exactly singular matrix.
 */
export function invPlain(dst: Float64Array, a: Float64Array, n: number, work: Float64Array, piv: Int32Array, perm: Int32Array): boolean {
  const lu = work;
  lu.set(a.subarray(0, n * n));
  if (luPlain(lu, piv, n, true) < 0) return false;
  for (let r = 0; r < n; r++) perm[r] = r;
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) { const t = perm[k]; perm[k] = perm[p]; perm[p] = t; }
  }
  dst.fill(0, 0, n * n);
  for (let r = 0; r < n; r++) dst[perm[r] * n + r] = 1;
  // Forward: unit lower L, block by block; column perm[r] is zero above row r.
  for (let kb = 0; kb < n; kb += 4) {
    const kend = Math.min(kb + 4, n);
    for (let r = 0; r < kend; r++) {
      const y = perm[r] * n;
      for (let t = kb + 1; t < kend; t++) {
        let x = dst[y + t];
        for (let s = kb; s < t; s++) x -= lu[s * n + t] * dst[y + s];
        dst[y + t] = x;
      }
    }
    if (kend >= n) break;
    const L0 = kb * n, L1 = L0 + n, L2 = L1 + n, L3 = L2 + n;
    let r = 0;
    for (; r + 2 <= kend; r += 2) {
      const y = perm[r] * n, z = perm[r + 1] * n;
      rank4x2(dst, y, z, lu, L0, L1, L2, L3, dst[y + kb], dst[y + kb + 1], dst[y + kb + 2], dst[y + kb + 3],
        dst[z + kb], dst[z + kb + 1], dst[z + kb + 2], dst[z + kb + 3], kend, n);
    }
    if (r < kend) {
      const y = perm[r] * n;
      rank4(dst, y, lu, L0, L1, L2, L3, dst[y + kb], dst[y + kb + 1], dst[y + kb + 2], dst[y + kb + 3], kend, n);
    }
  }
  // Backward: U, blocks of 4 rows from the bottom.
  for (let kb = (n - 1) & ~3; kb >= 0; kb -= 4) {
    const kend = Math.min(kb + 4, n);
    for (let c = 0; c < n; c++) {
      const x = c * n;
      for (let t = kend - 1; t >= kb; t--) {
        const v = (dst[x + t] *= 1 / lu[t * n + t]);
        for (let s = kb; s < t; s++) dst[x + s] -= lu[t * n + s] * v;
      }
    }
    if (kb === 0) break;
    if (kend - kb === 4) {
      const U3 = (kend - 1) * n, U2 = U3 - n, U1 = U2 - n, U0 = U1 - n;
      let c = 0;
      for (; c + 2 <= n; c += 2) {
        const x = c * n, z = x + n;
        rank4x2(dst, x, z, lu, U3, U2, U1, U0, dst[x + kend - 1], dst[x + kend - 2], dst[x + kend - 3], dst[x + kb],
          dst[z + kend - 1], dst[z + kend - 2], dst[z + kend - 3], dst[z + kb], 0, kb);
      }
      if (c < n) {
        const x = c * n;
        rank4(dst, x, lu, U3, U2, U1, U0, dst[x + kend - 1], dst[x + kend - 2], dst[x + kend - 3], dst[x + kb], 0, kb);
      }
    } else {
      for (let c = 0; c < n; c++) {
        const x = c * n;
        for (let t = kend - 1; t >= kb; t--) {
          const v = dst[x + t];
          const ut = t * n;
          for (let i = 0; i < kb; i++) dst[x + i] -= lu[ut + i] * v;
        }
      }
    }
  }
  return true;
}
