// What "the claim agrees with f" means for each claim type (spec section 3):
// the numerical side (finite differences of f) and the claimed side (the
// claim applied to the same directions), both left in engine memory for the
// verdict to judge. Directional mode uses a few random directions; entry-wise
// mode every basis direction, so that single entries can be named.
import type { Value } from '../compile/layout.js';
import type { Convention, Layout, Mode } from '../row.js';
import { ins, runInstructions } from '../run/adhoc.js';
import type { Trial } from '../run/trial.js';
import { fillDirections, type DirectionStructure, type Rng } from '../sample/index.js';
import type { Kind } from '../shapes/kinds.js';
import { basisPairs, inConventionForm } from './basis.js';
import { basis, directional, mixed, type NoiseSource } from './stencils.js';

export interface ClaimSetup {
  type: 'grad' | 'jacobian' | 'differential' | 'hessian' | 'equals';
  wrtKind?: Kind;
  layout?: Layout;
  convention: Convention;
  /** The claim has the transposed shape: compare it transposed (then the verdict is fail anyway). */
  claimTransposed: boolean;
  directions: number;
}

/**
 * Numerical and claimed values side by side in engine memory. Every one is
 * built as a literal in this field order, never by spreading: one hidden
 * class for the judge (a spread made a small check 1.5x slower).
 */
export interface Comparison {
  num: number;
  claim: number;
  /** Error estimates of `num`, or 0 for an exact comparison (`equals`). */
  err: number;
  len: number;
  /** How the compared block is laid out, to name entries. */
  rows: number;
  cols: number;
  /** What an entry of the block is, e.g. `X[2,1]`. */
  entryName: (i: number) => string;
  /**
   * When the block's columns are basis directions of wrt (an entry-wise
   * differential): the entry each perturbs, `[p, q]` (q >= 0: also entry q,
   * a symmetric pair), and wrt's row count; else null. Rows and columns of
   * such a block are not a matrix's, so "row 2" would mean nothing.
   */
  directions: { pairs: readonly (readonly [number, number])[]; wrtRows: number } | null;
  /** For a structured wrt: how far the claim is from that structure (relative), else 0. */
  structureResidual: number;
  structure: DirectionStructure;
  status: number;
  /**
   * Measures f's noise and raises `err` in place where the finite
   * differences' rounding estimate was too small (null: no finite
   * differences). Run only to look again at a failure.
   */
  noise: NoiseSource | null;
}

export function directionStructure(kind: Kind | undefined, convention: Convention): DirectionStructure {
  if (!kind || convention === 'unconstrained') return 'general';
  if (kind.base === 'symmetric' || kind.base === 'spd') return 'symmetric';
  if (kind.base === 'diagonal') return 'diagonal';
  return 'general';
}

function put(trial: Trial, data: Float64Array): number {
  const addr = trial.memory.alloc(8 * data.length);
  trial.memory.write(addr, data);
  return addr;
}

const entry = (name: string, rows: number, cols: number) => (i: number) => (cols === 1 ? `${name}[${(i % rows) + 1}]` : `${name}[${(i % rows) + 1},${Math.floor(i / rows) + 1}]`);

/** The claim's buffer, transposed into a fresh buffer when `flip`. */
function oriented(trial: Trial, v: Value, flip: boolean): { addr: number; rows: number; cols: number } {
  if (!flip || v.rows === 1 || v.cols === 1) return flip ? { addr: v.addr, rows: v.cols, cols: v.rows } : v;
  const addr = trial.memory.alloc(8 * v.rows * v.cols);
  runInstructions(trial, [ins.transpose(addr, v.addr, v.rows, v.cols)]);
  return { addr, rows: v.cols, cols: v.rows };
}

