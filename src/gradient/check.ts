// checkGradient: does a JavaScript gradient (or Jacobian, or vector-Jacobian
// product) agree with finite differences of the JavaScript function it
// belongs to? The same trial structure as a formula row (src/check/formula.ts):
// trials from seeded points, a point drawn again when f is not finite there or
// its finite differences are too noisy, directional comparisons judged by the
// formula checker's judge, and on a failure an entry-wise pass at the same
// point to name the worst entries, then a diagnosis found by checking
// repaired gradients. The user's f runs in JavaScript, so the stencil's
// points are evaluated here and combined by the engine (src/gradient/stencil.ts); the claimed
// values along directions, the comparisons and the worst entries run in the
// engine.
import { DEFAULT_DIRECTIONS, DEFAULT_SEED, DEFAULT_TRIALS, MAX_DRAWS } from '../check/formula.js';
import { runsEntrywisePass, unlocatedNote } from '../check/locating.js';
import { REASON_TEXT } from '../check/trial.js';
import { isMatcheckError, renderError } from '../errors.js';
import { checkCommonOptions, checkDimNames } from '../check/options.js';
import { H_FIRST } from '../fd/stencils.js';
import type { Convention, Mode, Verdict } from '../row.js';
import { sharedEngine, type Engine } from '../run/module.js';
import { drawSizes, makeTrialRng, sampleDirection, sampleKind, type DirectionStructure, type Rng } from '../sample/index.js';
import { kindShape } from '../shapes/kinds.js';
import { noiseLimit, resolvable, unresolvedMessage, type Judgement } from '../verdict/judge.js';
import type { Diagnosis, WorstEntry } from '../verdict/result.js';
import { diagnoseGradient, failingBlocks } from './diagnose.js';
import { EngineScratch } from './engine.js';
import { isSinglePrecision, noiseAdvice, sci } from './noise.js';
import { copyMat, shapeText, type Mat } from './matrix.js';
import { basisStep, directionalStep, richardson, type Stencil } from './stencil.js';
import { argStructure, claimedAlong, CONVENTIONS, DEFAULT_CONVENTION, structureLimit, structureResidual } from './structure.js';
import { basisPairs, inConventionForm } from '../fd/basis.js';
import {
  callUser,
  CLAIM_WORD,
  describe,
  firstNonFinite,
  fnLabel,
  readGradients,
  readOutput,
  readPoint,
  sizeError,
  usageError,
  UserFunctionError,
  type ArgSpec,
  type ClaimedBlock,
  type Point,
} from './values.js';

/** What grad computes: the gradient of a scalar f, the Jacobian d vec(f) / d vec(x), or the vector-Jacobian product. */
export type GradientClaim = 'grad' | 'jacobian' | 'vjp';
export const GRADIENT_CLAIMS: readonly GradientClaim[] = ['grad', 'jacobian', 'vjp'];

/** The function checked: its arguments are the point's, in order; it returns a number (or a matrix for 'jacobian' and 'vjp'). */
export type ObjectiveFunction = (...args: Mat[]) => number | Mat;
type GradientPart = Mat | number | ArrayLike<number>;
/**
 * A gradient for one argument, an array of them (in wrt order, or one per
 * argument of f; an array of numbers is one argument's gradient when it has
 * that argument's entry count, else one number per scalar argument), or an
 * object of them keyed by argument name.
 */
export type GradientValue = GradientPart | readonly GradientPart[] | { readonly [name: string]: GradientPart };
/**
 * What a gradient function of return type G may return: a GradientValue, or
 * an object type whose every property is a gradient, such as an interface
 * { W: Mat; b: Mat } (which has no index signature, so is no GradientValue).
 */
export type GradientReturn<G> = GradientValue | (object & { readonly [K in keyof G]: GradientPart });
/**
 * The code under test: called with the same arguments as f (for 'vjp', with
 * one more: the cotangent v, shaped like f's value), it returns, for each
 * argument checked, the gradient (shaped like the argument), the Jacobian
 * (f's entry count x the argument's entry count, column-major vec order) or
 * the gradient of <v, f> (shaped like the argument).
 */
export type GradientFunction<G extends GradientReturn<G> = GradientValue> = (...args: Mat[]) => G;

export interface GradientCheckOptions {
  /** What grad returns (default 'grad'). */
  claim?: GradientClaim;
  /** The arguments grad differentiates with respect to: names (or 0-based positions); default all. */
  wrt?: string | number | readonly (string | number)[];
  /** The seed of every draw (points, directions, cotangents); default "1". */
  seed?: string | number;
  /** Points checked: default 3 when the point is sampled, 1 for a fixed point. */
  trials?: number;
  /**
   * A fixed tolerance on the relative error, instead of the one derived from
   * the finite-difference error estimate: the accuracy needed. Differences
   * too noisy for the default (estimated error above 1e-7) are judged against
   * it when their estimate is below a hundredth of it, so f computed in
   * float32 can be checked with e.g. 1e-3; noisier ones are still an error.
   */
  tolerance?: number;
  /** 'directional' (default): random directions; 'entrywise': every entry. */
  mode?: Mode;
  /**
   * Which gradient is meant for an argument of a symmetric, spd or diagonal
   * kind, whose entries are not independent (as a formula row's convention):
   * 'free-entries' (default) G + G' - diag(diag(G)) for a symmetric X, G .* I
   * for a diagonal one; 'projected' (G + G')/2, G .* I; 'unconstrained' G,
   * the gradient of f as a function of every entry. G is the gradient with
   * the entries taken as independent. Jacobians are always of every entry.
   */
  convention?: Convention;
  /** Random directions per argument and trial (default 4). */
  directions?: number;
  /** Sizes for dimension symbols of sampled kinds, e.g. { n: 5 }; the others are drawn. */
  dims?: Record<string, number>;
  /** Say what the mistake of a failing gradient most likely is (default true). */
  diagnose?: boolean;
  /** A name for the check, in results and messages (default f's name). */
  id?: string;
  engine?: Engine;
}

