// Rows are compiled once and found again by their formula fields: a row that
// differs from an earlier one in any field that changes its meaning must not
// reuse the earlier compilation.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';

const verdict = (row: FormulaRow) => checkFormula(row, { seed: 'cache' }).verdict;

describe('compiled rows', () => {
  it('tell rows apart by the kinds of their vars', () => {
    // X*X needs a square X.
    const square: FormulaRow = { id: 's', vars: { X: 'matrix(n,n)' }, f: 'tr(X*X)', wrt: 'X', grad: "2*X'" };
    const wide: FormulaRow = { id: 'w', vars: { X: 'matrix(m,n)' }, f: 'tr(X*X)', wrt: 'X', grad: "2*X'" };
    expect(verdict(square)).toBe('pass');
    expect(verdict(wide)).toBe('error');
    expect(verdict(square)).toBe('pass');
  });

  it('tell rows apart by wrt and by layout', () => {
    const vars = { A: 'matrix(m,n)', X: 'matrix(n,m)' };
    expect(verdict({ id: 'x', vars, f: 'tr(A*X)', wrt: 'X', grad: "A'" })).toBe('pass');
    expect(verdict({ id: 'a', vars, f: 'tr(A*X)', wrt: 'A', grad: "A'" })).toBe('fail');
    expect(verdict({ id: 'a', vars, f: 'tr(A*X)', wrt: 'A', grad: "X'" })).toBe('pass');
    expect(verdict({ id: 'n', vars, f: 'tr(A*X)', wrt: 'X', grad: 'A', layout: 'numerator' })).toBe('pass');
    expect(verdict({ id: 'd', vars, f: 'tr(A*X)', wrt: 'X', grad: 'A' })).toBe('fail');
  });

  it('tell rows apart by the number of vars, either way round', () => {
    // Undeclared, Y takes the shape X*Y needs; declared m x m, it does not fit.
    const both: FormulaRow = { id: 'b', vars: { X: 'matrix(n,n)', Y: 'matrix(m,m)' }, f: 'tr(X*Y)', wrt: 'X', grad: "Y'" };
    const one: FormulaRow = { id: 'o', vars: { X: 'matrix(n,n)' }, f: 'tr(X*Y)', wrt: 'X', grad: "Y'" };
    expect(verdict(both)).toBe('error');
    expect(verdict(one)).toBe('pass');
    expect(verdict(both)).toBe('error');
  });

  it('read only the own keys of vars, as the analysis does, whichever row comes first', () => {
    // An inherited Y declares nothing: Y takes the shape X*Y needs. Declared
    // m x m as the row's own, it does not fit. Neither row may take the other's compilation.
    const inheritedVars = (): Record<string, string> => Object.assign(Object.create({ Y: 'matrix(m,m)' }) as Record<string, string>, { X: 'matrix(n,n)' });
    const inherited = (): FormulaRow => ({ id: 'i', vars: inheritedVars(), f: 'tr(X*Y)', wrt: 'X', grad: "Y'" });
    const own = (): FormulaRow => ({ id: 'o', vars: { X: 'matrix(n,n)', Y: 'matrix(m,m)' }, f: 'tr(X*Y)', wrt: 'X', grad: "Y'" });
    expect(verdict(inherited())).toBe('pass');
    expect(verdict(own())).toBe('error');
    expect(verdict(inherited())).toBe('pass');
  });

  it('see a row object changed between checks', () => {
    const row: FormulaRow = { id: 'm', vars: { X: 'matrix(n,n)' }, f: 'tr(X*X)', wrt: 'X', grad: "2*X'" };
    expect(verdict(row)).toBe('pass');
    row.vars!.X = 'matrix(m,n)';
    expect(verdict(row)).toBe('error');
    row.vars!.X = 'matrix(n,n)';
    row.grad = '3*X';
    expect(verdict(row)).toBe('fail');
  });
});