/** Relative distance of an n x n claim from the structure (0 when it has it). */
function structureResidual(trial: Trial, c: { addr: number; rows: number }, structure: DirectionStructure): number {
  if (structure === 'general') return 0;
  const n = c.rows;
  const t = trial.memory.alloc(8 * n * n);
  if (structure === 'symmetric') runInstructions(trial, [ins.transpose(t, c.addr, n, n)]);
  else {
    const d = trial.memory.alloc(8 * n);
    runInstructions(trial, [ins.diagOf(d, c.addr, n), ins.diagTo(t, d, n)]);
  }
  const out = trial.memory.alloc(40);
  trial.engine.exports.compare(c.addr, t, n * n, out);
  const f64 = trial.memory.f64;
  return f64[out >>> 3] / Math.max(f64[(out >>> 3) + 1], 2.2250738585072014e-308);
}

/**
 * A comparison's status keeps the claim's flags apart from f's: shifted left
 * by this many bits, so that a claim undefined where f is defined is told
 * apart from f leaving its domain (the first is a wrong claim, not bad kinds).
 */
export const CLAIM_STATUS_SHIFT = 8;
const ofClaim = (status: number) => status << CLAIM_STATUS_SHIFT;

/**
 * Evaluates the claim at the base point (its streams after f's). A
 * differential's part that reads dX runs later, once per direction
 * (claimAlong): dX has no value here, and its buffer holds whatever an
 * earlier check left there.
 */
function evaluateClaim(trial: Trial): number {
  const status = trial.run('claimConst');
  return ofClaim(trial.program.direction !== undefined ? status : status | trial.run('claim'));
}

export function compareDirectional(trial: Trial, setup: ClaimSetup, rng: Rng): Comparison {
  const program = trial.program;
  const f = trial.layout.f;
  const nF = f.rows * f.cols;
  if (setup.type === 'equals') return compareEquals(trial, setup);
  const x = trial.input(program.wrt!);
  const nX = x.rows * x.cols;
  const structure = setup.type === 'hessian' || setup.type === 'jacobian' ? 'general' : directionStructure(setup.wrtKind, setup.convention);
  const k = setup.directions;
  const hessian = setup.type === 'hessian';
  // The directions are drawn straight into engine memory (a hessian's u's, then its v's).
  const dirs = trial.memory.alloc(8 * nX * k * (hessian ? 2 : 1));
  const f64 = trial.memory.f64;
  fillDirections(f64, dirs >>> 3, k, structure, x.rows, x.cols, rng);

  if (setup.type === 'hessian') {
    const v = dirs + 8 * nX * k;
    fillDirections(f64, v >>> 3, k, 'general', x.rows, x.cols, rng);
    const d = mixed(trial, dirs, v, k);
    const status = d.status | evaluateClaim(trial);
    const h = trial.layout.claim!;
    const t = trial.memory.alloc(8 * nX * k);
    const claimed = trial.memory.alloc(8 * k);
    runInstructions(trial, [ins.matmul(t, h.addr, v, nX, k, nX, 0), ...blocksOf(k, (j) => ins.dot(claimed + 8 * j, dirs + 8 * nX * j, t + 8 * nX * j, nX))]);
    const { values: num, errors: err } = d;
    return { num, claim: claimed, err, len: k, rows: k, cols: 1, entryName: (i) => `u${i + 1}'*H*v${i + 1}`, directions: null, structureResidual: 0, structure, status, noise: d };
  }

  const d = directional(trial, dirs, k);
  let status = d.status | evaluateClaim(trial);
  const { values: num, errors: err } = d;
  const named = (i: number) => `direction ${Math.floor(i / nF) + 1}${nF > 1 ? `, f entry ${(i % nF) + 1}` : ''}`;
  const compared = (claim: number, residual: number, st: number): Comparison => ({ num, claim, err, len: k * nF, rows: nF, cols: k, entryName: named, directions: null, structureResidual: residual, structure, status: st, noise: d });

  switch (setup.type) {
    case 'grad': {
      const flip = (setup.layout === 'numerator') !== setup.claimTransposed;
      const c = trial.layout.claim!;
      let paired = dirs;
      if (flip) {
        paired = trial.memory.alloc(8 * nX * k);
        runInstructions(trial, blocksOf(k, (j) => ins.transpose(paired + 8 * nX * j, dirs + 8 * nX * j, x.rows, x.cols)));
      }
      const claimed = trial.memory.alloc(8 * k);
      const symmetricFree = structure === 'symmetric' && setup.convention === 'free-entries';
      trial.engine.exports.pairDirections(c.addr, paired, nX, k, symmetricFree ? 0.5 : 1, symmetricFree ? x.rows : 0, claimed);
      const residual = structureResidual(trial, oriented(trial, c, flip), structure);
      return compared(claimed, residual, status);
    }
    case 'jacobian': {
      const flip = (setup.layout === 'denominator') !== setup.claimTransposed;
      const j = trial.layout.claim!;
      const claimed = trial.memory.alloc(8 * nF * k);
      status |= ofClaim(runInstructions(trial, [ins.matmul(claimed, j.addr, dirs, nF, k, nX, flip ? 1 : 0)]));
      return compared(claimed, 0, status);
    }
    case 'differential': {
      const along = claimAlong(trial, setup, dirs, k);
      return compared(along.claimed, 0, status | along.status);
    }
  }
}

