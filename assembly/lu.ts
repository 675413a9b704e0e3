// LU with partial pivoting and what is built on it: DET, LOGDET, INV.
// see: LAPACK dgetrf (right-looking, blocked), dgetf2 (its unblocked panel)
// and dgetrs (the triangular solves).
//
// Blocks of 4 columns: factor the 4-column panel, then bring each trailing
// column up to date in one pass: the block's row swaps, its 4 rows of U
// (unit lower solve), and one rank-4 update of the rows below (each trailing
// column is read and written once per block, not 4 times). Each panel step
// is one fused pass over the rows below the pivot: divide by the pivot,
// rank-1 update of the panel columns right of it, and the search for the
// next pivot (SIMD, with the scalar scan's choice: first largest |v|). The
// rank-4 update subtracts l_0 u_0, l_1 u_1, ... in order: the same arithmetic
// as the unblocked algorithm (bit-identical results to the previous version
// of this file). The inverse pushes all columns of P' through the same
// blocked updates, forward with L and backward with U.
// Measured (det, n = 64 / 128 / 256, same process, against the version with
// separate panel passes): the fused panel 1.04-1.06x / 1.04x / 1.0x; the
// rank-4 update inlined and 2 row pairs per iteration, with the copy of A
// fused into the max |a_ij| scan, 1.13 / 1.14 / 1.11x (inv 1.11 / 1.10 / 1.09x).
// The update runs near V8's limit: without FMA, in-order sums keep the
// dependency chains K subtractions long.
// Measured and dropped: rank-8 trailing updates (8 columns per block, same
// order): 0.90x / 0.89x / 0.89x with one column per pass (chains of 8 subtracts
// are latency-bound), 0.84x with 2 row pairs per pass (V8 spills); the swaps
// and U solve moved into the update loop, 0.95-0.99x; earlier: a second
// blocking level with a K = 16 register-blocked gemm update, the rank-4 terms
// summed as a tree, a SIMD pivot search on its own pass. Multiplying by 1 / pivot
// instead of dividing gains 1-4% but changes the bits: not done.
// Measured and dropped (second round): a right-looking outer block of NB
// columns (the panel factored with the rank-4 scheme above, U12 by the same
// 4-row solves, then A22 -= L21 U12 with a packed 4 x 5 minus-accumulate
// kernel like matmul.ts's, p in order). Bit-identical to this file in both
// builds (800 cases, sizes 1..40 and 47..131, ties, NaN, singular), but
// slower, same process, medians: NB = 16 0.86 / 0.90 / 0.94x and
// 0.83 / 0.82 / 0.87x (det, n = 64 / 128 / 256), inv 0.94 / 0.97 / 0.99x;
// NB = 32 0.87 / 0.85 / 0.99x. At n = 256 its gemm ran at 15 GFLOP/s
// (670 us), no faster than the rank-4 updates here (about 700 us of 805,
// 16 GFLOP/s), and the panel's own updates came on top. The update is bound
// by the unfused multiply and subtract per term (TurboFan's code for
// upd4x2 keeps everything in registers: vmulpd + vsubpd per term, about
// 1.5 other instructions each), not by memory traffic, so fewer loads and
// stores of the trailing matrix do not pay. Outside the update, n = 64:
// panels 4.5 us, swaps and U rows 1.5 us, of 16.6 us; the separate pivot
// search of each panel's first column costs 1.5-2.5%.
import { nmadd } from './simd';
import { raise, SINGULAR, DOMAIN } from './status';

/** Set by `factor`: some pivot was exactly zero (det is exactly 0). */
let exactlySingular = false;

// @ts-ignore: decorator
@inline function at(a: usize, i: i32, j: i32, n: i32): usize {
  return a + (<usize>(i + j * n) << 3);
}

// @ts-ignore: decorator
@inline function swap(c: usize, k: i32, p: i32): void {
  const a = c + (<usize>k << 3), b = c + (<usize>p << 3);
  const t = load<f64>(a);
  store<f64>(a, load<f64>(b));
  store<f64>(b, t);
}

/**
 * Copies len doubles from src to dst and returns max |src_i| (NaN entries
 * are skipped, as `v > max` does): one pass instead of a copy and a scan.
 */
