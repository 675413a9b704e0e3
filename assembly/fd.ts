// Finite differences over a whole program, each call one loop inside the engine
// (docs/engine-abi.md, "Finite differences").
//
// Three step levels s, s/2, s/4 of a central difference, two Richardson
// steps: R1 = (4 D(s/2) - D(s)) / 3, R2 = (4 D(s/4) - D(s/2)) / 3,
// R = (16 R2 - R1) / 15. Error estimate |R - R2| + 8 eps M / (s/4)^order.
//
// Scratch (8 (nX + 6 nF) bytes): x0 | f0 | D(s) | D(s/2) | D(s/4) | M | spare.
import { runProgram } from './interpreter';
import { kink, setKink, KINK } from './status';
import { copy } from './elementwise';
import { norm2 } from './reduce';
import { exponentOf, pow2 } from './scale';

// @ts-ignore: decorator
@inline const EPS: f64 = 2.220446049250313e-16; // 2^-52

/** Status OR-ed over the evaluations of the current call, and the base kink signature. */
let st: i32 = 0;
let baseKink: f64 = 0;

function evaluate(prog: usize, count: i32): void {
  st |= runProgram(prog, count);
  if (kink != baseKink) st |= KINK;
}

function rms(a: usize, n: i32): f64 {
  return n > 0 ? norm2(a, n) / Math.sqrt(<f64>n) : 0;
}

/** The base evaluation: saves x and f(x), records the base status and kink signature. */
function begin(prog: usize, count: i32, x: usize, nX: i32, f: usize, nF: i32, scratch: usize): void {
  copy(scratch, x, nX);
  st = runProgram(prog, count);
  baseKink = kink;
  copy(scratch + (<usize>nX << 3), f, nF);
}

/** Restores x bit for bit and the kink signature of the base point. */
function finish(x: usize, x0: usize, nX: i32): i32 {
  copy(x, x0, nX);
  setKink(baseKink);
  return st;
}

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** M[o] = max(M[o], |f[o]|), NaN sticky. */
function trackMax(mx: usize, f: usize, nF: i32): void {
  for (let o = 0; o < nF; o++) {
    const v = Math.abs(load<f64>(at(f, o)));
    const cur = load<f64>(at(mx, o));
    if (v > cur || v != v) store<f64>(at(mx, o), v);
  }
}

/** D[o] = f[o] (first stencil point of a level). */
function start(d: usize, f: usize, mx: usize, nF: i32): void {
  copy(d, f, nF);
  trackMax(mx, f, nF);
}

/** D[o] += sign f[o]. */
function accumulate(d: usize, f: usize, mx: usize, nF: i32, sign: f64): void {
  for (let o = 0; o < nF; o++) store<f64>(at(d, o), load<f64>(at(d, o)) + sign * load<f64>(at(f, o)));
  trackMax(mx, f, nF);
}

function scale(d: usize, nF: i32, by: f64): void {
  for (let o = 0; o < nF; o++) store<f64>(at(d, o), load<f64>(at(d, o)) / by);
}

/** Richardson on the three levels; `h` is the smallest step, raised to the derivative's order. */
function combine(d: usize, mx: usize, nF: i32, hPow: f64, out: usize, err: usize): void {
  const lvl = <usize>nF << 3;
  for (let o = 0; o < nF; o++) {
    const d1 = load<f64>(at(d, o));
    const d2 = load<f64>(at(d + lvl, o));
    const d3 = load<f64>(at(d + 2 * lvl, o));
    const r1 = (4 * d2 - d1) / 3;
    const r2 = (4 * d3 - d2) / 3;
    const r = (16 * r2 - r1) / 15;
    store<f64>(at(out, o), r);
    store<f64>(at(err, o), Math.abs(r - r2) + 8 * EPS * load<f64>(at(mx, o)) / hPow);
  }
}

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 3);
}

/** x = x0 + t d. */
function moveAlong(x: usize, x0: usize, d: usize, t: f64, nX: i32): void {
  for (let i = 0; i < nX; i++) store<f64>(at(x, i), load<f64>(at(x0, i)) + t * load<f64>(at(d, i)));
}

