// LU with partial pivoting and what is built on it: DET, LOGDET, INV.
// see: LAPACK dgetrf (right-looking, blocked) and dgetf2 (its unblocked panel).
//
// Blocks of 4 columns: factor the panel with rank-1 updates, solve for the 4
// rows of U to its right, then apply one rank-4 update to the trailing matrix
// (each trailing column is read and written once per block instead of 4 times).
// The rank-4 update subtracts l_0 u_0, l_1 u_1, ... in order, so the result is
// the same arithmetic as the unblocked algorithm.
import { nmadd } from './simd';
import { raise, SINGULAR, DOMAIN } from './status';
import { copy } from './elementwise';

/** Set by `factor`: some pivot was exactly zero (det is exactly 0). */
let exactlySingular = false;

// @ts-ignore: decorator
@inline function at(a: usize, i: i32, j: i32, n: i32): usize {
  return a + (<usize>(i + j * n) << 3);
}

/** c[i] -= l[i] * u, i < rows. */
function upd1(c: usize, l: usize, u: f64, rows: i32): void {
  const uv = f64x2.splat(u);
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = <usize>i << 3;
    v128.store(c + o, nmadd(v128.load(l + o), uv, v128.load(c + o)));
  }
  if (i < rows) {
    const o = <usize>i << 3;
    // One lane of the same vector op, so fused and unfused builds stay self-consistent.
    const v = nmadd(v128.load64_zero(l + o), uv, v128.load64_zero(c + o));
    store<f64>(c + o, f64x2.extract_lane(v, 0));
  }
}

/**
 * Two columns at once: c0[i] -= l0[i] a0 + l1[i] a1 + l2[i] a2 + l3[i] a3 and
 * c1[i] the same with b0..b3, subtracted term by term, i < rows.
 * 8 splats + 4 column loads + 2 accumulators fit in 16 vector registers.
 */
function upd4x2(c0: usize, c1: usize, l0: usize, l1: usize, l2: usize, l3: usize,
  a0: f64, a1: f64, a2: f64, a3: f64, b0: f64, b1: f64, b2: f64, b3: f64, rows: i32): void {
  const A0 = f64x2.splat(a0), A1 = f64x2.splat(a1), A2 = f64x2.splat(a2), A3 = f64x2.splat(a3);
  const B0 = f64x2.splat(b0), B1 = f64x2.splat(b1), B2 = f64x2.splat(b2), B3 = f64x2.splat(b3);
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = <usize>i << 3;
    const L0 = v128.load(l0 + o), L1 = v128.load(l1 + o), L2 = v128.load(l2 + o), L3 = v128.load(l3 + o);
    let x = v128.load(c0 + o);
    x = nmadd(L0, A0, x); x = nmadd(L1, A1, x); x = nmadd(L2, A2, x); x = nmadd(L3, A3, x);
    v128.store(c0 + o, x);
    let y = v128.load(c1 + o);
    y = nmadd(L0, B0, y); y = nmadd(L1, B1, y); y = nmadd(L2, B2, y); y = nmadd(L3, B3, y);
    v128.store(c1 + o, y);
  }
  if (i < rows) {
    const o = <usize>i << 3;
    const L0 = v128.load64_zero(l0 + o), L1 = v128.load64_zero(l1 + o);
    const L2 = v128.load64_zero(l2 + o), L3 = v128.load64_zero(l3 + o);
    let x = v128.load64_zero(c0 + o);
    x = nmadd(L0, A0, x); x = nmadd(L1, A1, x); x = nmadd(L2, A2, x); x = nmadd(L3, A3, x);
    store<f64>(c0 + o, f64x2.extract_lane(x, 0));
    let y = v128.load64_zero(c1 + o);
    y = nmadd(L0, B0, y); y = nmadd(L1, B1, y); y = nmadd(L2, B2, y); y = nmadd(L3, B3, y);
    store<f64>(c1 + o, f64x2.extract_lane(y, 0));
  }
}

