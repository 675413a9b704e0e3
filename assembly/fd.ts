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