/** The entry-wise derivative of one argument at the reported point. */
export interface DerivativeBlock {
  /** The argument. */
  name: string;
  /** Shape of the block: the argument's, or f's entry count x the argument's for a Jacobian. */
  rows: number;
  cols: number;
  numerical: Float64Array;
  /** Oriented like `numerical` (a gradient returned transposed is transposed back here). */
  claimed: Float64Array;
  /** grad returned this block with the transposed shape. */
  transposed: boolean;
}

/** A worst entry, with the argument it belongs to. */
export interface GradientWorstEntry extends WorstEntry {
  /** The argument, e.g. `W1`. */
  arg: string;
  /** 0-based index into that argument's block (column-major; for a Jacobian, into its f entries x argument entries block). */
  argIndex: number;
}

export interface GradientResult {
  id: string;
  claim: GradientClaim;
  verdict: Verdict;
  /** Largest relative error over the trials judged (null when none was). */
  relErr: number | null;
  tolerance: number | null;
  trials: number;
  /** The seed: the same seed, functions and point reproduce every draw. */
  seed: string;
  /** The trial reported (0-based), whose draws come from trialSeed(seed, trial). */
  trial: number | null;
  /** Sizes drawn for the dimension symbols of sampled kinds. */
  dims: Record<string, number>;
  /** Shape of every argument at the reported point. */
  shapes: Record<string, [number, number]>;
  /** The arguments checked. */
  wrt: string[];
  mode: Mode;
  /**
   * The entries that differ most; a block returned transposed is compared
   * transposed back, and one that then agrees everywhere has none (as checkFormula).
   */
  worst: GradientWorstEntry[];
  diagnosis: Diagnosis | null;
  message: string | null;
  /** For an error: where it is (`f`, `grad`, `x0.X`, `options.wrt`...). */
  field?: string;
  /** For a failure: the point (every argument) where it was found. */
  point?: Record<string, Mat>;
  /** For a failure: numerical and claimed derivatives entry by entry at that point, one block per argument checked. */
  entries?: DerivativeBlock[];
}

interface Ctx {
  f: (...args: Mat[]) => unknown;
  grad: (...args: Mat[]) => unknown;
  fLabel: string;
  gLabel: string;
  claim: GradientClaim;
  specs: ArgSpec[];
  wrt: number[];
  directions: number;
  tolerance?: number;
  convention: Convention;
  /** The convention was the user's choice, not the default (for the diagnosis's words). */
  conventionGiven: boolean;
  fixedDims: Record<string, number>;
  scratch: EngineScratch;
  sampled: boolean;
  /** Applied to the claimed blocks (the diagnosis checks repaired gradients). */
  transform?: ClaimTransform;
  /** Name a failure's worst entries (a diagnosis's rechecks need only the verdict). */
  locate: boolean;
}

/** Rewrites the claimed block of the k-th argument checked (rows x cols, column-major). */
export type ClaimTransform = (k: number, data: Float64Array, rows: number, cols: number) => Float64Array;

interface DrawnPoint {
  args: Mat[];
  sizes: Record<string, number>;
}

interface AtPoint {
  point: DrawnPoint;
  y: { data: Float64Array; rows: number; cols: number };
  /** The cotangent of a 'vjp' claim. */
  w?: Float64Array;
  claimed: ClaimedBlock[];
}

export interface Block {
  /** Index of the argument. */
  arg: number;
  name: string;
  start: number;
  len: number;
  rows: number;
  cols: number;
}

export interface Compared {
  num: Float64Array;
  claim: Float64Array;
  err: Float64Array;
  blocks: Block[];
  entryName: (i: number) => string;
}

type RedrawReason = 'nonfinite' | 'noisy';
interface Redraw {
  kind: 'redraw';
  reason: RedrawReason;
  /** For a fixed point, which cannot be drawn again: what happened. */
  detail: string;
  /** For noisy differences: their estimated relative error, and whether f's values were all float32. */
  noise?: { fdRelErr: number; float32: boolean };
}

export interface Judged {
  kind: 'judged';
  at: AtPoint;
  compared: Compared;
  judgement: Judgement;
  /** Claimed blocks of a structured argument that lack the structure the convention requires. */
  violations: { k: number; structure: DirectionStructure; residual: number }[];
  pass: boolean;
}

const REDRAW_TEXT: Record<RedrawReason, string> = {
  nonfinite: 'f was NaN or infinite at the point or next to it (outside its domain?)',
  noisy: REASON_TEXT.noisy,
};