function copyAbsMax(dst: usize, src: usize, len: i32): f64 {
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 3;
    const x = v128.load(src + o), y = v128.load(src + o, 16);
    v128.store(dst + o, x);
    v128.store(dst + o, y, 16);
    // pmax(x, y) = x < y ? y : x keeps x when y is NaN.
    m0 = f64x2.pmax(m0, f64x2.abs(x));
    m1 = f64x2.pmax(m1, f64x2.abs(y));
  }
  m0 = f64x2.pmax(m0, m1);
  let r = f64x2.extract_lane(m0, 0);
  const r1 = f64x2.extract_lane(m0, 1);
  if (r1 > r) r = r1;
  for (; i < len; i++) {
    const x = load<f64>(src + (<usize>i << 3));
    store<f64>(dst + (<usize>i << 3), x);
    const v = Math.abs(x);
    if (v > r) r = v;
  }
  return r;
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

// The 4 columns of a rank-4 update, packed by row pairs into static memory
// (the module's own data, below heapBase): 4 vectors per pair, an odd last
// row paired with 0. The update then streams one pointer with constant
// offsets instead of four columns; with four, V8 spills address registers
// inside the loop (measured: packed is about 20% faster at n = 128, 256).
// The unoptimized debug build uses short panels, so tests on it cover the
// chunked path (n > PANEL_ROWS + 4) with small matrices.
// @ts-ignore: decorator
@inline const PANEL_ROWS: i32 = ASC_OPTIMIZE_LEVEL > 0 ? 4096 : 32;
const panel: usize = memory.data(PANEL_ROWS * 32, 16);

function pack4(l0: usize, l1: usize, l2: usize, l3: usize, rows: i32): void {
  let q = panel;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = <usize>i << 3;
    v128.store(q, v128.load(l0 + o));
    v128.store(q, v128.load(l1 + o), 16);
    v128.store(q, v128.load(l2 + o), 32);
    v128.store(q, v128.load(l3 + o), 48);
    q += 64;
  }
  if (i < rows) {
    const o = <usize>i << 3;
    v128.store(q, v128.load64_zero(l0 + o));
    v128.store(q, v128.load64_zero(l1 + o), 16);
    v128.store(q, v128.load64_zero(l2 + o), 32);
    v128.store(q, v128.load64_zero(l3 + o), 48);
  }
}

/** x - l0 a0 - l1 a1 - l2 a2 - l3 a3, subtracted in that order (the unblocked algorithm's order). */
// @ts-ignore: decorator
@inline function rank4(x: v128, l0: v128, l1: v128, l2: v128, l3: v128, a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  return nmadd(l3, a3, nmadd(l2, a2, nmadd(l1, a1, nmadd(l0, a0, x))));
}

/**
 * Two columns at once, against the packed panel: c0[i] -= l0[i] a0, then
 * l1[i] a1, l2[i] a2, l3[i] a3; c1[i] the same with b0..b3; i < rows.
 * Inlined, and 4 rows per iteration: the call and loop overheads matter at
 * n = 64 (about 15 row pairs per call).
 */