/** x = x0 + t (su u + sv v), su, sv = +-1: opposite corners are exact mirror images. */
function moveAlong2(x: usize, x0: usize, u: usize, v: usize, su: f64, sv: f64, t: f64, nX: i32): void {
  for (let i = 0; i < nX; i++) {
    const w = su * load<f64>(at(u, i)) + sv * load<f64>(at(v, i));
    store<f64>(at(x, i), load<f64>(at(x0, i)) + t * w);
  }
}

/** Derivative of f along each direction dirs + 8 d nX; out/err hold nF values per direction. */
export function fdDirectional(prog: usize, count: i32, x: usize, nX: i32, dirs: usize, nDir: i32, hRel: f64,
  f: usize, nF: i32, out: usize, err: usize, scratch: usize): i32 {
  const x0 = scratch;
  const lvl = <usize>nF << 3;
  const d = x0 + (<usize>nX << 3) + lvl;
  const mx = d + 3 * lvl;
  begin(prog, count, x, nX, f, nF, scratch);
  const scaleX = Math.max(1, rms(x0, nX));
  for (let q = 0; q < nDir; q++) {
    const dir = dirs + (<usize>q * <usize>nX << 3);
    const od = out + <usize>q * lvl, ed = err + <usize>q * lvl;
    const rd = rms(dir, nX);
    if (rd == 0) {
      // The derivative along the zero direction is exactly 0.
      zero(od, nF);
      zero(ed, nF);
      continue;
    }
    const s = hRel * scaleX / rd;
    zero(mx, nF);
    for (let level = 0; level < 3; level++) {
      const t = s * (level == 0 ? 1.0 : level == 1 ? 0.5 : 0.25);
      const dl = d + <usize>level * lvl;
      moveAlong(x, x0, dir, t, nX);
      evaluate(prog, count);
      start(dl, f, mx, nF);
      moveAlong(x, x0, dir, -t, nX);
      evaluate(prog, count);
      accumulate(dl, f, mx, nF, -1);
      scale(dl, nF, 2 * t);
    }
    combine(d, mx, nF, s * 0.25, od, ed);
  }
  return finish(x, x0, nX);
}

/**
 * The same first-derivative stencil on values computed outside the engine
 * (checkGradient's f runs in JavaScript): `samples` holds six blocks of nF,
 * f(x + t d) then f(x - t d) for t = s, s/2, s/4; the same arithmetic in the
 * same order as fdDirectional. Scratch: 8 * 4 nF bytes.
 */
export function fdCombine(samples: usize, nF: i32, s: f64, out: usize, err: usize, scratch: usize): void {
  const lvl = <usize>nF << 3;
  const d = scratch;
  const mx = d + 3 * lvl;
  zero(mx, nF);
  for (let level = 0; level < 3; level++) {
    const t = s * (level == 0 ? 1.0 : level == 1 ? 0.5 : 0.25);
    const dl = d + <usize>level * lvl;
    start(dl, samples + <usize>(2 * level) * lvl, mx, nF);
    accumulate(dl, samples + <usize>(2 * level + 1) * lvl, mx, nF, -1);
    scale(dl, nF, 2 * t);
  }
  combine(d, mx, nF, s * 0.25, out, err);
}

/** Derivative along e_p (+ e_q when q >= 0 and q != p) for each i32 pair (p, q). */
export function fdBasis(prog: usize, count: i32, x: usize, nX: i32, pairs: usize, nBasis: i32, hRel: f64,
  f: usize, nF: i32, out: usize, err: usize, scratch: usize): i32 {
  const x0 = scratch;
  const lvl = <usize>nF << 3;
  const d = x0 + (<usize>nX << 3) + lvl;
  const mx = d + 3 * lvl;
  begin(prog, count, x, nX, f, nF, scratch);
  for (let b = 0; b < nBasis; b++) {
    const p = load<i32>(pairs + (<usize>b << 3));
    const q = load<i32>(pairs + (<usize>b << 3), 4);
    const both = q >= 0 && q != p;
    const xp = load<f64>(at(x0, p));
    const xq = both ? load<f64>(at(x0, q)) : 0;
    const s = hRel * Math.max(1, Math.abs(xp));
    zero(mx, nF);
    for (let level = 0; level < 3; level++) {
      const t = s * (level == 0 ? 1.0 : level == 1 ? 0.5 : 0.25);
      const dl = d + <usize>level * lvl;
      store<f64>(at(x, p), xp + t);
      if (both) store<f64>(at(x, q), xq + t);
      evaluate(prog, count);
      start(dl, f, mx, nF);
      store<f64>(at(x, p), xp - t);
      if (both) store<f64>(at(x, q), xq - t);
      evaluate(prog, count);
      accumulate(dl, f, mx, nF, -1);
      scale(dl, nF, 2 * t);
    }
    store<f64>(at(x, p), xp);
    if (both) store<f64>(at(x, q), xq);
    combine(d, mx, nF, s * 0.25, out + <usize>b * lvl, err + <usize>b * lvl);
  }
  return finish(x, x0, nX);
}

