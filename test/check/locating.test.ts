// A failing directional check names its worst entries from an entry-wise
// pass at the same point, up to MAX_LOCATED_DIRECTIONS entry-wise
// directions; past that the pass would take far longer than the check (6
// evaluations of f per entry against about 25 for the whole check), so the
// worst directions are listed and the message says how to see entries.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { MAX_LOCATED_DIRECTIONS } from '../../src/check/locating.js';
import type { FormulaRow } from '../../src/row.js';

const wrong = (n: number): FormulaRow => ({ id: `wrong-${n}`, vars: { A: 'matrix(n,n)', X: 'matrix(n,n)' }, dims: { n }, f: 'tr(A*X)', wrt: 'X', grad: 'A', trials: 1 });

describe('naming the worst entries of a failing row', () => {
  it(`names entries while wrt has at most ${MAX_LOCATED_DIRECTIONS} of them`, () => {
    expect(MAX_LOCATED_DIRECTIONS).toBe(32 * 32);
    const r = checkFormula(wrong(32), { seed: 'locate' });
    expect(r.verdict).toBe('fail');
    expect(r.worst.length).toBe(3);
    for (const w of r.worst) expect(w.entry).toMatch(/^d\/dX\[\d+,\d+\]$/);
    expect(r.message).not.toMatch(/not entries/);
  });

  it('lists the worst directions past that, and says how to see entries', () => {
    const r = checkFormula(wrong(33), { seed: 'locate' });
    expect(r.verdict).toBe('fail');
    for (const w of r.worst) expect(w.entry).toMatch(/^direction \d+$/);
    expect(r.message).toContain('the worst random directions are listed, not entries: naming entries takes 1089 entry-wise differences, more than the 1024 matcheck runs for a failing check');
    expect(r.message).toContain('check at smaller sizes, or in entry-wise mode');
    // The diagnosis does not need the entries.
    expect(r.diagnosis?.kind).toBe('transposed');
  });

  it('names entries at any size in entry-wise mode', () => {
    const r = checkFormula(wrong(33), { seed: 'locate', mode: 'entrywise' });
    expect(r.verdict).toBe('fail');
    for (const w of r.worst) expect(w.entry).toMatch(/^d\/dX\[\d+,\d+\]$/);
    expect(r.message).not.toMatch(/not entries/);
  });
});