/** An identity: f and the claim evaluated at the same point, no derivative. */
function compareEquals(trial: Trial, setup: ClaimSetup): Comparison {
  const f = trial.layout.f;
  const status = evaluateClaim(trial);
  const c = oriented(trial, trial.layout.claim!, setup.claimTransposed);
  return { num: f.addr, claim: c.addr, err: 0, len: f.rows * f.cols, rows: f.rows, cols: f.cols, entryName: entry('f', f.rows, f.cols), directions: null, structureResidual: 0, structure: 'general', status, noise: null };
}

/** Runs the claim stream for each of `count` directions (blocks at `dirs`), collecting the claim's values one block per direction. */
function claimAlong(trial: Trial, setup: ClaimSetup, dirs: number, count: number): { claimed: number; status: number } {
  const c = trial.layout.claim!;
  const nF = c.rows * c.cols;
  const claimed = trial.memory.alloc(8 * nF * count);
  // A claim that does not mention dX still gets evaluated (it is then wrong unless zero).
  const dX = trial.layout.inputs.get(trial.program.direction!);
  const x = trial.input(trial.program.wrt!);
  const nX = x.rows * x.cols;
  const flipped = setup.claimTransposed && c.rows > 1 && c.cols > 1 ? trial.memory.alloc(8 * nF) : 0;
  let status = 0;
  for (let j = 0; j < count; j++) {
    // The view is read again on every pass: the transpose below allocates, and a growth detaches it.
    const f64 = trial.memory.f64;
    if (dX) f64.copyWithin(dX.addr >>> 3, (dirs >>> 3) + j * nX, (dirs >>> 3) + (j + 1) * nX);
    status |= ofClaim(trial.run('claim'));
    let from = c.addr;
    if (flipped) {
      runInstructions(trial, [ins.transpose(flipped, c.addr, c.rows, c.cols)]);
      from = flipped;
    }
    trial.memory.f64.copyWithin((claimed >>> 3) + j * nF, from >>> 3, (from >>> 3) + nF);
  }
  return { claimed, status };
}

/** f(0), ..., f(count - 1). */
function blocksOf<T>(count: number, f: (j: number) => T): T[] {
  return Array.from({ length: count }, (_, j) => f(j));
}

/** `count` zeroed blocks of nX in engine memory, for basis directions. */
function zeroBlocks(trial: Trial, count: number, nX: number): number {
  const addr = trial.memory.alloc(8 * nX * count);
  trial.memory.f64.fill(0, addr >>> 3, (addr >>> 3) + nX * count);
  return addr;
}

/**
 * Entry-wise: the whole derivative, one basis direction at a time, to say
 * which entries are wrong. For a structured wrt the basis respects the
 * structure (E_ij + E_ji for a symmetric one), and the numerical gradient is
 * assembled in the convention's form.
 */
