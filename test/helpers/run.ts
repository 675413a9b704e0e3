// Helpers for differential tests of the compile + run path: analyse a row,
// lower it, lay it out for concrete sizes, write sampled inputs, run the
// engine, and evaluate the same formulas with the plain-TS reference.
import { lower } from '../../src/compile/lower.js';
import type { Program } from '../../src/compile/program.js';
import type { Engine } from '../../src/run/module.js';
import { evaluateReference, mat, type Mat } from '../../src/run/reference.js';
import { Trial } from '../../src/run/trial.js';
import { drawSizes, makeRng, sampleKind, type Rng } from '../../src/sample/index.js';
import { analyze, type Analysis, type FormulaSpec } from '../../src/shapes/analyze.js';
import type { Kind } from '../../src/shapes/kinds.js';

/**
 * Sizes for every dimension still to be drawn: those given in `dims` (by
 * symbol, or by the label of a free dimension such as `len(x)`), the others
 * drawn distinct in [2, 7].
 */
export function sizesFor(a: Analysis, dims: Readonly<Record<string, number>>, rng: Rng): Record<string, number> {
  const names = a.types.dims.unknowns().map((u) => u.name);
  const fixed: Record<string, number> = {};
  for (const n of names) if (Object.hasOwn(dims, n)) fixed[n] = dims[n];
  return drawSizes(names, fixed, rng);
}

/** Values for every variable of the row (and the direction of a differential), sampled by kind. */
export function sampleInputs(a: Analysis, sizes: Readonly<Record<string, number>>, rng: Rng): Map<string, Mat> {
  const inputs = new Map<string, Mat>();
  const resolve = (d: number) => a.types.dims.resolve(d, sizes);
  for (const [name, info] of a.types.vars) {
    const rows = resolve(info.shape[0]);
    const cols = resolve(info.shape[1]);
    inputs.set(name, mat(rows, cols, sampleKind(info.kind, rows, cols, rng)));
  }
  if (a.direction && a.wrt) {
    const rows = resolve(a.wrt.shape[0]);
    const cols = resolve(a.wrt.shape[1]);
    const general: Kind = { base: 'matrix', positive: false, dims: [] };
    inputs.set(a.direction, mat(rows, cols, sampleKind(general, rows, cols, rng)));
  }
  return inputs;
}

export interface Run {
  analysis: Analysis;
  program: Program;
  trial: Trial;
  sizes: Record<string, number>;
  inputs: Map<string, Mat>;
  /** Status word of trial.evaluate. */
  status: number;
  /** f (and the claim, if any) as computed by the engine. */
  f: Float64Array;
  claim?: Float64Array;
}

export interface RunOptions {
  dims?: Readonly<Record<string, number>>;
  seed?: string;
  /** Values to use instead of sampled ones, by variable name. */
  values?: Readonly<Record<string, ArrayLike<number>>>;
}

/** Analyses, lowers, lays out and runs `s` on `engine`: f only, or f and the claim if the row has one. */
export function runEngine(engine: Engine, s: FormulaSpec, opts: RunOptions = {}): Run {
  const analysis = analyze(s);
  const rng = makeRng(opts.seed ?? `run:${s.f}`);
  const sizes = sizesFor(analysis, opts.dims ?? {}, rng);
  const inputs = sampleInputs(analysis, sizes, rng);
  for (const [name, v] of Object.entries(opts.values ?? {})) {
    const m = inputs.get(name);
    if (!m) throw new Error(`test: no variable ${name}`);
    if (v.length !== m.data.length) throw new Error(`test: ${name} has ${m.data.length} entries, got ${v.length}`);
    m.data.set(v);
  }
  const program = lower(analysis);
  const trial = new Trial(engine, program, analysis.types.dims, sizes);
  for (const [name, value] of trial.layout.inputs) {
    const m = inputs.get(name)!;
    expectShape(name, m, value.rows, value.cols);
    trial.setInput(name, m.data);
  }
  const fOnly = !s.claim;
  const status = trial.evaluate(fOnly);
  const f = trial.read(trial.layout.f);
  const claim = trial.layout.claim ? trial.read(trial.layout.claim) : undefined;
  return { analysis, program, trial, sizes, inputs, status, f, claim };
}

function expectShape(name: string, m: Mat, rows: number, cols: number): void {
  if (m.rows * m.cols !== rows * cols) throw new Error(`test: input ${name} is ${m.rows} x ${m.cols} but laid out ${rows} x ${cols}`);
}

/** The reference value of f of a run (at the run's inputs and sizes). */
export function referenceF(r: Run): Mat {
  return evaluateReference(r.analysis, r.analysis.f, r.inputs, r.sizes);
}

/** The reference value of the claim of a run. */
export function referenceClaim(r: Run): Mat {
  return evaluateReference(r.analysis, r.analysis.claim!, r.inputs, r.sizes);
}

/** Euclidean norm, scaled so that huge or tiny entries neither overflow nor underflow. */
const norm = (v: ArrayLike<number>): number => {
  let big = 0;
  for (let i = 0; i < v.length; i++) big = Math.max(big, Math.abs(v[i]));
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / big) ** 2;
  return big * Math.sqrt(s);
};

/** norm(a - b) / max(norm(a), norm(b)); 0 when both are zero; NaN where a NaN appears or the lengths differ. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  const d = Array.from(a, (x, i) => x - b[i]);
  const scale = Math.max(norm(a), norm(b));
  if (scale === 0) return 0;
  return norm(d) / scale;
}

/** A column-major matrix from rows written out as in mathematics. */
export function fromRows(rows: number[][]): Float64Array {
  const m = rows.length;
  const n = rows[0].length;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i + j * m] = rows[i][j];
  return out;
}
