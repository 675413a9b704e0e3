// The engine's finite-difference scheme (docs/engine-abi.md, "Finite
// differences") for a function that runs in JavaScript: the stencil's points
// are evaluated here, and the engine's fdCombine turns them into derivatives
// and error estimates with fdDirectional's own arithmetic.
import type { EngineScratch } from './engine.js';

export interface Stencil {
  values: Float64Array;
  errors: Float64Array;
}

/**
 * Derivative at t = 0 of the nF outputs of `at(t)` (f evaluated at x + t d),
 * with smallest step s/4. `at` returns undefined to abandon (a non-finite value).
 * `measureNoise`: also measure f's noise near x and raise the error estimates
 * where they assumed less (8 more evaluations a spacing; to look again at a failure).
 */
export function richardson(at: (t: number) => ArrayLike<number> | undefined, s: number, nF: number, engine: EngineScratch, measureNoise = false): Stencil | undefined {
  // f(x + t d), f(x - t d) for t = s, s/2, s/4: fdCombine's order.
  const samples: ArrayLike<number>[] = [];
  for (const t of [s, s / 2, s / 4]) {
    for (const signed of [t, -t]) {
      const y = at(signed);
      if (!y) return undefined;
      samples.push(y);
    }
  }
  const result = engine.richardson(samples, s, nF);
  if (!measureNoise) return result;
  // f on NOISE_POINTS points tau apart, tau from a 1024th of the step and
  // wider while they do not resolve f's rounding, then the next spacing too,
  // as the engine's noiseAlong (assembly/fd.ts): their differences are
  // rounding alone.
  let errors: Float64Array | undefined;
  for (let spacing = 0; spacing < engine.noiseSpacings(); spacing++) {
    const tau = engine.noiseTau(spacing) * s;
    const near: ArrayLike<number>[] = [];
    for (let j = 0; j < NOISE_POINTS; j++) {
      const y = at(j * tau);
      if (!y) return { values: result.values, errors: errors ?? result.errors };
      near.push(y);
    }
    const raised = engine.raisedByNoise(near, s, errors ?? result.errors, spacing, errors !== undefined);
    if (errors) return { values: result.values, errors: raised! };
    errors = raised;
  }
  return { values: result.values, errors: errors ?? result.errors };
}

const NOISE_POINTS = 8;

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
