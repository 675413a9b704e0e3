// Whole gradient checks: matcheck against the same check written with
// mathjs and with the plain TypeScript reference evaluator, measured in the
// same run (tinybench medians). Run: npx tsx bench/check.ts [--quick]
import { checkFormula } from '../src/check/formula.js';
import type { FormulaRow } from '../src/row.js';
import { alternateRounds, median, pairedRatio, type Budget } from './measure.js';
import { compileMathjs, mathjsCheck, plainTsCheck, samplePoint, type BaselineCase } from './baselines/fd-checkers.js';

export interface CheckCaseResult {
  name: string;
  n: number | 'default';
  mode: 'directional' | 'entrywise';
  matcheckMedianNs: number;
  baselines: { mathjs: number | null; plainTs: number | null };
  ratio: { mathjs: number | null; plainTs: number | null };
  /** Relative errors the three checkers measured (all must be small: the claims are right). */
  relErr: { matcheck: number | null; mathjs: number | null; plainTs: number | null };
}

const DIRECTIONS = 4;

type Sizes = 'default' | number;

/** The four checks of the issue, each at a size: default sizes are typical draws (distinct, 2..7). */
export function cases(size: Sizes): { name: string; c: BaselineCase }[] {
  const d = (def: Record<string, number>) => (size === 'default' ? def : Object.fromEntries(Object.keys(def).map((k) => [k, size])));
  const row = (r: Omit<FormulaRow, 'id'> & { wrt: string; grad: string }, name: string) => ({ ...r, id: name });
  return [
    {
      name: 'tr(A*X*B)',
      c: {
        row: row({ vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, dims: d({ p: 3, m: 4, n: 5 }), f: 'tr(A*X*B)', wrt: 'X', grad: "A'*B'" }, 'traxb'),
        mathjs: { f: 'trace(A*X*B)', grad: 'transpose(A)*transpose(B)' },
      },
    },
    {
      name: 'logdet(X)',
      c: {
        row: row({ vars: { X: 'invertible(n)' }, dims: d({ n: 5 }), f: 'logdet(X)', wrt: 'X', grad: "inv(X)'" }, 'logdet'),
        mathjs: { f: 'log(abs(det(X)))', grad: 'transpose(inv(X))' },
      },
    },
    {
      name: 'norm2(A*x-b)^2',
      c: {
        row: row({ vars: { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, dims: d({ m: 6, n: 4 }), f: 'norm2(A*x-b)^2', wrt: 'x', grad: "2*A'*(A*x-b)" }, 'lsq'),
        mathjs: { f: "norm(A*x-b, 'fro')^2", grad: '2*transpose(A)*(A*x-b)' },
      },
    },
    {
      name: 'two-layer net, d/dW1',
      c: {
        row: row(
          { vars: { W1: 'matrix(h,n)', W2: 'matrix(m,h)', x: 'vector(n)', y: 'vector(m)' }, dims: d({ h: 5, n: 4, m: 3 }), f: 'norm2(W2*tanh(W1*x) - y)^2', wrt: 'W1', grad: "((W2'*(2*(W2*tanh(W1*x)-y))).*(1-tanh(W1*x).^2))*x'" },
          'net',
        ),
        mathjs: { f: "norm(W2*map(W1*x, tanh) - y, 'fro')^2", grad: 'dotMultiply(transpose(W2)*(2*(W2*map(W1*x, tanh)-y)), 1 - dotPow(map(W1*x, tanh), 2))*transpose(x)' },
      },
    },
  ];
}

/** Rough cost of one call, to skip baselines that would take minutes. */
function once(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export function runCheckBench(opts: { quick?: boolean; log?: (s: string) => void } = {}): CheckCaseResult[] {
  const log = opts.log ?? (() => {});
  const ms = opts.quick ? 60 : 300;
  const budget: Budget = { time: ms, iterations: 3, warmupTime: Math.min(ms / 4, 100), warmupIterations: 2 };
  // matcheck and both baselines alternate in rounds (the machine's speed drifts).
  const rounds = opts.quick ? 1 : 5;
  const round: Budget = { ...budget, time: ms / rounds };
  const sizes: Sizes[] = opts.quick ? ['default', 16] : ['default', 16, 64, 128];
  const out: CheckCaseResult[] = [];
  for (const size of sizes) {
    for (const { name, c } of cases(size)) {
      for (const mode of ['directional', 'entrywise'] as const) {
        const entries = samplePoint(c, 'bench', DIRECTIONS).inputs.get(c.row.wrt)!.data.length;
        // Entry-wise checks grow with the number of entries (2 x 3 evaluations
        // each): past 256 entries one check takes seconds and says nothing new.
        if (mode === 'entrywise' && entries > 256) continue;
        const options = { seed: 'bench', trials: 1, directions: DIRECTIONS, mode };
        const mc = checkFormula(c.row, options);
        let seed = 0;
        const point = () => samplePoint(c, `bench-${seed++ % 16}`, DIRECTIONS);
        const p0 = samplePoint(c, 'bench', DIRECTIONS);
        const plainOnce = once(() => plainTsCheck(c, p0, mode));
        const matcheckCheck = () => checkFormula(c.row, options);
        const plainCheck = () => plainTsCheck(c, point(), mode);
        // Compiled once, as the plain TypeScript checker parses once and matcheck caches its compiled rows.
        const compiled = compileMathjs(c);
        const mathOnce = once(() => mathjsCheck(c, p0, mode, compiled));
        const mathjsCheckFn = () => mathjsCheck(c, point(), mode, compiled);
        // The three in the same alternating rounds (baselines that take over a
        // second a check are skipped); a slow mathjs check runs once a round.
        const fns: (() => unknown)[] = [matcheckCheck];
        const budgets: Budget[] = [round];
        if (plainOnce <= 1_000) {
          fns.push(plainCheck);
          budgets.push(round);
        }
        if (mathOnce <= 1_000) {
          fns.push(mathjsCheckFn);
          budgets.push(mathOnce > 50 ? { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 } : round);
        }
        const samples = alternateRounds(fns, budgets, rounds);
        const matcheckMedianNs = median(samples[0]);
        const plainSamples = plainOnce <= 1_000 ? samples[1] : null;
        const mathjsSamples = mathOnce <= 1_000 ? samples[fns.length - 1] : null;
        const plainTs = plainSamples && median(plainSamples);
        const mathjs = mathjsSamples && median(mathjsSamples);
        const row: CheckCaseResult = {
          name,
          n: size,
          mode,
          matcheckMedianNs,
          baselines: { mathjs, plainTs },
          ratio: { mathjs: mathjsSamples && pairedRatio(mathjsSamples, samples[0]), plainTs: plainSamples && pairedRatio(plainSamples, samples[0]) },
          relErr: { matcheck: mc.relErr, mathjs: mathjsCheck(c, p0, mode, compiled).relErr, plainTs: plainTsCheck(c, p0, mode).relErr },
        };
        if (mc.verdict !== 'pass') throw new Error(`matcheck failed a correct claim in the benchmark: ${name} n=${size} ${mode}: ${mc.message}`);
        out.push(row);
        log(formatRow(row));
      }
    }
  }
  return out;
}

const fmtNs = (ns: number | null) => (ns === null ? 'skipped' : ns < 1e3 ? `${ns.toFixed(0)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(1)} us` : ns < 1e9 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e9).toFixed(2)} s`);
const fmtRatio = (r: number | null) => (r === null ? '-' : r >= 100 ? `${r.toFixed(0)}x` : `${r.toFixed(1)}x`);

export function formatRow(r: CheckCaseResult): string {
  return `| ${r.name} | ${r.n} | ${r.mode} | ${fmtNs(r.matcheckMedianNs)} | ${fmtNs(r.baselines.plainTs)} | ${fmtRatio(r.ratio.plainTs)} | ${fmtNs(r.baselines.mathjs)} | ${fmtRatio(r.ratio.mathjs)} |`;
}

export const HEADER = '| check | n | mode | matcheck | plain TS | ratio | mathjs | ratio |\n|---|---|---|---|---|---|---|---|';

if (process.argv[1]?.endsWith("/check.js")) {
  console.log(HEADER);
  runCheckBench({ quick: process.argv.includes('--quick'), log: console.log });
}