export function compareEntrywise(trial: Trial, setup: ClaimSetup): Comparison {
  const program = trial.program;
  const f = trial.layout.f;
  const nF = f.rows * f.cols;
  if (setup.type === 'equals') return compareEquals(trial, setup);
  const x = trial.input(program.wrt!);
  const nX = x.rows * x.cols;
  const n = x.rows;
  const structure = setup.type === 'grad' || setup.type === 'differential' ? directionStructure(setup.wrtKind, setup.convention) : 'general';
  const wrtName = program.wrt!;

  if (setup.type === 'hessian') {
    // Pair (i, j) of the nX x nX Hessian: u = e_i, v = e_j.
    const us = zeroBlocks(trial, nX * nX, nX);
    const vs = zeroBlocks(trial, nX * nX, nX);
    const f64 = trial.memory.f64;
    for (let j = 0; j < nX; j++)
      for (let i = 0; i < nX; i++) {
        const b = i + j * nX;
        f64[(us >>> 3) + b * nX + i] = 1;
        f64[(vs >>> 3) + b * nX + j] = 1;
      }
    const d = mixed(trial, us, vs, nX * nX);
    const status = d.status | evaluateClaim(trial);
    const { values: num, errors: err } = d;
    return { num, claim: trial.layout.claim!.addr, err, len: nX * nX, rows: nX, cols: nX, entryName: entry('H', nX, nX), directions: null, structureResidual: 0, structure, status, noise: d };
  }

  const pairs = basisPairs(structure, x.rows, x.cols);
  const d = basis(trial, pairs);
  let status = d.status | evaluateClaim(trial);

  switch (setup.type) {
    case 'grad': {
      // Assemble the numerical gradient in the claim's (wrt-shaped) form.
      const wrtShaped = (at: number) => inConventionForm(trial.memory.read(at, d.count), pairs, setup.convention, nX);
      const flip = (setup.layout === 'numerator') !== setup.claimTransposed;
      const c = oriented(trial, trial.layout.claim!, flip);
      const residual = structureResidual(trial, c, structure);
      const err = put(trial, wrtShaped(d.errors));
      const noise = {
        measureNoise(): void {
          d.measureNoise();
          trial.memory.f64.set(wrtShaped(d.errors), err >>> 3);
        },
      };
      return { num: put(trial, wrtShaped(d.values)), claim: c.addr, err, len: nX, rows: x.rows, cols: x.cols, entryName: entry(`d/d${wrtName}`, x.rows, x.cols), directions: null, structureResidual: residual, structure, status, noise };
    }
    case 'jacobian': {
      const flip = (setup.layout === 'denominator') !== setup.claimTransposed;
      const c = oriented(trial, trial.layout.claim!, flip);
      const { values: num, errors: err } = d;
      return { num, claim: c.addr, err, len: nF * nX, rows: nF, cols: nX, entryName: entry('J', nF, nX), directions: null, structureResidual: 0, structure, status, noise: d };
    }
    case 'differential': {
      const dirs = zeroBlocks(trial, pairs.length, nX);
      const f64 = trial.memory.f64;
      pairs.forEach(([p, q], b) => {
        f64[(dirs >>> 3) + b * nX + p] = 1;
        if (q >= 0) f64[(dirs >>> 3) + b * nX + q] = 1;
      });
      const along = claimAlong(trial, setup, dirs, pairs.length);
      status |= along.status;
      const claimed = along.claimed;
      const { values: num, errors: err } = d;
      const basisName = (b: number) => {
        const [p, q] = pairs[b];
        const at = (i: number) => (x.cols === 1 ? `${i + 1}` : `${(i % n) + 1},${Math.floor(i / n) + 1}`);
        return q >= 0 ? `d${wrtName}[${at(p)}]=d${wrtName}[${at(q)}]=1` : `d${wrtName}[${at(p)}]=1`;
      };
      return {
        num,
        claim: claimed,
        err,
        len: nF * pairs.length,
        rows: nF,
        cols: pairs.length,
        entryName: (i) => `f${nF > 1 ? `[${(i % nF) % f.rows + 1},${Math.floor((i % nF) / f.rows) + 1}]` : ''} along ${basisName(Math.floor(i / nF))}`,
        directions: { pairs, wrtRows: x.rows },
        structureResidual: 0,
        structure,
        status,
        noise: d,
      };
    }
  }
}