const index = (i: number, rows: number, cols: number): string => (rows * cols === 1 ? '' : cols === 1 ? `[${i + 1}]` : `[${(i % rows) + 1},${Math.floor(i / rows) + 1}]`);

function failUsage(message: string, field: string, hint?: string): never {
  throw usageError(message, field, hint);
}

function readWrt(wrt: GradientCheckOptions['wrt'], specs: ArgSpec[]): number[] {
  if (wrt === undefined) return specs.map((_, i) => i);
  const isName = (w: unknown) => typeof w === 'string' || typeof w === 'number';
  if (!isName(wrt) && !(Array.isArray(wrt) && wrt.every(isName))) failUsage(`wrt must name arguments (a name, a position, or an array of them), got ${describe(wrt)}`, 'options.wrt', `e.g. wrt: 'X' or wrt: ['W1', 'b1']`);
  const list = typeof wrt === 'string' || typeof wrt === 'number' ? [wrt] : [...wrt];
  if (list.length === 0) failUsage('wrt names no argument', 'options.wrt');
  const names = specs.map((s) => s.name);
  const out = list.map((w) => {
    const i = typeof w === 'number' ? (Number.isInteger(w) && w >= 0 && w < specs.length ? w : -1) : names.indexOf(w);
    if (i < 0) failUsage(`wrt names ${JSON.stringify(w)}, which is not an argument`, 'options.wrt', `the arguments are ${names.join(', ')} (or positions 0 to ${specs.length - 1})`);
    return i;
  });
  if (new Set(out).size !== out.length) failUsage('wrt names an argument twice', 'options.wrt');
  return out;
}

const GRADIENT_OPTION_NAMES = ['claim', 'wrt', 'seed', 'trials', 'tolerance', 'convention', 'mode', 'directions', 'dims', 'diagnose', 'id', 'engine'] as const;

function readOptions(options: GradientCheckOptions): void {
  checkCommonOptions(options, GRADIENT_OPTION_NAMES);
  if (options.claim !== undefined && !GRADIENT_CLAIMS.includes(options.claim)) failUsage(`claim must be one of ${GRADIENT_CLAIMS.join(', ')}, got ${JSON.stringify(options.claim)}`, 'options.claim');
  if (options.convention !== undefined && !CONVENTIONS.includes(options.convention)) {
    failUsage(`convention must be one of ${CONVENTIONS.join(', ')}, got ${describe(options.convention)}`, 'options.convention', 'it says which gradient is meant for a symmetric, spd or diagonal argument');
  }
  if (options.id !== undefined && typeof options.id !== 'string') failUsage(`id must be a string (a name for the check), got ${describe(options.id)}`, 'options.id');
}

function drawPoint(ctx: Ctx, rng: Rng): DrawnPoint {
  const symbols = ctx.specs.flatMap((s) => (s.kind ? s.kind.dims.flatMap((d) => ('symbol' in d ? [d.symbol] : [])) : []));
  const sizes = drawSizes(symbols, ctx.fixedDims, rng);
  const shapes = ctx.specs.map((s) => (s.kind ? kindShape(s.kind).map((d) => ('symbol' in d ? sizes[d.symbol] : d.value)) : [0, 0]));
  // Every size is checked before any argument is drawn.
  ctx.specs.forEach((s, i) => {
    const tooLarge = s.kind && sizeError(s.name, shapes[i][0], shapes[i][1], true);
    if (tooLarge) throw tooLarge;
  });
  const args = ctx.specs.map((s, i) => {
    if (s.value) return copyMat(s.value);
    const [r, c] = shapes[i];
    try {
      return { rows: r, cols: c, data: sampleKind(s.kind!, r, c, rng) };
    } catch (e) {
      // The sampler's own limits (spd(513): n^3 work a draw) name the argument.
      throw isMatcheckError(e) ? e.inField(`x0.${s.name}`) : e;
    }
  });
  return { args, sizes };
}

/** f at the given arguments (fresh copies, so f may not change the point). */
function evalF(ctx: Ctx, args: readonly Mat[]) {
  return readOutput(callUser('f', ctx.f, args.map(copyMat)), ctx.fLabel, ctx.claim);
}

function evaluateAt(ctx: Ctx, point: DrawnPoint, rng: Rng): AtPoint | Redraw {
  const y = evalF(ctx, point.args);
  if (ctx.claim === 'grad' && y.data.length !== 1) {
    throw new UserFunctionError('f', `${ctx.fLabel} returned a ${shapeText(y.rows, y.cols)} matrix, but a gradient is of a scalar function: use claim: 'jacobian' (grad returns d vec(f) / d vec(x)) or 'vjp' (grad(...args, v) returns the gradient of <v, f>)`);
  }
  const bad = firstNonFinite(y.data);
  if (bad >= 0) return { kind: 'redraw', reason: 'nonfinite', detail: `${ctx.fLabel} returned ${y.data.length === 1 ? describe(y.data[0]) : `${y.data[bad]} in entry ${bad + 1}`} at the point` };
  const w = ctx.claim === 'vjp' ? sampleDirection('general', y.rows, y.cols, rng) : undefined;
  let claimed = callGrad(ctx, point, y, w);
  if (ctx.transform) {
    const shape = (a: number) => blockShape(ctx, point, y, a);
    const t = ctx.transform;
    claimed = claimed.map((b, k) => ({ ...b, data: t(k, b.data, ...shape(ctx.wrt[k])) }));
  }
  return { point, y, w, claimed };
}