/** One column: c[i] -= l0[i] a0 + ... + l3[i] a3, term by term. */
function upd4(c: usize, l0: usize, l1: usize, l2: usize, l3: usize, a0: f64, a1: f64, a2: f64, a3: f64, rows: i32): void {
  const A0 = f64x2.splat(a0), A1 = f64x2.splat(a1), A2 = f64x2.splat(a2), A3 = f64x2.splat(a3);
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = <usize>i << 3;
    let x = v128.load(c + o);
    x = nmadd(v128.load(l0 + o), A0, x); x = nmadd(v128.load(l1 + o), A1, x);
    x = nmadd(v128.load(l2 + o), A2, x); x = nmadd(v128.load(l3 + o), A3, x);
    v128.store(c + o, x);
  }
  if (i < rows) {
    const o = <usize>i << 3;
    let x = v128.load64_zero(c + o);
    x = nmadd(v128.load64_zero(l0 + o), A0, x); x = nmadd(v128.load64_zero(l1 + o), A1, x);
    x = nmadd(v128.load64_zero(l2 + o), A2, x); x = nmadd(v128.load64_zero(l3 + o), A3, x);
    store<f64>(c + o, f64x2.extract_lane(x, 0));
  }
}

/**
 * In-place LU of the n x n matrix at `lu` (P A = L U, unit L below the
 * diagonal, U on and above). piv[k] (i32) is the row swapped with row k at
 * step k. Returns SINGULAR when a pivot is tiny against the largest entry of A
 * or the pivots span more than 12 orders of magnitude.
 */
export function factor(lu: usize, piv: usize, n: i32): i32 {
  exactlySingular = false;
  const nn = n * n;
  let amax = 0.0;
  for (let i = 0; i < nn; i++) {
    const v = Math.abs(load<f64>(lu + (<usize>i << 3)));
    if (v > amax) amax = v;
  }
  const tiny = 1e-13 * amax;
  let flags = 0;
  const col = <usize>n << 3;
  for (let kb = 0; kb < n; kb += 4) {
    const kend = min(kb + 4, n);
    // Panel: columns kb..kend-1, unblocked (dgetf2).
    for (let k = kb; k < kend; k++) {
      const ck = at(lu, 0, k, n);
      let p = k;
      let best = Math.abs(load<f64>(ck + (<usize>k << 3)));
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(load<f64>(ck + (<usize>i << 3)));
        if (v > best) { best = v; p = i; }
      }
      store<i32>(piv + (<usize>k << 2), p);
      if (p != k) {
        // Swap whole rows (dlaswp on both sides of the panel).
        let rk = lu + (<usize>k << 3), rp = lu + (<usize>p << 3);
        for (let j = 0; j < n; j++) {
          const t = load<f64>(rk);
          store<f64>(rk, load<f64>(rp));
          store<f64>(rp, t);
          rk += col;
          rp += col;
        }
      }
      const pivot = load<f64>(ck + (<usize>k << 3));
      if (Math.abs(pivot) <= tiny) flags |= SINGULAR;
      const below = ck + (<usize>(k + 1) << 3);
      const rows = n - k - 1;
      if (pivot == 0) {
        // The whole column below is zero too: nothing to eliminate (dgetf2 skips it).
        exactlySingular = true;
        continue;
      }
      const pv = f64x2.splat(pivot);
      let i = 0;
      for (; i + 2 <= rows; i += 2) {
        const o = <usize>i << 3;
        v128.store(below + o, f64x2.div(v128.load(below + o), pv));
      }
      if (i < rows) {
        const o = <usize>i << 3;
        store<f64>(below + o, load<f64>(below + o) / pivot);
      }
      for (let j = k + 1; j < kend; j++) {
        const cj = at(lu, k, j, n);
        upd1(cj + 8, below, load<f64>(cj), rows);
      }
    }
    if (kend >= n) break;
    const nb = kend - kb;
    // U12: rows kb..kend-1 right of the panel, L11 unit lower (dtrsm).
    for (let j = kend; j < n; j++) {
      for (let r = kb + 1; r < kend; r++) {
        let x = load<f64>(at(lu, r, j, n));
        for (let s = kb; s < r; s++) x -= load<f64>(at(lu, r, s, n)) * load<f64>(at(lu, s, j, n));
        store<f64>(at(lu, r, j, n), x);
      }
    }
    // A22 -= L21 U12 (dgemm).
    const rows = n - kend;
    const l0 = at(lu, kend, kb, n);
    if (nb == 4) {
      const l1 = l0 + col, l2 = l1 + col, l3 = l2 + col;
      let j = kend;
      for (; j + 2 <= n; j += 2) {
        const u0 = at(lu, kb, j, n), u1 = u0 + col;
        upd4x2(u0 + 32, u1 + 32, l0, l1, l2, l3,
          load<f64>(u0), load<f64>(u0, 8), load<f64>(u0, 16), load<f64>(u0, 24),
          load<f64>(u1), load<f64>(u1, 8), load<f64>(u1, 16), load<f64>(u1, 24), rows);
      }
      if (j < n) {
        const u0 = at(lu, kb, j, n);
        upd4(u0 + 32, l0, l1, l2, l3, load<f64>(u0), load<f64>(u0, 8), load<f64>(u0, 16), load<f64>(u0, 24), rows);
      }
    } else {
      for (let j = kend; j < n; j++) {
        const u = at(lu, kb, j, n);
        for (let t = 0; t < nb; t++) upd1(u + (<usize>nb << 3), l0 + col * <usize>t, load<f64>(u + (<usize>t << 3)), rows);
      }
    }
  }
  if (n > 0) {
    let pmin = Infinity, pmax = 0.0;
    for (let k = 0; k < n; k++) {
      const v = Math.abs(load<f64>(at(lu, k, k, n)));
      if (v < pmin) pmin = v;
      if (v > pmax) pmax = v;
    }
    if (pmin < 1e-12 * pmax) flags |= SINGULAR;
  }
  if (exactlySingular) flags |= SINGULAR;
  return flags;
}