// @ts-ignore: decorator
@inline function upd4x2(c0: usize, c1: usize, a0: f64, a1: f64, a2: f64, a3: f64, b0: f64, b1: f64, b2: f64, b3: f64, rows: i32): void {
  const A0 = f64x2.splat(a0), A1 = f64x2.splat(a1), A2 = f64x2.splat(a2), A3 = f64x2.splat(a3);
  const B0 = f64x2.splat(b0), B1 = f64x2.splat(b1), B2 = f64x2.splat(b2), B3 = f64x2.splat(b3);
  let q = panel;
  let p0 = c0, p1 = c1;
  const end4 = c0 + (<usize>(rows & ~3) << 3);
  while (p0 < end4) {
    let L0 = v128.load(q), L1 = v128.load(q, 16), L2 = v128.load(q, 32), L3 = v128.load(q, 48);
    let x = v128.load(p0);
    x = rank4(x, L0, L1, L2, L3, A0, A1, A2, A3);
    v128.store(p0, x);
    let y = v128.load(p1);
    y = rank4(y, L0, L1, L2, L3, B0, B1, B2, B3);
    v128.store(p1, y);
    L0 = v128.load(q, 64); L1 = v128.load(q, 80); L2 = v128.load(q, 96); L3 = v128.load(q, 112);
    x = v128.load(p0, 16);
    x = rank4(x, L0, L1, L2, L3, A0, A1, A2, A3);
    v128.store(p0, x, 16);
    y = v128.load(p1, 16);
    y = rank4(y, L0, L1, L2, L3, B0, B1, B2, B3);
    v128.store(p1, y, 16);
    q += 128;
    p0 += 32;
    p1 += 32;
  }
  const end = c0 + (<usize>(rows & ~1) << 3);
  while (p0 < end) {
    const L0 = v128.load(q), L1 = v128.load(q, 16), L2 = v128.load(q, 32), L3 = v128.load(q, 48);
    let x = v128.load(p0);
    x = rank4(x, L0, L1, L2, L3, A0, A1, A2, A3);
    v128.store(p0, x);
    let y = v128.load(p1);
    y = rank4(y, L0, L1, L2, L3, B0, B1, B2, B3);
    v128.store(p1, y);
    q += 64;
    p0 += 16;
    p1 += 16;
  }
  if (rows & 1) {
    const L0 = v128.load(q), L1 = v128.load(q, 16), L2 = v128.load(q, 32), L3 = v128.load(q, 48);
    let x = v128.load64_zero(p0);
    x = rank4(x, L0, L1, L2, L3, A0, A1, A2, A3);
    store<f64>(p0, f64x2.extract_lane(x, 0));
    let y = v128.load64_zero(p1);
    y = rank4(y, L0, L1, L2, L3, B0, B1, B2, B3);
    store<f64>(p1, f64x2.extract_lane(y, 0));
  }
}

/** One column against the packed panel. */
function upd4(c: usize, a0: f64, a1: f64, a2: f64, a3: f64, rows: i32): void {
  const A0 = f64x2.splat(a0), A1 = f64x2.splat(a1), A2 = f64x2.splat(a2), A3 = f64x2.splat(a3);
  let q = panel;
  let p = c;
  const end = c + (<usize>(rows & ~1) << 3);
  while (p < end) {
    let x = v128.load(p);
    x = rank4(x, v128.load(q), v128.load(q, 16), v128.load(q, 32), v128.load(q, 48), A0, A1, A2, A3);
    v128.store(p, x);
    q += 64;
    p += 16;
  }
  if (rows & 1) {
    let x = v128.load64_zero(p);
    x = rank4(x, v128.load(q), v128.load(q, 16), v128.load(q, 32), v128.load(q, 48), A0, A1, A2, A3);
    store<f64>(p, f64x2.extract_lane(x, 0));
  }
}

/** Column `t`'s 4 entries at c + 8 t .. c + 8 (t + 3) are the u values of a rank-4 update. */
// @ts-ignore: decorator
@inline function updPair(c0: usize, c1: usize, u0: usize, u1: usize, rows: i32): void {
  upd4x2(c0, c1, load<f64>(u0), load<f64>(u0, 8), load<f64>(u0, 16), load<f64>(u0, 24),
    load<f64>(u1), load<f64>(u1, 8), load<f64>(u1, 16), load<f64>(u1, 24), rows);
}

// @ts-ignore: decorator
@inline function updOne(c: usize, u: usize, rows: i32): void {
  upd4(c, load<f64>(u), load<f64>(u, 8), load<f64>(u, 16), load<f64>(u, 24), rows);
}

/**
 * The offset of the first largest |c[i]|, i < rows (rows >= 1), that the
 * scalar scan `if (|c[i]| > best)` from best = |c[0]| finds (NaN entries are
 * skipped; a NaN c[0] is kept), from the per-lane maxima of the even rows
 * (best, with offsets idx; each lane kept its first maximum) and the odd last row.
 */
// @ts-ignore: decorator
@inline function pickMax(best: v128, idx: v128, c: usize, rows: i32): i32 {
  let b = f64x2.extract_lane(best, 0), p = f64x2.extract_lane(idx, 0);
  const v = f64x2.extract_lane(best, 1), q = f64x2.extract_lane(idx, 1);
  if (v > b || (v == b && q < p)) { b = v; p = q; }
  if (rows & 1) {
    if (Math.abs(load<f64>(c + (<usize>(rows - 1) << 3))) > b) p = rows - 1;
  }
  if (!(Math.abs(load<f64>(c)) >= 0)) return 0; // NaN c[0]
  return <i32>p;
}

