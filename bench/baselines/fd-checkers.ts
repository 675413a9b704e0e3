// What a user would write instead of matcheck: the same gradient check
// (same sampled point, same directions, central differences at s, s/2, s/4
// with two Richardson levels, same number of evaluations of f) with f and
// the claim evaluated
// - by the plain TypeScript reference evaluator (Float64Array loops), or
// - by mathjs (its own expression parser and matrix functions).
import { create, all, type MathJsInstance, type Matrix, type EvalFunction } from 'mathjs';
import { evaluateReference, mat, type Mat } from '../../src/run/reference.js';
import { analyze, type Analysis } from '../../src/shapes/analyze.js';
import { sampleDirection, sampleKind, drawSizes, type Rng } from '../../src/sample/index.js';
import { makeReferenceRng } from '../../src/sample/reference-rng.js';
import type { FormulaRow } from '../../src/row.js';

export interface BaselineCase {
  row: FormulaRow & { wrt: string; grad: string };
  /** The same function and claim written for mathjs. */
  mathjs: { f: string; grad: string };
}

export interface BaselineResult {
  relErr: number;
}

const H = 2e-3;

/** The point, sizes and directions every checker in a benchmark shares. */
export interface Point {
  analysis: Analysis;
  sizes: Record<string, number>;
  inputs: Map<string, Mat>;
  dirs: Float64Array[];
}

/** Parsed once per case, as matcheck caches its compiled rows: the checks compare checking, not parsing. */
const analyses = new WeakMap<BaselineCase, ReturnType<typeof analyze>>();

export function samplePoint(c: BaselineCase, seed: string, directions: number): Point {
  let analysis = analyses.get(c);
  if (!analysis) analyses.set(c, (analysis = analyze({ vars: c.row.vars, f: c.row.f, wrt: c.row.wrt, claim: { type: 'grad', text: c.row.grad } })));
  // Plain JavaScript draws (seedrandom and Math): no WebAssembly in a baseline.
  const rng: Rng = makeReferenceRng(seed);
  const t = analysis.types;
  const sizes = drawSizes(t.dims.unknowns().map((u) => u.name), c.row.dims ?? {}, rng);
  const inputs = new Map<string, Mat>();
  for (const v of t.vars.values()) {
    const rows = t.dims.resolve(v.shape[0], sizes);
    const cols = t.dims.resolve(v.shape[1], sizes);
    inputs.set(v.name, mat(rows, cols, sampleKind(v.kind, rows, cols, rng)));
  }
  const x = inputs.get(c.row.wrt)!;
  const dirs = Array.from({ length: directions }, () => sampleDirection('general', x.rows, x.cols, rng));
  return { analysis, sizes, inputs, dirs };
}

const rms = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s / v.length);
};

/** Richardson-extrapolated central difference of a scalar function g(t) at 0. */
function richardson(g: (t: number) => number, s: number): number {
  const d = [s, s / 2, s / 4].map((t) => (g(t) - g(-t)) / (2 * t));
  const r1 = (4 * d[1] - d[0]) / 3;
  const r2 = (4 * d[2] - d[1]) / 3;
  return (16 * r2 - r1) / 15;
}

function relErr(num: number[], claim: number[]): number {
  let diff = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < num.length; i++) {
    diff += (num[i] - claim[i]) ** 2;
    a += num[i] ** 2;
    b += claim[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(a), Math.sqrt(b), 2.2250738585072014e-308);
}

/** Directions of the check: the random ones, or every basis vector (entry-wise). */
function directionsOf(p: Point, wrt: string, mode: 'directional' | 'entrywise'): Float64Array[] {
  if (mode === 'directional') return p.dirs;
  const x = p.inputs.get(wrt)!;
  return Array.from({ length: x.data.length }, (_, i) => {
    const e = new Float64Array(x.data.length);
    e[i] = 1;
    return e;
  });
}

function stepFor(x: ArrayLike<number>, d: Float64Array, mode: 'directional' | 'entrywise'): number {
  if (mode === 'directional') return (H * Math.max(1, rms(x))) / rms(d);
  const i = d.indexOf(1);
  return H * Math.max(1, Math.abs(x[i]));
}

export function plainTsCheck(c: BaselineCase, p: Point, mode: 'directional' | 'entrywise'): BaselineResult {
  const a = p.analysis;
  const x0 = p.inputs.get(c.row.wrt)!;
  const inputs = new Map(p.inputs);
  const f = (x: Mat) => {
    inputs.set(c.row.wrt, x);
    return evaluateReference(a, a.f, inputs, p.sizes).data[0];
  };
  evaluateReference(a, a.f, inputs, p.sizes); // the base evaluation every checker makes
  const claim = evaluateReference(a, a.claim!, p.inputs, p.sizes).data;
  const num: number[] = [];
  const claimed: number[] = [];
  for (const d of directionsOf(p, c.row.wrt, mode)) {
    const s = stepFor(x0.data, d, mode);
    num.push(
      richardson((t) => {
        const x = mat(x0.rows, x0.cols);
        for (let i = 0; i < x.data.length; i++) x.data[i] = x0.data[i] + t * d[i];
        return f(x);
      }, s),
    );
    let dot = 0;
    for (let i = 0; i < d.length; i++) dot += claim[i] * d[i];
    claimed.push(dot);
  }
  return { relErr: relErr(num, claimed) };
}

const math: MathJsInstance = create(all, {});

const toMathjs = (m: Mat): Matrix => math.matrix(Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i + j * m.rows])));

export interface MathjsCompiled {
  f: EvalFunction;
  grad: EvalFunction;
}

export function compileMathjs(c: BaselineCase): MathjsCompiled {
  return { f: math.compile(c.mathjs.f), grad: math.compile(c.mathjs.grad) };
}

export function mathjsCheck(c: BaselineCase, p: Point, mode: 'directional' | 'entrywise', compiled = compileMathjs(c)): BaselineResult {
  const scope: Record<string, unknown> = {};
  for (const [name, m] of p.inputs) scope[name] = toMathjs(m);
  const x0 = scope[c.row.wrt] as Matrix;
  const x0data = p.inputs.get(c.row.wrt)!.data;
  const value = (r: unknown): number => (typeof r === 'number' ? r : (math.squeeze(r as Matrix) as unknown as number));
  value(compiled.f.evaluate(scope));
  const claim = compiled.grad.evaluate(scope) as Matrix;
  const num: number[] = [];
  const claimed: number[] = [];
  const shape = p.inputs.get(c.row.wrt)!;
  for (const d of directionsOf(p, c.row.wrt, mode)) {
    const D = toMathjs(mat(shape.rows, shape.cols, d));
    const s = stepFor(x0data, d, mode);
    num.push(
      richardson((t) => {
        scope[c.row.wrt] = math.add(x0, math.multiply(t, D));
        return value(compiled.f.evaluate(scope));
      }, s),
    );
    claimed.push(math.sum(math.dotMultiply(claim, D)) as number);
  }
  scope[c.row.wrt] = x0;
  return { relErr: relErr(num, claimed) };
}
