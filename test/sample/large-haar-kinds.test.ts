// spd and invertible values are drawn in the engine at every size. Past the
// staging area their work space is reserved in engine memory, which may
// grow the memory in the middle of a draw (growing detaches every view
// taken before): the values must not depend on whether it did.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { loadEngine } from '../../src/run/module.js';
import type { FormulaRow } from '../../src/row.js';

describe('large spd and invertible inputs', () => {
  it('give the same result in a fresh engine (memory grows while drawing) as in one already grown', () => {
    const row: FormulaRow = {
      id: 'large-spd',
      vars: { S: 'spd(n)', W: 'invertible(n)', B: 'matrix(n,n)' },
      dims: { n: 180 },
      f: 'tr(S*W*B)',
      wrt: 'B',
      grad: "(S*W)'",
      trials: 1,
    };
    const engine = loadEngine('simd');
    const initialBytes = engine.memory.buffer.byteLength;
    const fresh = checkFormula(row, { seed: 'grow', engine });
    expect(engine.memory.buffer.byteLength).toBeGreaterThan(initialBytes);
    const again = checkFormula(row, { seed: 'grow', engine });
    expect(fresh.verdict).toBe('pass');
    expect(fresh.relErr).toBeLessThan(1e-8);
    expect(again.relErr).toBe(fresh.relErr);
    // A wrong claim still fails at this size: the values drawn are not zeros.
    expect(checkFormula({ ...row, grad: 'S*W' }, { seed: 'grow', engine }).verdict).toBe('fail');
  });
});