/** pickMax of a column on its own (a panel's first column, or after a zero pivot). */
function argmaxAbs(c: usize, rows: i32): i32 {
  let best = f64x2.splat(-1), idx = f64x2.splat(0);
  let pos = f64x2(0, 1);
  const two = f64x2.splat(2);
  for (let i = 0; i + 2 <= rows; i += 2) {
    const v = f64x2.abs(v128.load(c + (<usize>i << 3)));
    const m = f64x2.gt(v, best);
    best = v128.bitselect(v, best, m);
    idx = v128.bitselect(pos, idx, m);
    pos = f64x2.add(pos, two);
  }
  return pickMax(best, idx, c, rows);
}

/**
 * One step of the panel, fused into one pass over the rows below the pivot:
 * l[i] = l[i] / pivot, then c_t[i] -= l[i] u_t for the nc <= 3 panel columns
 * right of it, and (nc > 0) the offset of c_1's largest entry, the next pivot.
 */
// @ts-ignore: decorator
@inline function panelStep(nc: i32, l: usize, pivot: f64, c1: usize, u1: f64, c2: usize, u2: f64, c3: usize, u3: f64, rows: i32): i32 {
  const pv = f64x2.splat(pivot);
  const U1 = f64x2.splat(u1), U2 = f64x2.splat(u2), U3 = f64x2.splat(u3);
  let best = f64x2.splat(-1), idx = f64x2.splat(0);
  let pos = f64x2(0, 1);
  const two = f64x2.splat(2);
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const o = <usize>i << 3;
    const x = f64x2.div(v128.load(l + o), pv);
    v128.store(l + o, x);
    if (nc > 0) {
      const y = nmadd(x, U1, v128.load(c1 + o));
      v128.store(c1 + o, y);
      const v = f64x2.abs(y);
      const m = f64x2.gt(v, best);
      best = v128.bitselect(v, best, m);
      idx = v128.bitselect(pos, idx, m);
      pos = f64x2.add(pos, two);
    }
    if (nc > 1) v128.store(c2 + o, nmadd(x, U2, v128.load(c2 + o)));
    if (nc > 2) v128.store(c3 + o, nmadd(x, U3, v128.load(c3 + o)));
  }
  if (i < rows) {
    // One lane of the same vector ops.
    const o = <usize>i << 3;
    const x = f64x2.div(v128.load64_zero(l + o), pv);
    store<f64>(l + o, f64x2.extract_lane(x, 0));
    if (nc > 0) store<f64>(c1 + o, f64x2.extract_lane(nmadd(x, U1, v128.load64_zero(c1 + o)), 0));
    if (nc > 1) store<f64>(c2 + o, f64x2.extract_lane(nmadd(x, U2, v128.load64_zero(c2 + o)), 0));
    if (nc > 2) store<f64>(c3 + o, f64x2.extract_lane(nmadd(x, U3, v128.load64_zero(c3 + o)), 0));
  }
  if (nc == 0) return 0;
  return pickMax(best, idx, c1, rows);
}

/**
 * Panel kb..kend-1 (rows kb..n-1), unblocked (dgetf2); earlier blocks are
 * already applied to it. Row swaps stay inside the panel columns here.
 * Each step is one fused pass (panelStep) that also finds the next pivot.
 */
function factorPanel(lu: usize, piv: usize, n: i32, kb: i32, kend: i32, tiny: f64): i32 {
  let flags = 0;
  let next = kb + argmaxAbs(at(lu, kb, kb, n), n - kb);
  for (let k = kb; k < kend; k++) {
    const ck = at(lu, 0, k, n);
    const p = next;
    store<i32>(piv + (<usize>k << 2), p);
    if (p != k) {
      for (let j = kb; j < kend; j++) swap(at(lu, 0, j, n), k, p);
    }
    const pivot = load<f64>(ck + (<usize>k << 3));
    if (Math.abs(pivot) <= tiny) flags |= SINGULAR;
    const rows = n - k - 1;
    const nc = kend - 1 - k;
    if (pivot == 0) {
      // The whole column below is zero too: nothing to eliminate (dgetf2 skips it).
      exactlySingular = true;
      if (nc > 0) next = k + 1 + argmaxAbs(at(lu, k + 1, k + 1, n), rows);
      continue;
    }
    const below = ck + (<usize>(k + 1) << 3);
    const c1 = at(lu, k, k + 1, n), c2 = at(lu, k, k + 2, n), c3 = at(lu, k, k + 3, n);
    let r = 0;
    if (nc == 3) r = panelStep(3, below, pivot, c1 + 8, load<f64>(c1), c2 + 8, load<f64>(c2), c3 + 8, load<f64>(c3), rows);
    else if (nc == 2) r = panelStep(2, below, pivot, c1 + 8, load<f64>(c1), c2 + 8, load<f64>(c2), 0, 0, rows);
    else if (nc == 1) r = panelStep(1, below, pivot, c1 + 8, load<f64>(c1), 0, 0, 0, 0, rows);
    else panelStep(0, below, pivot, 0, 0, 0, 0, 0, 0, rows);
    next = k + 1 + r;
  }
  return flags;
}

