// A check reads only engine memory it wrote: its result must not depend on
// what earlier checks left there. Each row is checked in a fresh engine, then
// again after every byte above the heap base was set to NaN.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFormula, type CheckOptions } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';
import { loadEngine } from '../../src/run/module.js';
import { readTable } from '../../src/table/read.js';

const ROWS: FormulaRow[] = [
  { id: 'differential', vars: { X: 'positive matrix(m,n)' }, f: 'X.^1.5', wrt: 'X', differential: '1.5*X.^0.5.*dX' },
  { id: 'differential-trace', vars: { X: 'invertible(n)' }, f: 'logdet(X)', wrt: 'X', differential: 'tr(inv(X)*dX)' },
  { id: 'differential-wrong', vars: { X: 'matrix(m,n)' }, f: "tr(X'*X)", wrt: 'X', differential: "tr(X'*dX)" },
  { id: 'grad', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X', grad: "A'*B'" },
  { id: 'jacobian', vars: { x: 'vector(n)' }, f: 'x.^2', wrt: 'x', jacobian: '2*diag(x)' },
  { id: 'hessian', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', hessian: "Q+Q'" },
  { id: 'equals', vars: { A: 'matrix(m,n)', B: 'matrix(n,m)' }, f: 'tr(A*B)', equals: 'tr(B*A)' },
];

function poison(engine: ReturnType<typeof loadEngine>): void {
  const start = Math.ceil(engine.heapBase / 8);
  new Float64Array(engine.memory.buffer).fill(NaN, start);
}

const essentials = (r: ReturnType<typeof checkFormula>) => ({ verdict: r.verdict, relErr: r.relErr, trial: r.trial, dims: r.dims, message: r.message });

describe('a check does not read memory an earlier check left behind', () => {
  for (const mode of ['directional', 'entrywise'] as const) {
    for (const row of ROWS) {
      it(`${row.id}, ${mode}`, () => {
        const engine = loadEngine('simd');
        const options: CheckOptions = { seed: 'stale', trials: 3, mode, engine };
        const clean = essentials(checkFormula(row, options));
        expect(clean.verdict).toBe(row.id === 'differential-wrong' ? 'fail' : 'pass');
        poison(engine);
        expect(essentials(checkFormula(row, options))).toEqual(clean);
      });
    }
  }
});

// Every construct of the language, in both modes: each row of the constructs
// table gives the same result after the memory was poisoned as right after
// the row before it.
describe('no row of the constructs table reads stale memory', () => {
  const table = readTable(readFileSync('tables/constructs.yaml', 'utf8'), 'tables/constructs.yaml');
  for (const mode of ['directional', 'entrywise'] as const) {
    it(mode, () => {
      const engine = loadEngine('simd');
      const differ: string[] = [];
      let checked = 0;
      for (const { row, problem } of table.rows) {
        if (problem) continue;
        const options: CheckOptions = { seed: 'stale', trials: 2, mode, engine };
        const before = JSON.stringify(checkFormula(row, options));
        poison(engine);
        if (JSON.stringify(checkFormula(row, options)) !== before) differ.push(row.id!);
        checked++;
      }
      expect(checked).toBeGreaterThan(200);
      expect(differ).toEqual([]);
    });
  }
});