/** u' H v of each output for each pair (us + 8 i nX, vs + 8 i nX). */
export function fdMixed(prog: usize, count: i32, x: usize, nX: i32, us: usize, vs: usize, nPairs: i32, hRel: f64,
  f: usize, nF: i32, out: usize, err: usize, scratch: usize): i32 {
  const x0 = scratch;
  const lvl = <usize>nF << 3;
  const d = x0 + (<usize>nX << 3) + lvl;
  const mx = d + 3 * lvl;
  begin(prog, count, x, nX, f, nF, scratch);
  const scaleX = Math.max(1, rms(x0, nX));
  for (let q = 0; q < nPairs; q++) {
    const u = us + (<usize>q * <usize>nX << 3);
    const v = vs + (<usize>q * <usize>nX << 3);
    const od = out + <usize>q * lvl, ed = err + <usize>q * lvl;
    const r = Math.max(rms(u, nX), rms(v, nX));
    if (r == 0) {
      zero(od, nF);
      zero(ed, nF);
      continue;
    }
    const s = hRel * scaleX / r;
    zero(mx, nF);
    for (let level = 0; level < 3; level++) {
      const t = s * (level == 0 ? 1.0 : level == 1 ? 0.5 : 0.25);
      const dl = d + <usize>level * lvl;
      moveAlong2(x, x0, u, v, 1, 1, t, nX);
      evaluate(prog, count);
      start(dl, f, mx, nF);
      moveAlong2(x, x0, u, v, 1, -1, t, nX);
      evaluate(prog, count);
      accumulate(dl, f, mx, nF, -1);
      moveAlong2(x, x0, u, v, -1, 1, t, nX);
      evaluate(prog, count);
      accumulate(dl, f, mx, nF, -1);
      moveAlong2(x, x0, u, v, -1, -1, t, nX);
      evaluate(prog, count);
      accumulate(dl, f, mx, nF, 1);
      scale(dl, nF, 4 * t * t);
    }
    const h = s * 0.25;
    combine(d, mx, nF, h * h, od, ed);
  }
  return finish(x, x0, nX);
}

// The noise of f along a direction, measured (J. J. More and S. M. Wild,
// "Estimating computational noise", SIAM J. Sci. Comput. 33, 2011): f at
// NOISE_POINTS points x + j tau d, tau far below the stencil's steps, and the
// k-th differences of those values, which for k >= 3 are noise alone. The
// rounding term of the fd* estimates (8 eps max|f|) assumes each evaluation
// is off by a few ulps of f; a constant that cancels ((1e6 + x'*x) - 1e6
// rounds at 1e6) or a long reduction (sum(X.*X) at n = 2000, 4 million
// terms) is off by far more, and correct formulas failed. Run only to look
// again at a failure (src/check/trial.ts).
// @ts-ignore: decorator
@inline const NOISE_POINTS: i32 = 8;
// The spacing starts at tau = s / 2^10 (exact in binary; f's smooth part
// contributes about f''' (s/1024)^3 to a third difference, far below any
// rounding) and grows by 8 (up to s/2) while f's values there do not yet
// resolve its rounding: a staircase coarser than f's change between the
// points ((1e12 + x'*x) - 1e12 moves in steps of 1.2e-4) repeats values and
// read as no noise at all, though the stencil's steps see it.
// @ts-ignore: decorator
@inline const NOISE_TAU: f64 = 0.0009765625;
// @ts-ignore: decorator
@inline const NOISE_TAU_GROWTH: f64 = 8;
// @ts-ignore: decorator
@inline const NOISE_SPACINGS: i32 = 4;
/** At least this many distinct values among the NOISE_POINTS: the spacing resolves f's rounding. */
// @ts-ignore: decorator
@inline const NOISE_DISTINCT: i32 = 6;
// The standard deviation of the result R = (64 D(s/4) - 20 D(s/2) + D(s)) / 45
// when every f value carries independent noise sigma: D(t) has sigma
// sqrt(2) / (2 t), so R has sigma / s * sqrt((64 * 2 sqrt 2)^2 + (20 sqrt 2)^2
// + (sqrt 2 / 2)^2) / 45 = 4.07 sigma / s.
// @ts-ignore: decorator
@inline const R_NOISE: f64 = 4.0716;