/** The shape of the claimed block of argument `a`: the argument's, or f's entry count x its entry count for a Jacobian. */
function blockShape(ctx: Ctx, point: DrawnPoint, y: AtPoint['y'], a: number): [number, number] {
  const x = point.args[a];
  return ctx.claim === 'jacobian' ? [y.data.length, x.rows * x.cols] : [x.rows, x.cols];
}

/** grad at the point (fresh copies of the arguments, and for 'vjp' the cotangent w), one block per argument checked. */
function callGrad(ctx: Ctx, point: DrawnPoint, y: AtPoint['y'], w: Float64Array | undefined): ClaimedBlock[] {
  const gradArgs = point.args.map(copyMat);
  if (w) gradArgs.push({ rows: y.rows, cols: y.cols, data: Float64Array.from(w) });
  const raw = callUser('grad', ctx.grad, gradArgs);
  const argShapes = point.args.map((m, i) => ({ name: ctx.specs[i].name, rows: m.rows, cols: m.cols }));
  return readGradients(raw, argShapes, ctx.wrt, (a) => blockShape(ctx, point, y, a), ctx.gLabel);
}

/** The first entry where two evaluations differ (bit for bit, NaN equal to NaN), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const DETERMINISM_HINT = 'the check needs the same value for the same arguments: seed any randomness inside it, or switch off dropout, sampling and the like';

/** f called again at the point must return what it did: noisy differences may be f's own randomness. */
function checkFDeterministic(ctx: Ctx, at: AtPoint): void {
  const again = evalF(ctx, at.point.args);
  const i = firstDifference(at.y.data, again.data);
  if (i < 0) return;
  const where = at.y.data.length === 1 ? '' : ` in entry ${i + 1}`;
  throw new UserFunctionError('f', `${ctx.fLabel} is not deterministic: called twice with the same arguments, it returned ${at.y.data[i]} and then ${again.data[i]}${where}; ${DETERMINISM_HINT}`);
}

/** grad called again at the point must return what it did: a failure of a random gradient says nothing the seed reproduces. */
function checkGradDeterministic(ctx: Ctx, at: AtPoint): void {
  const again = callGrad(ctx, at.point, at.y, at.w);
  for (const [k, block] of again.entries()) {
    const i = firstDifference(at.claimed[k].data, block.data);
    if (i < 0) continue;
    const name = ctx.specs[ctx.wrt[k]].name;
    throw new UserFunctionError('grad', `${ctx.gLabel} is not deterministic: called twice with the same arguments, it returned ${at.claimed[k].data[i]} and then ${block.data[i]} at entry ${i + 1} (column-major) for ${name}; ${DETERMINISM_HINT}`);
  }
}

/** The numerical derivative along `dir` (a direction in argument `a`), or a redraw when f is not finite nearby. */
function stencil(ctx: Ctx, at: AtPoint, a: number, s: number, move: (x: Float64Array, t: number) => void, measureNoise: boolean): Stencil | Redraw {
  const nF = at.y.data.length;
  if (s === 0) return { values: new Float64Array(nF), errors: new Float64Array(nF) };
  let shapeProblem: string | undefined;
  const result = richardson(
    (t) => {
      const args = at.point.args.slice();
      const x = copyMat(args[a]);
      move(x.data, t);
      args[a] = x;
      const y = evalF(ctx, args);
      if (y.rows !== at.y.rows || y.cols !== at.y.cols) shapeProblem = `${ctx.fLabel} returned a ${shapeText(y.rows, y.cols)} value next to the point, but ${shapeText(at.y.rows, at.y.cols)} at it`;
      return shapeProblem || firstNonFinite(y.data) >= 0 ? undefined : y.data;
    },
    s,
    nF,
    ctx.scratch,
    measureNoise,
  );
  if (shapeProblem) throw new UserFunctionError('f', shapeProblem);
  return result ?? { kind: 'redraw', reason: 'nonfinite', detail: `${ctx.fLabel} was NaN or infinite at a point of the finite-difference stencil next to the point (steps up to ${s.toPrecision(3)} along a direction in ${ctx.specs[a].name})` };
}

const isRedraw = (v: object): v is Redraw => (v as Redraw).kind === 'redraw';