/**
 * Brings the columns right of the full block kb..kb+3 up to date: the block's
 * row swaps (dlaswp) and its rows of U (dtrsm with the unit lower L11), then
 * A22 -= L21 U12 (dgemm) against the packed L21.
 */
function updateTrailing(lu: usize, piv: usize, n: i32, kb: i32): void {
  const kend = kb + 4;
  const col = <usize>n << 3;
  const p0 = load<i32>(piv + (<usize>kb << 2)), p1 = load<i32>(piv + (<usize>kb << 2), 4);
  const p2 = load<i32>(piv + (<usize>kb << 2), 8), p3 = load<i32>(piv + (<usize>kb << 2), 12);
  const d = at(lu, kb, kb, n);
  const l10 = load<f64>(d, 8), l20 = load<f64>(d, 16), l30 = load<f64>(d, 24);
  const l21 = load<f64>(d + col, 16), l31 = load<f64>(d + col, 24);
  const l32 = load<f64>(d + 2 * col, 24);
  for (let j = kend; j < n; j++) {
    const c = at(lu, 0, j, n);
    if (p0 != kb) swap(c, kb, p0);
    if (p1 != kb + 1) swap(c, kb + 1, p1);
    if (p2 != kb + 2) swap(c, kb + 2, p2);
    if (p3 != kb + 3) swap(c, kb + 3, p3);
    const u = c + (<usize>kb << 3);
    const u0 = load<f64>(u);
    const u1 = load<f64>(u, 8) - l10 * u0;
    const u2 = load<f64>(u, 16) - l20 * u0 - l21 * u1;
    const u3 = load<f64>(u, 24) - l30 * u0 - l31 * u1 - l32 * u2;
    store<f64>(u, u1, 8);
    store<f64>(u, u2, 16);
    store<f64>(u, u3, 24);
  }
  const rows = n - kend;
  const l0 = at(lu, kend, kb, n);
  for (let r0 = 0; r0 < rows; r0 += PANEL_ROWS) {
    const rc = min(PANEL_ROWS, rows - r0);
    const o = <usize>r0 << 3;
    pack4(l0 + o, l0 + col + o, l0 + 2 * col + o, l0 + 3 * col + o, rc);
    let j = kend;
    for (; j + 2 <= n; j += 2) {
      const u0 = at(lu, kb, j, n), u1 = u0 + col;
      updPair(u0 + 32 + o, u1 + 32 + o, u0, u1, rc);
    }
    if (j < n) {
      const u = at(lu, kb, j, n);
      updOne(u + 32 + o, u, rc);
    }
  }
}

/**
 * In-place LU of the n x n matrix at `lu` (P A = L U, unit L below the
 * diagonal, U on and above). piv[k] (i32) is the row swapped with row k at
 * step k. Returns SINGULAR when a pivot is tiny against the largest entry of A
 * or the pivots span more than 12 orders of magnitude.
 *
 * Row swaps are applied lazily, while a column is in cache: inside the panel
 * at once, to a trailing column just before its update, and (only when
 * `wantL`) to the finished L columns at the end. Swapping whole rows at each
 * pivot touches one cache line per column instead.
 */