/**
 * sigma of values v_0 .. v_{P-1} (stride nF apart): the k-th differences'
 * estimates sqrt(gamma_k mean((Delta^k v)^2)), gamma_k = (k!)^2 / (2k)!, for
 * k = 3 .. 6, their largest (pure noise gives about sigma at every k).
 */
function noiseOf(v: usize, stride: usize, work: usize): f64 {
  // Scaled by a power of two (exact) so that the largest value is about 1:
  // the squares of differences of f near 1e200 overflowed, and a wrong claim
  // there read as too noisy instead of failing.
  let m: f64 = 0;
  for (let j = 0; j < NOISE_POINTS; j++) m = Math.max(m, Math.abs(load<f64>(v + <usize>j * stride)));
  if (!isFinite(m)) return Infinity;
  if (m == 0) return 0;
  const e = max(-1000, min(1000, exponentOf(m)));
  const down = pow2(-e);
  for (let j = 0; j < NOISE_POINTS; j++) store<f64>(at(work, j), load<f64>(v + <usize>j * stride) * down);
  let gamma: f64 = 1;
  let sigma: f64 = 0;
  for (let k = 1; k <= 6; k++) {
    // One more difference in place: work[0 .. P-k) = Delta^k v.
    let sq: f64 = 0;
    for (let j = 0; j < NOISE_POINTS - k; j++) {
      const d = load<f64>(at(work, j + 1)) - load<f64>(at(work, j));
      store<f64>(at(work, j), d);
      sq += d * d;
    }
    gamma *= <f64>(k * k) / <f64>((2 * k) * (2 * k - 1));
    if (k >= 3) sigma = Math.max(sigma, Math.sqrt(gamma * sq / <f64>(NOISE_POINTS - k)));
  }
  return sigma * pow2(e);
}

// Directions for measuring noise where the compared ones are basis vectors:
// all ones, and alternating signs (a direction along which f barely changes
// can show little rounding by chance; the larger of the two is kept).
// @ts-ignore: decorator
@inline const ONES: usize = 0;
// @ts-ignore: decorator
@inline const ALTERNATING: usize = 1;

/** x = x0 + t d, d a direction in memory or ONES or ALTERNATING. */
function moveOrShift(x: usize, x0: usize, d: usize, t: f64, nX: i32): void {
  if (d > ALTERNATING) moveAlong(x, x0, d, t, nX);
  else for (let i = 0; i < nX; i++) store<f64>(at(x, i), load<f64>(at(x0, i)) + (d == ALTERNATING && (i & 1) ? -t : t));
}

/** Every output has NOISE_DISTINCT distinct values among its NOISE_POINTS (stride nF apart). */
function resolved(vals: usize, nF: i32): bool {
  const lvl = <usize>nF << 3;
  for (let o = 0; o < nF; o++) {
    let distinct = 0;
    for (let j = 0; j < NOISE_POINTS; j++) {
      const v = load<f64>(at(vals, o) + <usize>j * lvl);
      let seen = false;
      for (let i = 0; i < j && !seen; i++) seen = load<f64>(at(vals, o) + <usize>i * lvl) == v;
      if (!seen) distinct++;
    }
    if (distinct < NOISE_DISTINCT) return false;
  }
  return true;
}

/**
 * sigma[o] = max(sigma[o], the noise of output o of f along d near x0), on
 * NOISE_POINTS points tau apart (tau from NOISE_TAU s, grown while the
 * values do not resolve f's rounding). Work: 8 (NOISE_POINTS nF +
 * NOISE_POINTS) bytes.
 */