/** Numerical and claimed values side by side, one block per argument checked. */
export function compareAt(ctx: Ctx, at: AtPoint, rng: Rng, mode: Mode, measureNoise = false): Compared | Redraw {
  const { scratch, claim } = ctx;
  const nF = at.y.data.length;
  const absW = at.w?.map(Math.abs);
  const num: number[] = [];
  const cl: number[] = [];
  const err: number[] = [];
  const blocks: Block[] = [];
  const names: ((i: number) => string)[] = [];
  const fName = (o: number) => `f${index(o, at.y.rows, at.y.cols)}`;
  /** One numerical derivative (nF values) and its claimed counterpart. */
  const push = (st: Stencil, claimed: () => ArrayLike<number>) => {
    if (claim === 'vjp') {
      num.push(scratch.dot(at.w!, st.values));
      err.push(scratch.dot(absW!, st.errors));
    } else {
      num.push(...st.values);
      err.push(...st.errors);
    }
    if (claim !== 'jacobian') cl.push(...Array.from(claimed()));
  };
  for (const [k, a] of ctx.wrt.entries()) {
    const x = at.point.args[a];
    const name = ctx.specs[a].name;
    const nX = x.rows * x.cols;
    const g = at.claimed[k].data;
    const start = num.length;
    const structure = argStructure(ctx.specs[a].kind, claim, ctx.convention);
    if (mode === 'directional') {
      const dirs = Array.from({ length: ctx.directions }, () => sampleDirection(structure, x.rows, x.cols, rng));
      for (const dir of dirs) {
        const st = stencil(ctx, at, a, directionalStep(x.data, dir, H_FIRST), (xd, t) => {
          for (let i = 0; i < nX; i++) xd[i] = xd[i] + t * dir[i];
        }, measureNoise);
        if (isRedraw(st)) return st;
        push(st, () => [claimedAlong(scratch, g, dir, structure, ctx.convention, x.rows)]);
        if (claim === 'jacobian') cl.push(...scratch.matvec(g, nF, nX, dir));
      }
      const per = claim === 'jacobian' ? nF : 1;
      blocks.push({ arg: a, name, start, len: num.length - start, rows: per, cols: ctx.directions });
      names.push((i) => `d${per > 1 ? fName(i % per) : claim === 'jacobian' ? 'f' : ''}/d${name} along direction ${Math.floor(i / per) + 1}`);
    } else if (claim === 'jacobian') {
      for (let p = 0; p < nX; p++) {
        const x0 = x.data[p];
        const st = stencil(ctx, at, a, basisStep(x0, H_FIRST), (xd, t) => {
          xd[p] = x0 + t;
        }, measureNoise);
        if (isRedraw(st)) return st;
        push(st, () => []);
      }
      cl.push(...g);
      blocks.push({ arg: a, name, start, len: num.length - start, rows: nF, cols: nX });
      names.push((i) => `d${fName(i % nF)}/d${name}${index(Math.floor(i / nF), x.rows, x.cols)}`);
    } else {
      // One difference per free entry (a symmetric pair moves together), assembled in the convention's form.
      const pairs = basisPairs(structure, x.rows, x.cols);
      const values = new Float64Array(pairs.length);
      const errors = new Float64Array(pairs.length);
      for (const [b, [p, q]] of pairs.entries()) {
        const x0 = x.data[p];
        const st = stencil(ctx, at, a, basisStep(x0, H_FIRST), (xd, t) => {
          xd[p] = x0 + t;
          if (q >= 0) xd[q] = x0 + t;
        }, measureNoise);
        if (isRedraw(st)) return st;
        values[b] = claim === 'vjp' ? scratch.dot(at.w!, st.values) : st.values[0];
        errors[b] = claim === 'vjp' ? scratch.dot(absW!, st.errors) : st.errors[0];
      }
      num.push(...inConventionForm(values, pairs, ctx.convention, nX));
      err.push(...inConventionForm(errors, pairs, ctx.convention, nX));
      cl.push(...g);
      blocks.push({ arg: a, name, start, len: nX, rows: x.rows, cols: x.cols });
      names.push((i) => `d/d${name}${index(i, x.rows, x.cols)}`);
    }
  }
  const entryName = (i: number) => {
    const b = blocks.findIndex((bl) => i >= bl.start && i < bl.start + bl.len);
    return names[b](i - blocks[b].start);
  };
  return { num: Float64Array.from(num), claim: Float64Array.from(cl), err: Float64Array.from(err), blocks, entryName };
}