export function factor(lu: usize, a: usize, piv: usize, n: i32, wantL: bool): i32 {
  exactlySingular = false;
  const tiny = 1e-13 * copyAbsMax(lu, a, n * n);
  let flags = 0;
  for (let kb = 0; kb < n; kb += 4) {
    const kend = min(kb + 4, n);
    flags |= factorPanel(lu, piv, n, kb, kend, tiny);
    if (kend >= n) break;
    updateTrailing(lu, piv, n, kb);
  }
  if (wantL) {
    // The swaps of later blocks, on each finished L column.
    for (let kb = 0; kb < n; kb += 4) {
      const kend = min(kb + 4, n);
      for (let j = kb; j < kend; j++) {
        const c = at(lu, 0, j, n);
        for (let k = kend; k < n; k++) {
          const p = load<i32>(piv + (<usize>k << 2));
          if (p != k) swap(c, k, p);
        }
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
  raise(factor(b, a, piv, m, false));
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
  const flags = factor(b, a, piv, m, false);
  raise(flags);
  if (flags & SINGULAR) raise(DOMAIN);
  let s = 0.0;
  for (let k = 0; k < m; k++) s += Math.log(Math.abs(load<f64>(at(b, k, k, m))));
  if (exactlySingular) s = -Infinity;
  store<f64>(dst, s);
}

/**
 * INV (op 14): LU in scratch b, then the solve L U x = e_r for every r, whose
 * x is column perm[r] of the inverse (row r of P A is row perm[r] of A).
 * An exactly singular matrix gives NaN everywhere (and SINGULAR).
 */
export function inv(dst: usize, a: usize, b: usize, m: i32): void {
  const lu = b;
  const piv = b + (<usize>(m * m) << 3);
  const perm = piv + (<usize>m << 2); // second half of the pivot area
  raise(factor(lu, a, piv, m, true));
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
  memory.fill(dst, 0, <usize>total << 3);
  for (let r = 0; r < m; r++) store<f64>(at(dst, r, load<i32>(perm + (<usize>r << 2)), m), 1);
  forward(lu, dst, perm, m);
  backward(lu, dst, m);
}

// @ts-ignore: decorator
@inline function column(dst: usize, perm: usize, r: i32, m: i32): usize {
  return at(dst, 0, load<i32>(perm + (<usize>r << 2)), m);
}

/**
 * L Y = P' in place, block by block of 4 rows: the small unit triangle, then
 * a rank-4 update of the rows below. Column perm[r] is zero above row r, so
 * block kb only touches the columns r < kb + 4.
 */
function forward(lu: usize, dst: usize, perm: usize, m: i32): void {
  const col = <usize>m << 3;
  for (let kb = 0; kb < m; kb += 4) {
    const kend = min(kb + 4, m);
    if (kend - kb == 4) {
      const d = at(lu, kb, kb, m);
      const l10 = load<f64>(d, 8), l20 = load<f64>(d, 16), l30 = load<f64>(d, 24);
      const l21 = load<f64>(d + col, 16), l31 = load<f64>(d + col, 24);
      const l32 = load<f64>(d + 2 * col, 24);
      for (let r = 0; r < kend; r++) {
        const y = column(dst, perm, r, m) + (<usize>kb << 3);
        const y0 = load<f64>(y);
        const y1 = load<f64>(y, 8) - l10 * y0;
        const y2 = load<f64>(y, 16) - l20 * y0 - l21 * y1;
        const y3 = load<f64>(y, 24) - l30 * y0 - l31 * y1 - l32 * y2;
        store<f64>(y, y1, 8);
        store<f64>(y, y2, 16);
        store<f64>(y, y3, 24);
      }
    } else {
      for (let r = 0; r < kend; r++) {
        const y = column(dst, perm, r, m);
        for (let t = kb + 1; t < kend; t++) {
          let x = load<f64>(y + (<usize>t << 3));
          for (let s = kb; s < t; s++) x -= load<f64>(at(lu, t, s, m)) * load<f64>(y + (<usize>s << 3));
          store<f64>(y + (<usize>t << 3), x);
        }
      }
    }
    if (kend >= m) break;
    const rows = m - kend;
    const l0 = at(lu, kend, kb, m);
    const top = <usize>kb << 3;
    for (let r0 = 0; r0 < rows; r0 += PANEL_ROWS) {
      const rc = min(PANEL_ROWS, rows - r0);
      const o = <usize>r0 << 3;
      pack4(l0 + o, l0 + col + o, l0 + 2 * col + o, l0 + 3 * col + o, rc);
      const below = <usize>(kend + r0) << 3;
      let r = 0;
      for (; r + 2 <= kend; r += 2) {
        const y0 = column(dst, perm, r, m), y1 = column(dst, perm, r + 1, m);
        updPair(y0 + below, y1 + below, y0 + top, y1 + top, rc);
      }
      if (r < kend) {
        const y0 = column(dst, perm, r, m);
        updOne(y0 + below, y0 + top, rc);
      }
    }
  }
}

/**
 * U X = Y in place for all columns, blocks of 4 rows from the bottom: the
 * small triangle (k descending), then the rows above minus U(:, t) x_t for
 * t descending, against the packed columns t = kend-1 .. kb.
 */
function backward(lu: usize, dst: usize, m: i32): void {
  if (m == 0) return;
  const col = <usize>m << 3;
  for (let kb = (m - 1) & ~3; kb >= 0; kb -= 4) {
    const kend = min(kb + 4, m);
    // Reciprocals of the diagonal, as LAPACK's dtrtri does for the inverse.
    if (kend - kb == 4) {
      const d = at(lu, kb, kb, m);
      const r0 = 1 / load<f64>(d), r1 = 1 / load<f64>(d + col, 8);
      const r2 = 1 / load<f64>(d + 2 * col, 16), r3 = 1 / load<f64>(d + 3 * col, 24);
      const u01 = load<f64>(d + col);
      const u02 = load<f64>(d + 2 * col), u12 = load<f64>(d + 2 * col, 8);
      const u03 = load<f64>(d + 3 * col), u13 = load<f64>(d + 3 * col, 8), u23 = load<f64>(d + 3 * col, 16);
      for (let c = 0; c < m; c++) {
        const x = at(dst, kb, c, m);
        const v3 = load<f64>(x, 24) * r3;
        const v2 = (load<f64>(x, 16) - u23 * v3) * r2;
        const v1 = (load<f64>(x, 8) - u13 * v3 - u12 * v2) * r1;
        const v0 = (load<f64>(x) - u03 * v3 - u02 * v2 - u01 * v1) * r0;
        store<f64>(x, v0);
        store<f64>(x, v1, 8);
        store<f64>(x, v2, 16);
        store<f64>(x, v3, 24);
      }
    } else {
      for (let c = 0; c < m; c++) {
        const x = at(dst, 0, c, m);
        for (let t = kend - 1; t >= kb; t--) {
          const v = load<f64>(x + (<usize>t << 3)) * (1 / load<f64>(at(lu, t, t, m)));
          store<f64>(x + (<usize>t << 3), v);
          for (let s = kb; s < t; s++) {
            const os = <usize>s << 3;
            store<f64>(x + os, load<f64>(x + os) - load<f64>(at(lu, s, t, m)) * v);
          }
        }
      }
    }
    if (kb == 0) break;
    const rows = kb;
    if (kend - kb == 4) {
      const u3 = at(lu, 0, kend - 1, m);
      const last = <usize>kb << 3;
      for (let r0 = 0; r0 < rows; r0 += PANEL_ROWS) {
        const rc = min(PANEL_ROWS, rows - r0);
        const o = <usize>r0 << 3;
        // Packed in the order t = kend-1, kend-2, kend-3, kb: the x values go in that order too.
        pack4(u3 + o, u3 - col + o, u3 - 2 * col + o, u3 - 3 * col + o, rc);
        let c = 0;
        for (; c + 2 <= m; c += 2) {
          const x0 = at(dst, 0, c, m), x1 = x0 + col;
          upd4x2(x0 + o, x1 + o,
            load<f64>(x0 + last, 24), load<f64>(x0 + last, 16), load<f64>(x0 + last, 8), load<f64>(x0 + last),
            load<f64>(x1 + last, 24), load<f64>(x1 + last, 16), load<f64>(x1 + last, 8), load<f64>(x1 + last), rc);
        }
        if (c < m) {
          const x0 = at(dst, 0, c, m);
          upd4(x0 + o, load<f64>(x0 + last, 24), load<f64>(x0 + last, 16), load<f64>(x0 + last, 8), load<f64>(x0 + last), rc);
        }
      }
    } else {
      // The short bottom block (m not a multiple of 4).
      for (let c = 0; c < m; c++) {
        const x = at(dst, 0, c, m);
        for (let t = kend - 1; t >= kb; t--) upd1(x, at(lu, 0, t, m), load<f64>(x + (<usize>t << 3)), rows);
      }
    }
  }
}
