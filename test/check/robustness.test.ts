// A check survives what happens under it: engine memory growing mid-check
// (every ad-hoc instruction block is allocated above the layout, and a view
// taken before a growth is detached), and a bug of its own (one row errs).
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';

describe('engine memory growing during a check', () => {
  it('an entry-wise differential of the transposed shape (2,000 basis directions, a transpose each)', () => {
    const r = checkFormula({ id: 'grow', vars: { X: 'matrix(m,n)' }, dims: { m: 40, n: 50 }, f: 'X', wrt: 'X', differential: "dX'", trials: 1 }, { mode: 'entrywise' });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis?.kind).toBe('transposed');
    expect(r.relErr).toBeLessThan(1e-9);
  });

  it('the same claim written right passes', () => {
    const r = checkFormula({ id: 'grow', vars: { X: 'matrix(m,n)' }, dims: { m: 40, n: 50 }, f: 'X', wrt: 'X', differential: 'dX', trials: 1 }, { mode: 'entrywise' });
    expect(r.verdict).toBe('pass');
  });
});

describe('an internal error', () => {
  it("is that row's error verdict, with the seed to report, and the table goes on", async () => {
    const { checkTable } = await import('../../src/check/table.js');
    const broken = { exports: {}, memory: new WebAssembly.Memory({ initial: 1 }), heapBase: 1024 } as never;
    const row = { id: 'r', vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x', grad: '2*x' };
    const r = checkFormula(row, { engine: broken });
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/^internal error in matcheck: .+\. Please report it with this row and its seed \([0-9a-f]{16}\)\.$/);
    const t = checkTable({ rows: [{ row, line: 1, fieldLines: {} }, { row: { ...row, id: 's' }, line: 2, fieldLines: {} }] }, { engine: broken });
    expect(t.rows.map((x) => x.verdict)).toEqual(['error', 'error']);
  });
});