/** DET (op 12): scratch b holds the LU (8 m m bytes) and the pivots (8 m bytes). */
export function det(dst: usize, a: usize, b: usize, m: i32): void {
  const piv = b + (<usize>(m * m) << 3);
  copy(b, a, m * m);
  raise(factor(b, piv, m));
  let d = 1.0;
  let negative = false;
  for (let k = 0; k < m; k++) {
    d *= load<f64>(at(b, k, k, m));
    if (load<i32>(piv + (<usize>k << 2)) != k) negative = !negative;
  }
  if (negative) d = -d;
  // An exactly singular matrix has det exactly +0, whatever the other pivots hold.
  if (exactlySingular) d = 0;
  store<f64>(dst, d);
}

/** LOGDET (op 13): sum of log|pivot|; a singular matrix is outside log's domain. */
export function logdet(dst: usize, a: usize, b: usize, m: i32): void {
  const piv = b + (<usize>(m * m) << 3);
  copy(b, a, m * m);
  const flags = factor(b, piv, m);
  raise(flags);
  if (flags & SINGULAR) raise(DOMAIN);
  let s = 0.0;
  for (let k = 0; k < m; k++) s += Math.log(Math.abs(load<f64>(at(b, k, k, m))));
  if (exactlySingular) s = -Infinity;
  store<f64>(dst, s);
}

/**
 * INV (op 14): LU in scratch b, then for each r the solve L U x = e_r, whose
 * x is column perm[r] of the inverse (row r of P A is row perm[r] of A).
 * Columns go in pairs through the same blocked updates as the factorization.
 * An exactly singular matrix gives NaN everywhere (and SINGULAR).
 */
export function inv(dst: usize, a: usize, b: usize, m: i32): void {
  const lu = b;
  const piv = b + (<usize>(m * m) << 3);
  const perm = piv + (<usize>m << 2); // second half of the pivot area
  copy(lu, a, m * m);
  raise(factor(lu, piv, m));
  const total = m * m;
  if (exactlySingular) {
    for (let i = 0; i < total; i++) store<f64>(dst + (<usize>i << 3), NaN);
    return;
  }
  for (let r = 0; r < m; r++) store<i32>(perm + (<usize>r << 2), r);
  for (let k = 0; k < m; k++) {
    const p = load<i32>(piv + (<usize>k << 2));
    if (p != k) {
      const t = load<i32>(perm + (<usize>k << 2));
      store<i32>(perm + (<usize>k << 2), load<i32>(perm + (<usize>p << 2)));
      store<i32>(perm + (<usize>p << 2), t);
    }
  }
  for (let i = 0; i < total; i++) store<f64>(dst + (<usize>i << 3), 0);
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const x0 = at(dst, 0, load<i32>(perm + (<usize>r << 2)), m);
    const x1 = at(dst, 0, load<i32>(perm + (<usize>(r + 1) << 2)), m);
    store<f64>(x0 + (<usize>r << 3), 1);
    store<f64>(x1 + (<usize>(r + 1) << 3), 1);
    forward(lu, x0, x1, m, r & ~3);
    backward(lu, x0, x1, m);
  }
  if (r < m) {
    const x0 = at(dst, 0, load<i32>(perm + (<usize>r << 2)), m);
    store<f64>(x0 + (<usize>r << 3), 1);
    forward(lu, x0, 0, m, r & ~3);
    backward(lu, x0, 0, m);
  }
}

/**
 * L y = rhs in place for one or two columns (x1 == 0: one), starting at block
 * row `start` (entries above are zero). Blocks of 4 rows: the small
 * triangle, then a rank-4 update of the rows below, in plain k order.
 */