/** `lookAgain`: judge a failure again with f's noise measured (not for the pass that only names the worst entries of a failure already judged). */
function judgeAt(ctx: Ctx, at: AtPoint, rng: Rng, mode: Mode, lookAgain = true): Judged | Redraw {
  // The directions this comparison draws, drawn again if it must be looked at again.
  const again = rng.fork();
  let compared = compareAt(ctx, at, rng, mode);
  if (isRedraw(compared)) return compared;
  let judgement = ctx.scratch.judge(compared.num, compared.claim, compared.err, ctx.tolerance);
  let noiseMeasured = false;
  if (lookAgain && !judgement.pass && !judgement.noisy) {
    // Look again with f's noise measured, as checkFormula does (src/check/trial.ts):
    // a sum over millions of entries rounds far above the estimate's few ulps.
    const measured = compareAt(ctx, at, again, mode, true);
    if (isRedraw(measured)) return measured;
    compared = measured;
    noiseMeasured = true;
    judgement = ctx.scratch.judge(compared.num, compared.claim, compared.err, ctx.tolerance, true);
  }
  if (judgement.noisy) {
    checkFDeterministic(ctx, at);
    const noise = { fdRelErr: judgement.fdRelErr, float32: isSinglePrecision(at.y.data) };
    const detail = `the finite differences there are too noisy to judge: their estimated relative error is ${judgement.fdRelErr.toExponential(2)}, above ${sci(noiseLimit(ctx.tolerance, noiseMeasured))}; ${noiseAdvice(noise.float32, ctx.tolerance)}`;
    return { kind: 'redraw', reason: 'noisy', detail, noise };
  }
  // A block returned transposed fails however well it agrees transposed back;
  // a diagnosis's recheck (ctx.transform) judges only the values, as the
  // check it diagnoses has already reported the transposition.
  const transposed = !ctx.transform && at.claimed.some((b) => b.transposed);
  const violations = ctx.wrt.flatMap((a, k) => {
    const structure = argStructure(ctx.specs[a].kind, ctx.claim, ctx.convention);
    const residual = structureResidual(ctx.scratch, at.claimed[k].data, structure, at.point.args[a].rows);
    return residual > structureLimit(judgement.tolerance) ? [{ k, structure, residual }] : [];
  });
  return { kind: 'judged', at, compared, judgement, violations, pass: judgement.pass && !transposed && violations.length === 0 };
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A trial that failed only a user's tolerance below what the check resolves: its values agree within the check's own error. */
function unresolvable(ctx: Ctx, j: Judged): boolean {
  if (j.pass || ctx.tolerance === undefined || j.violations.length > 0) return false;
  if (!ctx.transform && j.at.claimed.some((b) => b.transposed)) return false;
  return j.judgement.relErr <= resolvable(j.judgement.differenced, j.judgement.fdRelErr);
}

/** The measured error, tolerance and point of the trial a result reports. */
function record(ctx: Ctx, result: GradientResult, t: number, j: Judged): void {
  // A claim off its structure is that far wrong, however well its structured part agrees (as checkFormula).
  result.relErr = Math.max(j.judgement.relErr, ...j.violations.map((v) => v.residual));
  result.tolerance = j.judgement.tolerance;
  result.dims = j.at.point.sizes;
  result.shapes = shapesOf(ctx, j.at.point.args);
  result.trial = t;
}

function finish(r: GradientResult, verdict: Verdict, message: string | null): GradientResult {
  r.verdict = verdict;
  r.message = message;
  return r;
}

/** The internal entry: checkGradient with a transform of the claim (for the diagnosis). */
export function runCheck(f: unknown, grad: unknown, x0: unknown, options: GradientCheckOptions, transform?: ClaimTransform, locate = true): GradientResult {
  // The result is built before the options are checked (a bad one is this result's error).
  const o: GradientCheckOptions = typeof options === 'object' && options !== null ? options : {};
  const seed = String(o.seed ?? DEFAULT_SEED);
  const mode: Mode = o.mode === 'entrywise' ? 'entrywise' : 'directional';
  const claim: GradientClaim = GRADIENT_CLAIMS.includes(o.claim as GradientClaim) ? o.claim! : 'grad';
  const id = typeof o.id === 'string' ? o.id : (typeof f === 'function' && f.name) || 'gradient';
  const result: GradientResult = {
    id,
    claim,
    verdict: 'error',
    relErr: null,
    tolerance: null,
    trials: 0,
    seed,
    trial: null,
    dims: {},
    shapes: {},
    wrt: [],
    mode,
    worst: [],
    diagnosis: null,
    message: null,
  };
  try {
    return run(f, grad, x0, options, result, transform, locate);
  } catch (e) {
    if (e instanceof UserFunctionError) {
      result.field = e.which;
      return finish(result, 'error', e.message);
    }
    if (isMatcheckError(e)) {
      result.field = e.field;
      return finish(result, 'error', renderError(e));
    }
    // A bug of matcheck's own is this check's error, as in checkFormula.
    const what = e instanceof Error ? e.message : String(e);
    return finish(result, 'error', `internal error in matcheck: ${what}. Please report it with this check and its seed (${seed}).`);
  }
}

function run(f: unknown, grad: unknown, x0: unknown, options: GradientCheckOptions, result: GradientResult, transform: ClaimTransform | undefined, locate: boolean): GradientResult {
  if (typeof f !== 'function') failUsage(`f must be a function, got ${describe(f)}`, 'f');
  if (typeof grad !== 'function') failUsage(`grad must be a function, got ${describe(grad)}`, 'grad');
  readOptions(options);
  const specs = readPoint(x0);
  const symbols = specs.flatMap((s) => (s.kind ? s.kind.dims.flatMap((d) => ('symbol' in d ? [d.symbol] : [])) : []));
  checkDimNames(options.dims, symbols, "argument's kind", (name) => `options.dims.${name}`);
  const wrt = readWrt(options.wrt, specs);
  result.wrt = wrt.map((i) => specs[i].name);
  const sampled = specs.some((s) => s.kind);
  const ctx: Ctx = {
    f: f as Ctx['f'],
    grad: grad as Ctx['grad'],
    fLabel: fnLabel('f', f),
    gLabel: fnLabel('grad', grad),
    claim: result.claim,
    specs,
    wrt,
    directions: options.directions ?? DEFAULT_DIRECTIONS,
    tolerance: options.tolerance,
    convention: options.convention ?? DEFAULT_CONVENTION,
    conventionGiven: options.convention !== undefined,
    fixedDims: options.dims ?? {},
    scratch: new EngineScratch(options.engine ?? sharedEngine()),
    sampled,
    transform,
    locate,
  };
  const trials = options.trials ?? (sampled ? DEFAULT_TRIALS : 1);
  const mode = result.mode;
  let worst: { t: number; j: Judged } | undefined;
  let unresolved: { t: number; j: Judged } | undefined;

  for (let t = 0; t < trials; t++) {
    const rng = makeTrialRng(result.seed, t, ctx.scratch.engine);
    const reasons = new Map<RedrawReason, number>();
    /** What f returned at the first point drawn again for not being finite. */
    let nonfinite: string | undefined;
    /** The least noisy of the points drawn again for noise, and whether f's values were float32 at any. */
    let noise: Redraw['noise'];
    let judged: Judged | undefined;
    for (let draw = 0; draw < MAX_DRAWS && !judged; draw++) {
      const point = drawPoint(ctx, rng);
      // The point being evaluated, so that an error in f or grad there says where it happened.
      result.trials = t + 1;
      result.trial = t;
      result.dims = point.sizes;
      result.shapes = shapesOf(ctx, point.args);
      const at = evaluateAt(ctx, point, rng);
      const outcome = isRedraw(at) ? at : judgeAt(ctx, at, rng, mode);
      if (outcome.kind === 'judged') judged = outcome;
      else if (!sampled) {
        result.field = outcome.reason === 'nonfinite' ? 'f' : undefined;
        return finish(result, 'error', `at the given point, ${outcome.detail}`);
      } else {
        reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
        if (outcome.reason === 'nonfinite') nonfinite ??= outcome.detail;
        const n = outcome.noise;
        if (n) noise = { fdRelErr: Math.min(n.fdRelErr, noise?.fdRelErr ?? Infinity), float32: n.float32 || !!noise?.float32 };
      }
    }
    if (!judged) {
      const sorted = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
      const least = noise ? `, the least noisy with an estimated relative error of ${noise.fdRelErr.toExponential(2)}, above the cut-off ${sci(noiseLimit(ctx.tolerance))}` : '';
      const why = sorted.map(([r, n]) => `${n} times ${REDRAW_TEXT[r]}${r === 'nonfinite' && nonfinite ? `, the first time: ${nonfinite}` : ''}${r === 'noisy' ? least : ''}`);
      // The advice for the most frequent reason: a domain, or noise.
      if (sorted[0][0] === 'nonfinite') result.field = 'f';
      const advice = sorted[0][0] === 'noisy' ? capitalized(noiseAdvice(!!noise?.float32, ctx.tolerance)) : "Declare kinds that keep f defined (e.g. 'positive', 'spd', 'invertible')";
      return finish(result, 'error', `trial ${t + 1}: no valid point in ${MAX_DRAWS} draws: ${why.join('; ')}. ${advice}.`);
    }
    if (unresolvable(ctx, judged)) {
      // Failed only a tolerance below what the check resolves; a later trial may still refute the claim (as checkFormula).
      unresolved ??= { t, j: judged };
      continue;
    }
    if (!worst || judged.judgement.relErr > worst.j.judgement.relErr || !judged.pass) worst = { t, j: judged };
    if (!judged.pass) break;
  }

  if (unresolved && (!worst || worst.j.pass)) {
    const { t, j } = unresolved;
    record(ctx, result, t, j);
    const floor = resolvable(j.judgement.differenced, j.judgement.fdRelErr);
    return finish(result, 'error', unresolvedMessage('the gradient', ctx.tolerance!, j.judgement.relErr, t, floor));
  }
  const { t, j } = worst!;
  record(ctx, result, t, j);
  // A failure is only worth reporting if the same seed fails the same way again (the diagnosis's rechecks need it too).
  if (!j.pass && !ctx.transform) checkGradDeterministic(ctx, j.at);
  if (j.pass) return finish(result, 'pass', null);

  // Name the worst entries from an entry-wise pass at the same point, unless
  // the arguments are so large that the pass would take far longer than the check.
  const directions = ctx.wrt.reduce((sum, k) => sum + j.at.point.args[k].rows * j.at.point.args[k].cols, 0);
  const examine = mode === 'directional' && ctx.locate && runsEntrywisePass(directions);
  const detail = mode === 'entrywise' ? j : examine ? judgeAt(ctx, j.at, makeTrialRng(result.seed, t, ctx.scratch.engine), 'entrywise', false) : undefined;
  const shown = detail?.kind === 'judged' ? detail : j;
  const c = shown.compared;
  result.worst = ctx.scratch.worst(c.num, c.claim, 3).map((i) => {
    const b = c.blocks.find((bl) => i >= bl.start && i < bl.start + bl.len)!;
    return { entry: c.entryName(i), index: i, claimed: c.claim[i], numerical: c.num[i], arg: b.name, argIndex: i - b.start };
  });
  result.point = Object.fromEntries(j.at.point.args.map((m, i) => [specs[i].name, copyMat(m)]));
  if (detail?.kind === 'judged') {
    result.entries = detail.compared.blocks.map((b, k) => ({
      name: b.name,
      rows: b.rows,
      cols: b.cols,
      numerical: detail.compared.num.slice(b.start, b.start + b.len),
      claimed: detail.compared.claim.slice(b.start, b.start + b.len),
      transposed: j.at.claimed[k].transposed,
    }));
  }

  const transposed = j.at.claimed.flatMap((b, k) => (b.transposed ? [{ k, b }] : []));
  const shapes = transposed.map(({ k, b }) => [specs[ctx.wrt[k]].name, b.returned, shapeText(...claim(ctx, j, k))] as const);
  const what = CLAIM_WORD[ctx.claim];
  if (transposed.length && j.judgement.pass && !j.violations.length) {
    // Every entry agrees once transposed back: there is no worst entry to name (as checkFormula).
    result.worst = [];
    result.diagnosis = { kind: 'transposed', detail: `correct up to transpose: ${returnedText(what, shapes)}` };
    const agrees = ctx.wrt.length === 1 ? 'transposed, it agrees' : `transposed back, every ${what} agrees`;
    return finish(result, 'fail', `${returnedText(what, shapes)} (transposed); ${agrees} (relative error ${j.judgement.relErr.toExponential(1)})`);
  }
  if (options.diagnose !== false) {
    const inner = diagnoseGradient({
      ctx,
      judged: j,
      entrywise: detail?.kind === 'judged' ? detail : undefined,
      // A recheck always has a transform (the identity for another convention): it marks the check as a recheck.
      recheck: (tr, convention) => runCheck(f, grad, x0, { ...options, ...(convention && { convention }), diagnose: false }, composeTransforms(transform, tr ?? ((_, d) => d)), false).verdict === 'pass',
    });
    // Transposed and wrong in another way: the diagnosis is of the values transposed back.
    result.diagnosis =
      inner && transposed.length
        ? { ...inner, kind: 'transposed', detail: `${shapes.map(([n, r, want]) => `the ${what} returned for ${n} is transposed (${r}, but it must be ${want})`).join('; ')}; transposed back, ${inner.detail}` }
        : inner;
  }
  const exceeds = `relative error ${j.judgement.relErr.toExponential(2)} exceeds the tolerance ${j.judgement.tolerance.toExponential(2)}`;
  const unlocated = ctx.locate ? unlocatedNote(mode, directions) : '';
  if (transposed.length) {
    // Name every argument still wrong once transposed back, not only the transposed ones.
    const wrongBlocks = new Set([...failingBlocks(ctx, shown), ...j.violations.map((v) => v.k)]);
    const wrong = ctx.wrt.flatMap((a, k) => (wrongBlocks.has(k) ? [specs[a].name] : []));
    const still =
      transposed.length === 1 && wrong.length === 1 && wrong[0] === shapes[0][0]
        ? ', and transposed it is still wrong'
        : wrong.length
          ? `; transposed back, the ${what}${wrong.length > 1 ? 's' : ''} returned for ${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} still wrong`
          : '; transposed back, it is still wrong';
    return finish(result, 'fail', `${returnedText(what, shapes)} (transposed)${still}: ${exceeds}${unlocated}`);
  }
  if (j.violations.length) {
    const off = j.violations.map(({ k, structure }) => {
      const name = specs[ctx.wrt[k]].name;
      return `the ${what} returned for ${name} is not ${structure}, but the ${what} with respect to a ${structure} ${name} under the ${ctx.convention} convention is`;
    });
    return finish(result, 'fail', off.join('; ') + (j.judgement.pass ? '' : `, and its ${exceeds}${unlocated}`));
  }
  return finish(result, 'fail', exceeds + unlocated);
}

/** "the gradient returned for X is 4 x 7, but it must be 7 x 4" for each block returned transposed. */
function returnedText(what: string, shapes: readonly (readonly [string, string, string])[]): string {
  return shapes.map(([n, r, want]) => `the ${what} returned for ${n} is ${r}, but it must be ${want}`).join('; ');
}

function claim(ctx: Ctx, j: Judged, k: number): [number, number] {
  const x = j.at.point.args[ctx.wrt[k]];
  return ctx.claim === 'jacobian' ? [j.at.y.data.length, x.rows * x.cols] : [x.rows, x.cols];
}

function composeTransforms(a: ClaimTransform | undefined, b: ClaimTransform): ClaimTransform {
  return a ? (k, d, r, c) => b(k, a(k, d, r, c), r, c) : b;
}

function shapesOf(ctx: Ctx, args: readonly Mat[]): Record<string, [number, number]> {
  return Object.fromEntries(args.map((m, i) => [ctx.specs[i].name, [m.rows, m.cols] as [number, number]]));
}

/**
 * Checks JavaScript gradient code against finite differences of the function
 * it belongs to. `f` takes the point's arguments (matrices { rows, cols,
 * data }, column-major); `grad` takes the same arguments and returns the
 * gradient with respect to each argument in `options.wrt` (default all).
 * `x0` gives the arguments, in order or by name: fixed matrices (or numbers),
 * or kinds to sample at each trial, e.g. { X: "matrix(3,4)", S: "spd(3)" }.
 * Never throws for a mistake in the user's code: that is an `error` verdict.
 */
export function checkGradient<G extends GradientReturn<G>>(f: ObjectiveFunction, grad: GradientFunction<G>, x0: Point, options: GradientCheckOptions = {}): GradientResult {
  return runCheck(f, grad, x0, options);
}

export type { Ctx as GradientContext };
