// A check reads only engine memory it wrote: its result must not depend on
// what earlier checks left there. Each row is checked in a fresh engine, then
// again after every byte above the heap base was set to NaN (or Infinity, a
// huge or an ordinary number), and after another row.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFormula, type CheckOptions } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';
import { checkTables } from '../../src/check/table.js';
import { loadEngine, type Engine } from '../../src/run/module.js';
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

/** Every double above the engine's static data set to `value`, as if an earlier check had left it there. */
function poison(engine: Engine, value = NaN): Engine {
  const start = Math.ceil(engine.heapBase / 8);
  new Float64Array(engine.memory.buffer).fill(value, start);
  return engine;
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

// The row whose result changed with --threads: a differential, whose claim was
// evaluated before its direction dX had been written.
// (Its id, as in the shipped table, derives the seed that showed it.)
const fractional: FormulaRow = { ...ROWS[0], id: 'op-elementwise-power-fractional' };
const before: FormulaRow = { id: 'zz', vars: { x: 'vector(n)' }, dims: { n: 2 }, f: 'sum(x)', wrt: 'x', grad: 'vector(1)' };

describe('a differential row', () => {
  it.each(['directional', 'entrywise'] as const)('%s: gives the same result whatever engine memory held before (NaN, Inf, numbers)', (mode) => {
    const clean = JSON.stringify(checkFormula(fractional, { mode, engine: loadEngine() }));
    for (const value of [NaN, Infinity, -1e300, 7]) {
      const engine = loadEngine();
      engine.memory.grow(16);
      expect(JSON.stringify(checkFormula(fractional, { mode, engine: poison(engine, value) })), `memory filled with ${value}`).toBe(clean);
    }
  });

  it('entry-wise: checked after another row, it gives what it gives alone (the shipped op-elementwise-power-fractional differed with --threads)', () => {
    const alone = checkFormula(fractional, { mode: 'entrywise', engine: loadEngine() });
    const rows = [before, fractional].map((row, i) => ({ row, line: i + 1, fieldLines: {} }));
    const after = checkTables([{ rows }], { mode: 'entrywise', engine: loadEngine() }).rows[1];
    expect(after.id).toBe(fractional.id);
    expect({ relErr: after.relErr, trial: after.trial, dims: after.dims }).toEqual({ relErr: alone.relErr, trial: alone.trial, dims: alone.dims });
  });
});
