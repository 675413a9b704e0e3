// Finite differences of a trial's f, run inside the engine in one call each
// (docs/engine-abi.md: central differences at s, s/2, s/4, two Richardson
// levels, an error estimate for every value).
import type { Trial } from '../run/trial.js';

export interface Derivatives {
  /** Address of nDir blocks of nF values (block d: the derivative along direction d). */
  values: number;
  /** Address of the error estimate of each value. */
  errors: number;
  /** How many values. */
  count: number;
  /** The engine's status word (docs/engine-abi.md). */
  status: number;
  /**
   * Measures f's noise near the point (8 evaluations a 1024th of the step
   * apart, per direction or once) and raises `errors` in place where the
   * rounding they assumed was smaller: to look again at a narrow failure.
   */
  measureNoise(): void;
}

/** Default relative steps, chosen for the sixth-order Richardson result. */
export const H_FIRST = 2e-3;
export const H_SECOND = 1e-2;

interface Buffers {
  out: number;
  err: number;
  scratch: number;
}

/** Scratch of the engine's fdNoise* exports. */
const noiseScratch = (trial: Trial, nX: number, nF: number) => trial.memory.alloc(8 * (nX + nF + 8 * (nF + 1)));

function buffers(trial: Trial, nOut: number, nX: number, nF: number): Buffers {
  const m = trial.memory;
  return { out: m.alloc(8 * nOut), err: m.alloc(8 * nOut), scratch: m.alloc(8 * (nX + 6 * nF)) };
}

function target(trial: Trial) {
  const wrt = trial.program.wrt;
  if (!wrt) throw new Error('internal: finite differences need a wrt variable');
  const x = trial.input(wrt);
  const f = trial.layout.f;
  const s = trial.layout.streams.f;
  return { prog: s.addr, count: s.count, x: x.addr, nX: x.rows * x.cols, f: f.addr, nF: f.rows * f.cols };
}

function collect(b: Buffers, count: number, status: number, measureNoise: () => void): Derivatives {
  return { values: b.out, errors: b.err, count, status, measureNoise };
}

/** Derivatives of f along nDir directions, blocks of the wrt's size one after another at `dirs`. */
export function directional(trial: Trial, dirs: number, nDir: number, hRel = H_FIRST): Derivatives {
  const t = target(trial);
  const b = buffers(trial, nDir * t.nF, t.nX, t.nF);
  const status = trial.engine.exports.fdDirectional(t.prog, t.count, t.x, t.nX, dirs, nDir, hRel, t.f, t.nF, b.out, b.err, b.scratch);
  return collect(b, nDir * t.nF, status, () => trial.engine.exports.fdNoiseDirectional(t.prog, t.count, t.x, t.nX, dirs, nDir, hRel, t.f, t.nF, b.err, noiseScratch(trial, t.nX, t.nF)));
}

/** Derivatives along basis directions e_p (+ e_q for a symmetric pair). */
export function basis(trial: Trial, pairs: readonly (readonly [number, number])[], hRel = H_FIRST): Derivatives {
  const t = target(trial);
  const addr = trial.memory.alloc(8 * pairs.length);
  const i32 = trial.memory.i32;
  pairs.forEach(([p, q], k) => {
    i32[(addr >>> 2) + 2 * k] = p;
    i32[(addr >>> 2) + 2 * k + 1] = q;
  });
  const b = buffers(trial, pairs.length * t.nF, t.nX, t.nF);
  const status = trial.engine.exports.fdBasis(t.prog, t.count, t.x, t.nX, addr, pairs.length, hRel, t.f, t.nF, b.out, b.err, b.scratch);
  return collect(b, pairs.length * t.nF, status, () => trial.engine.exports.fdNoiseBasis(t.prog, t.count, t.x, t.nX, addr, pairs.length, hRel, t.f, t.nF, b.err, noiseScratch(trial, t.nX, t.nF)));
}

/** Second mixed derivatives u' H v of f for nPairs pairs: blocks of the wrt's size at `us` and at `vs`. */
export function mixed(trial: Trial, us: number, vs: number, nPairs: number, hRel = H_SECOND): Derivatives {
  const t = target(trial);
  const b = buffers(trial, nPairs * t.nF, t.nX, t.nF);
  const status = trial.engine.exports.fdMixed(t.prog, t.count, t.x, t.nX, us, vs, nPairs, hRel, t.f, t.nF, b.out, b.err, b.scratch);
  return collect(b, nPairs * t.nF, status, () => trial.engine.exports.fdNoiseMixed(t.prog, t.count, t.x, t.nX, us, vs, nPairs, hRel, t.f, t.nF, b.err, noiseScratch(trial, t.nX, t.nF)));
}