function forward(lu: usize, x0: usize, x1: usize, m: i32, start: i32): void {
  const col = <usize>m << 3;
  for (let kb = start; kb < m; kb += 4) {
    const kend = min(kb + 4, m);
    for (let t = kb + 1; t < kend; t++) {
      for (let s = kb; s < t; s++) {
        const l = load<f64>(at(lu, t, s, m));
        store<f64>(x0 + (<usize>t << 3), load<f64>(x0 + (<usize>t << 3)) - l * load<f64>(x0 + (<usize>s << 3)));
        if (x1) store<f64>(x1 + (<usize>t << 3), load<f64>(x1 + (<usize>t << 3)) - l * load<f64>(x1 + (<usize>s << 3)));
      }
    }
    if (kend >= m) break;
    const rows = m - kend;
    const l0 = at(lu, kend, kb, m);
    const o = <usize>kb << 3;
    const y0 = x0 + (<usize>kend << 3);
    if (kend - kb == 4) {
      const l1 = l0 + col, l2 = l1 + col, l3 = l2 + col;
      if (x1) {
        upd4x2(y0, x1 + (<usize>kend << 3), l0, l1, l2, l3,
          load<f64>(x0 + o), load<f64>(x0 + o, 8), load<f64>(x0 + o, 16), load<f64>(x0 + o, 24),
          load<f64>(x1 + o), load<f64>(x1 + o, 8), load<f64>(x1 + o, 16), load<f64>(x1 + o, 24), rows);
      } else {
        upd4(y0, l0, l1, l2, l3, load<f64>(x0 + o), load<f64>(x0 + o, 8), load<f64>(x0 + o, 16), load<f64>(x0 + o, 24), rows);
      }
    } else {
      for (let t = kb; t < kend; t++) {
        const lt = l0 + col * <usize>(t - kb);
        upd1(y0, lt, load<f64>(x0 + (<usize>t << 3)), rows);
        if (x1) upd1(x1 + (<usize>kend << 3), lt, load<f64>(x1 + (<usize>t << 3)), rows);
      }
    }
  }
}

/** U x = y in place for one or two columns: blocks of 4 rows from the bottom, k descending. */
function backward(lu: usize, x0: usize, x1: usize, m: i32): void {
  if (m == 0) return;
  const col = <usize>m << 3;
  for (let kb = (m - 1) & ~3; kb >= 0; kb -= 4) {
    const kend = min(kb + 4, m);
    for (let t = kend - 1; t >= kb; t--) {
      const d = load<f64>(at(lu, t, t, m));
      const ot = <usize>t << 3;
      const v0 = load<f64>(x0 + ot) / d;
      store<f64>(x0 + ot, v0);
      let v1 = 0.0;
      if (x1) {
        v1 = load<f64>(x1 + ot) / d;
        store<f64>(x1 + ot, v1);
      }
      for (let s = kb; s < t; s++) {
        const u = load<f64>(at(lu, s, t, m));
        const os = <usize>s << 3;
        store<f64>(x0 + os, load<f64>(x0 + os) - u * v0);
        if (x1) store<f64>(x1 + os, load<f64>(x1 + os) - u * v1);
      }
    }
    if (kb == 0) break;
    // Rows 0..kb-1 minus U(:, t) x_t for t = kend-1 down to kb.
    const top = at(lu, 0, kend - 1, m);
    const o = <usize>(kend - 1) << 3;
    if (kend - kb == 4) {
      const l1 = top - col, l2 = l1 - col, l3 = l2 - col;
      if (x1) {
        upd4x2(x0, x1, top, l1, l2, l3,
          load<f64>(x0 + o), load<f64>(x0 + o - 8), load<f64>(x0 + o - 16), load<f64>(x0 + o - 24),
          load<f64>(x1 + o), load<f64>(x1 + o - 8), load<f64>(x1 + o - 16), load<f64>(x1 + o - 24), kb);
      } else {
        upd4(x0, top, l1, l2, l3, load<f64>(x0 + o), load<f64>(x0 + o - 8), load<f64>(x0 + o - 16), load<f64>(x0 + o - 24), kb);
      }
    } else {
      for (let t = kend - 1; t >= kb; t--) {
        const lt = at(lu, 0, t, m);
        upd1(x0, lt, load<f64>(x0 + (<usize>t << 3)), kb);
        if (x1) upd1(x1, lt, load<f64>(x1 + (<usize>t << 3)), kb);
      }
    }
  }
}
