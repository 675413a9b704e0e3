// One whole formula evaluation (issue 3): the two-layer network loss
// norm2(W2*tanh(W1*X) - Y)^2 over n x n matrices, compiled to one engine
// program run in one call, against the same formula written with the best
// plain TypeScript kernels (register-blocked matmul), the reference
// evaluator, and mathjs.
import { all, create, type Matrix } from 'mathjs';
import { lower } from '../src/compile/lower.js';
import { loadEngine } from '../src/run/module.js';
import { evaluateReference, mat, type Mat } from '../src/run/reference.js';
import { Trial } from '../src/run/trial.js';
import { makeRng, sampleKind } from '../src/sample/index.js';
import { analyze } from '../src/shapes/analyze.js';
import { matmulPlain } from './baselines/plain-kernels.js';
import { alternateRounds, measure, median, pairedRatio, type Budget } from './measure.js';

export interface FormulaRow {
  n: number;
  wasmMedianNs: number;
  plainTsMedianNs: number;
  referenceMedianNs: number;
  mathjsMedianNs: number | null;
  ratioPlainTs: number;
  ratioMathjs: number | null;
}

const FORMULA = 'norm2(W2*tanh(W1*X) - Y)^2';
const VARS = { W1: 'matrix(n,n)', W2: 'matrix(n,n)', X: 'matrix(n,n)', Y: 'matrix(n,n)' };
const math = create(all, {});
const ROUNDS = 5;


/** The formula with the best plain TypeScript kernels, buffers allocated once. */
function plainTsLoss(n: number) {
  const h = new Float64Array(n * n);
  const o = new Float64Array(n * n);
  return (w1: Float64Array, w2: Float64Array, x: Float64Array, y: Float64Array): number => {
    matmulPlain(h, w1, x, n, n, n);
    for (let i = 0; i < h.length; i++) h[i] = Math.tanh(h[i]);
    matmulPlain(o, w2, h, n, n, n);
    let s = 0;
    for (let i = 0; i < o.length; i++) {
      const d = o[i] - y[i];
      s += d * d;
    }
    return s;
  };
}

export function runFormulaBench(opts: { quick?: boolean; sizes?: number[] } = {}): FormulaRow[] {
  const engine = loadEngine('simd');
  const a = analyze({ vars: VARS, f: FORMULA });
  const program = lower(a);
  const rows: FormulaRow[] = [];
  for (const n of opts.sizes ?? [4, 16, 64, 128, 256]) {
    const ms = opts.quick ? 50 : n >= 128 ? 400 : 200;
    const budget: Budget = { time: ms, iterations: 5, warmupTime: Math.min(ms / 4, 100), warmupIterations: 3 };
    const rng = makeRng(`formula-${n}`);
    const inputs = new Map<string, Mat>();
    for (const name of Object.keys(VARS)) inputs.set(name, mat(n, n, sampleKind({ base: 'matrix', positive: false, dims: [] }, n, n, rng)));
    const trial = new Trial(engine, program, a.types.dims, { n });
    for (const [name, m] of inputs) trial.setInput(name, m.data);
    const f = trial.layout.f;
    const wasm = () => trial.run('f') | trial.run('const');
    const plain = plainTsLoss(n);
    const [w1, w2, x, y] = ['W1', 'W2', 'X', 'Y'].map((k) => inputs.get(k)!.data);
    const reference = () => evaluateReference(a, a.f, inputs, { n });
    const scope: Record<string, Matrix> = {};
    for (const [name, m] of inputs) scope[name] = math.matrix(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m.data[i + j * n])));
    const compiled = math.compile("norm(W2*map(W1*X, tanh) - Y, 'fro')^2");
    // All four agree before anything is timed.
    wasm();
    const want = plain(w1, w2, x, y);
    const got = trial.memory.scalar(f.addr);
    const ref = reference().data[0];
    if (Math.abs(got - want) > 1e-10 * Math.abs(want) || Math.abs(ref - want) > 1e-10 * Math.abs(want)) throw new Error(`formula n=${n}: engine ${got}, plain ${want}, reference ${ref}`);
    const [wasmRounds, plainRounds] = alternateRounds([wasm, () => plain(w1, w2, x, y)], { ...budget, time: budget.time / ROUNDS }, ROUNDS);
    const wasmNs = median(wasmRounds);
    const plainNs = median(plainRounds);
    const refNs = measure(reference, budget);
    const mathjsNs = n > 128 ? null : measure(() => compiled.evaluate(scope), budget);
    rows.push({ n, wasmMedianNs: wasmNs, plainTsMedianNs: plainNs, referenceMedianNs: refNs, mathjsMedianNs: mathjsNs, ratioPlainTs: pairedRatio(plainRounds, wasmRounds), ratioMathjs: mathjsNs === null ? null : mathjsNs / wasmNs });
  }
  return rows;
}