function noiseAlong(prog: usize, count: i32, x: usize, x0: usize, nX: i32, d: usize, s: f64, f: usize, nF: i32, sigma: usize, work: usize): void {
  const lvl = <usize>nF << 3;
  const vals = work + (<usize>NOISE_POINTS << 3);
  let tau = NOISE_TAU * s;
  let measured = 0;
  for (let spacing = 0; spacing < NOISE_SPACINGS && measured < 2; spacing++, tau *= NOISE_TAU_GROWTH) {
    for (let j = 0; j < NOISE_POINTS; j++) {
      moveOrShift(x, x0, d, <f64>j * tau, nX);
      // The status is not looked at: a tiny move that crosses a kink or a
      // domain's edge adds to sigma, which leans the verdict to drawing again
      // (never to failing a right claim; a pass needs sigma below the noise limit).
      runProgram(prog, count);
      copy(vals + <usize>j * lvl, f, nF);
    }
    if (measured == 0 && spacing < NOISE_SPACINGS - 1 && !resolved(vals, nF)) continue;
    // The first spacing that resolves the rounding and the next: a staircase
    // just resolved repeats a pattern that its differences underestimate.
    measured++;
    for (let o = 0; o < nF; o++) {
      const v = noiseOf(at(vals, o), lvl, work);
      if (v > load<f64>(at(sigma, o))) store<f64>(at(sigma, o), v);
    }
  }
}

/** err[o] = max(err[o], c sigma[o]), o < nF. */
function raiseTo(err: usize, sigma: usize, c: f64, nF: i32): void {
  for (let o = 0; o < nF; o++) {
    const e = c * load<f64>(at(sigma, o));
    if (e > load<f64>(at(err, o))) store<f64>(at(err, o), e);
  }
}

/** Restores x and f's buffers as at the base point (x0 holds x). */
function restore(prog: usize, count: i32, x: usize, x0: usize, nX: i32): void {
  copy(x, x0, nX);
  runProgram(prog, count);
}

// Scratch of the fdNoise* exports: x0 | sigma (nF) | work (NOISE_POINTS (nF + 1)).

/**
 * Raises fdDirectional's error estimates (`err`, nF per direction, for the
 * same x, dirs and hRel) to 2 R_NOISE sigma / s where f's noise sigma,
 * measured along each direction, says they are too small.
 * Scratch: 8 (nX + nF + NOISE_POINTS (nF + 1)) bytes.
 */
export function fdNoiseDirectional(prog: usize, count: i32, x: usize, nX: i32, dirs: usize, nDir: i32, hRel: f64,
  f: usize, nF: i32, err: usize, scratch: usize): void {
  const x0 = scratch, sigma = x0 + (<usize>nX << 3), work = sigma + (<usize>nF << 3);
  copy(x0, x, nX);
  const scaleX = Math.max(1, rms(x0, nX));
  for (let q = 0; q < nDir; q++) {
    const dir = dirs + (<usize>q * <usize>nX << 3);
    const rd = rms(dir, nX);
    if (rd == 0) continue;
    const s = hRel * scaleX / rd;
    zero(sigma, nF);
    noiseAlong(prog, count, x, x0, nX, dir, s, f, nF, sigma, work);
    raiseTo(err + <usize>q * (<usize>nF << 3), sigma, 2 * R_NOISE / s, nF);
  }
  restore(prog, count, x, x0, nX);
}

/**
 * The same for fdBasis's estimates (`pairs` as there): f's noise measured
 * once, along ONES and ALTERNATING, and each value's estimate raised by its
 * own step s = hRel max(1, |x_p|).
 */
export function fdNoiseBasis(prog: usize, count: i32, x: usize, nX: i32, pairs: usize, nBasis: i32, hRel: f64,
  f: usize, nF: i32, err: usize, scratch: usize): void {
  const x0 = scratch, sigma = x0 + (<usize>nX << 3), work = sigma + (<usize>nF << 3);
  copy(x0, x, nX);
  const s0 = hRel * Math.max(1, rms(x0, nX));
  zero(sigma, nF);
  noiseAlong(prog, count, x, x0, nX, ONES, s0, f, nF, sigma, work);
  noiseAlong(prog, count, x, x0, nX, ALTERNATING, s0, f, nF, sigma, work);
  for (let b = 0; b < nBasis; b++) {
    const p = load<i32>(pairs + (<usize>b << 3));
    const s = hRel * Math.max(1, Math.abs(load<f64>(at(x0, p))));
    raiseTo(err + <usize>b * (<usize>nF << 3), sigma, 2 * R_NOISE / s, nF);
  }
  restore(prog, count, x, x0, nX);
}

