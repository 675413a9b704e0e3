// A row's result depends only on the row and its seed, never on what earlier
// checks left in engine memory: otherwise a table's output changes with the
// rows before a row, and with --threads (each worker checks other rows
// before it), which the README promises it does not.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { checkTables } from '../../src/check/table.js';
import { loadEngine, type Engine } from '../../src/run/module.js';
import type { FormulaRow } from '../../src/row.js';

const fractional: FormulaRow = { id: 'op-elementwise-power-fractional', vars: { X: 'positive matrix(m,n)' }, f: 'X.^1.5', wrt: 'X', differential: '1.5*X.^0.5.*dX' };
const before: FormulaRow = { id: 'zz', vars: { x: 'vector(n)' }, dims: { n: 2 }, f: 'sum(x)', wrt: 'x', grad: 'vector(1)' };

/** Every byte above the engine's static data set to `value` (as doubles), as if an earlier check had left it there. */
function poisoned(value: number): Engine {
  const engine = loadEngine();
  engine.memory.grow(16);
  const from = Math.ceil(engine.heapBase / 8);
  new Float64Array(engine.memory.buffer).fill(value, from);
  return engine;
}

describe('a differential row', () => {
  it.each(['directional', 'entrywise'] as const)('%s: gives the same result whatever engine memory held before (NaN, Inf, numbers)', (mode) => {
    const clean = JSON.stringify(checkFormula(fractional, { mode, engine: loadEngine() }));
    for (const value of [NaN, Infinity, -1e300, 7]) {
      expect(JSON.stringify(checkFormula(fractional, { mode, engine: poisoned(value) })), `memory filled with ${value}`).toBe(clean);
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
