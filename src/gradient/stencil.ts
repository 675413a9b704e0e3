// The engine's finite-difference scheme (docs/engine-abi.md, "Finite
// differences"; assembly/fd.ts), for a function that runs in JavaScript:
// central differences at s, s/2, s/4, two Richardson levels, and the same
// error estimate, with the same arithmetic in the same order.

/** 2^-52, as in assembly/fd.ts. */
const EPS = 2.220446049250313e-16;

export interface Stencil {
  values: Float64Array;
  errors: Float64Array;
}

/**
 * Derivative at t = 0 of the nF outputs of `at(t)` (f evaluated at x + t d),
 * with smallest step s/4. `at` returns undefined to abandon (a non-finite value).
 */
export function richardson(at: (t: number) => Float64Array | undefined, s: number, nF: number): Stencil | undefined {
  const d = [new Float64Array(nF), new Float64Array(nF), new Float64Array(nF)];
  const mx = new Float64Array(nF);
  const track = (f: Float64Array) => {
    for (let o = 0; o < nF; o++) {
      const v = Math.abs(f[o]);
      if (v > mx[o] || v !== v) mx[o] = v;
    }
  };
  for (let level = 0; level < 3; level++) {
    const t = s * (level === 0 ? 1.0 : level === 1 ? 0.5 : 0.25);
    const plus = at(t);
    if (!plus) return undefined;
    const dl = d[level];
    dl.set(plus);
    track(plus);
    const minus = at(-t);
    if (!minus) return undefined;
    for (let o = 0; o < nF; o++) dl[o] = dl[o] + -1 * minus[o];
    track(minus);
    for (let o = 0; o < nF; o++) dl[o] = dl[o] / (2 * t);
  }
  const values = new Float64Array(nF);
  const errors = new Float64Array(nF);
  const hPow = s * 0.25;
  for (let o = 0; o < nF; o++) {
    const r1 = (4 * d[1][o] - d[0][o]) / 3;
    const r2 = (4 * d[2][o] - d[1][o]) / 3;
    const r = (16 * r2 - r1) / 15;
    values[o] = r;
    errors[o] = Math.abs(r - r2) + (8 * EPS * mx[o]) / hPow;
  }
  return { values, errors };
}

function rms(a: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s) / Math.sqrt(a.length);
}

/** The engine's step along a direction: s = hRel * max(1, rms(x)) / rms(d) (0 for a zero direction). */
export function directionalStep(x: ArrayLike<number>, dir: ArrayLike<number>, hRel: number): number {
  const rd = rms(dir);
  return rd === 0 ? 0 : (hRel * Math.max(1, rms(x))) / rd;
}

/** The engine's step along a basis direction e_p: s = hRel * max(1, |x_p|). */
export function basisStep(xp: number, hRel: number): number {
  return hRel * Math.max(1, Math.abs(xp));
}