/**
 * The same for fdCombine's estimates (checkGradient's f runs in JavaScript):
 * `samples` holds NOISE_POINTS blocks of nF, f at x + j tau d, tau =
 * NOISE_TAU s times `spacing` growths, and `err`'s nF estimates are raised to
 * 2 R_NOISE sigma / s. Returns 0, raising nothing, when the values do not
 * resolve f's rounding and a wider spacing is left to try, unless `force`
 * (the spacing after the first that resolved: noiseAlong measures both).
 * Work: 8 NOISE_POINTS bytes.
 */
export function fdNoiseSamples(samples: usize, nF: i32, s: f64, err: usize, work: usize, spacing: i32, force: i32): i32 {
  if (!force && spacing < NOISE_SPACINGS - 1 && !resolved(samples, nF)) return 0;
  const lvl = <usize>nF << 3;
  for (let o = 0; o < nF; o++) {
    const e = 2 * R_NOISE * noiseOf(at(samples, o), lvl, work) / s;
    if (e > load<f64>(at(err, o))) store<f64>(at(err, o), e);
  }
  return 1;
}

/** How many spacings noiseAlong tries, and the factor between them (for fdNoiseSamples' callers). */
export function noiseSpacings(): i32 {
  return NOISE_SPACINGS;
}

export function noiseTau(spacing: i32): f64 {
  return NOISE_TAU * Math.pow(NOISE_TAU_GROWTH, <f64>spacing);
}

// The standard deviation of fdMixed's result when every f value carries
// noise sigma: D(t) = (f++ - f+- - f-+ + f--) / (4 t^2) has sigma / (2 t^2),
// so R has sigma / s^2 * sqrt((64 * 8)^2 + (20 * 2)^2 + (1 / 2)^2) / 45.
// @ts-ignore: decorator
@inline const R2_NOISE: f64 = 11.414;
/** Up to this many pairs, each pair's noise is measured along its own u and v (2 x 8 evaluations a pair). */
// @ts-ignore: decorator
@inline const OWN_PAIRS: i32 = 64;

/**
 * The same for fdMixed's estimates (`us`, `vs` as there), each pair's
 * estimate raised to 2 R2_NOISE sigma / s^2.
 */
export function fdNoiseMixed(prog: usize, count: i32, x: usize, nX: i32, us: usize, vs: usize, nPairs: i32, hRel: f64,
  f: usize, nF: i32, err: usize, scratch: usize): void {
  const x0 = scratch, sigma = x0 + (<usize>nX << 3), work = sigma + (<usize>nF << 3);
  copy(x0, x, nX);
  const scaleX = Math.max(1, rms(x0, nX));
  // Up to OWN_PAIRS pairs (the directional Hessian's, or a small entry-wise
  // one) are each measured along their own u and v; more (an entry-wise
  // Hessian's nX^2 basis pairs) share one measurement.
  const own = nPairs <= OWN_PAIRS;
  if (!own) {
    zero(sigma, nF);
    noiseAlong(prog, count, x, x0, nX, ONES, hRel * scaleX, f, nF, sigma, work);
    noiseAlong(prog, count, x, x0, nX, ALTERNATING, hRel * scaleX, f, nF, sigma, work);
  }
  for (let q = 0; q < nPairs; q++) {
    const u = us + (<usize>q * <usize>nX << 3), v = vs + (<usize>q * <usize>nX << 3);
    const r = Math.max(rms(u, nX), rms(v, nX));
    if (r == 0) continue;
    const s = hRel * scaleX / r;
    if (own) {
      zero(sigma, nF);
      noiseAlong(prog, count, x, x0, nX, u, s, f, nF, sigma, work);
      noiseAlong(prog, count, x, x0, nX, v, s, f, nF, sigma, work);
    }
    raiseTo(err + <usize>q * (<usize>nF << 3), sigma, 2 * R2_NOISE / (s * s), nF);
  }
  restore(prog, count, x, x0, nX);
}
