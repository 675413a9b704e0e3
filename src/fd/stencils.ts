// Finite differences of a trial's f, run inside the engine in one call each
// (docs/engine-abi.md: central differences at s, s/2, s/4, two Richardson
// levels, an error estimate for every value).
import type { Trial } from '../run/trial.js';

/** What can measure f's noise near the point and raise error estimates in place (to look again at a failure). */
export interface NoiseSource {
  measureNoise(): void;
}

type Stencil = 'directional' | 'basis' | 'mixed';

/** Derivatives computed in the engine, where they are, and what measures their noise (a class: no closure per check). */
export class Derivatives implements NoiseSource {
  constructor(
    private readonly trial: Trial,
    private readonly stencil: Stencil,
    /** The directions (directional: dirs; basis: pairs; mixed: us, then vs) and how many. */
    private readonly a: number,
    private readonly b: number,
    private readonly n: number,
    private readonly hRel: number,
    /** Address of n blocks of nF values (block d: the derivative along direction d). */
    readonly values: number,
    /** Address of the error estimate of each value. */
    readonly errors: number,
    /** How many values. */
    readonly count: number,
    /** The engine's status word (docs/engine-abi.md). */
    readonly status: number,
  ) {}

  /**
   * Measures f's noise near the point (8 evaluations a spacing, from a
   * 1024th of the step; per direction or once, assembly/fd.ts) and raises
   * `errors` in place where the rounding they assumed was smaller.
   */
  measureNoise(): void {
    const t = target(this.trial);
    const ex = this.trial.engine.exports;
    const scratch = this.trial.memory.alloc(8 * (t.nX + t.nF + 8 * (t.nF + 1)));
    if (this.stencil === 'directional') ex.fdNoiseDirectional(t.prog, t.count, t.x, t.nX, this.a, this.n, this.hRel, t.f, t.nF, this.errors, scratch);
    else if (this.stencil === 'basis') ex.fdNoiseBasis(t.prog, t.count, t.x, t.nX, this.a, this.n, this.hRel, t.f, t.nF, this.errors, scratch);
    else ex.fdNoiseMixed(t.prog, t.count, t.x, t.nX, this.a, this.b, this.n, this.hRel, t.f, t.nF, this.errors, scratch);
  }
}

/** Default relative steps, chosen for the sixth-order Richardson result. */
export const H_FIRST = 2e-3;
export const H_SECOND = 1e-2;

interface Buffers {
  out: number;
  err: number;
  scratch: number;
}

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

/** Derivatives of f along nDir directions, blocks of the wrt's size one after another at `dirs`. */
export function directional(trial: Trial, dirs: number, nDir: number, hRel = H_FIRST): Derivatives {
  const t = target(trial);
  const b = buffers(trial, nDir * t.nF, t.nX, t.nF);
  const status = trial.engine.exports.fdDirectional(t.prog, t.count, t.x, t.nX, dirs, nDir, hRel, t.f, t.nF, b.out, b.err, b.scratch);
  return new Derivatives(trial, 'directional', dirs, 0, nDir, hRel, b.out, b.err, nDir * t.nF, status);
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
  return new Derivatives(trial, 'basis', addr, 0, pairs.length, hRel, b.out, b.err, pairs.length * t.nF, status);
}

/** Second mixed derivatives u' H v of f for nPairs pairs: blocks of the wrt's size at `us` and at `vs`. */
export function mixed(trial: Trial, us: number, vs: number, nPairs: number, hRel = H_SECOND): Derivatives {
  const t = target(trial);
  const b = buffers(trial, nPairs * t.nF, t.nX, t.nF);
  const status = trial.engine.exports.fdMixed(t.prog, t.count, t.x, t.nX, us, vs, nPairs, hRel, t.f, t.nF, b.out, b.err, b.scratch);
  return new Derivatives(trial, 'mixed', us, vs, nPairs, hRel, b.out, b.err, nPairs * t.nF, status);
}
