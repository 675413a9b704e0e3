// A tolerance the user sets is the relative error a claim is held to, but
// not below what the check itself resolves (10 times the finite
// differences' error estimate, and never below f64 rounding, 1e-9): a
// failure there would say nothing about the formula (found by a user audit:
// x'*x with 2*x "failed" at tolerance 1e-20).
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';

const quad = { id: 'q', vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x' };

describe('a tolerance below what the check resolves', () => {
  it('is an error that says so and what tolerance to use, where a right claim would have failed', () => {
    const r = checkFormula({ ...quad, grad: '2*x' } as FormulaRow, { tolerance: 1e-20 });
    expect(r.verdict).toBe('error');
    expect(r.tolerance).toBe(1e-20);
    expect(r.relErr).toBeGreaterThan(1e-20);
    expect(r.message).toMatch(/^the tolerance 1\.00e-20 is below what this check resolves here: the claim is off by \d\.\d\de-\d+ \(relative\) in trial 1, within 1\.00e-9, the smallest difference it can tell from its own error\. Use a tolerance of at least 1\.0e-9, or leave the tolerance out\.$/);
    // The row's own field too, and for an identity (no finite differences: rounding alone).
    expect(checkFormula({ ...quad, grad: '2*x', tolerance: 1e-15 } as FormulaRow).verdict).toBe('error');
    expect(checkFormula({ id: 'e', vars: { X: 'matrix(n,n)' }, f: "tr(X*X')", equals: 'norm2(X)^2', tolerance: 1e-30 } as FormulaRow).verdict).not.toBe('fail');
  });

  it('leaves a claim wrong by more than the check resolves failing, and a loose tolerance passing', () => {
    const wrong = checkFormula({ ...quad, grad: '2.1*x' } as FormulaRow, { tolerance: 1e-20 });
    expect(wrong.verdict).toBe('fail');
    expect(wrong.message).toMatch(/^relative error 4\.76e-2 exceeds the tolerance 1\.00e-20/);
    // Off by 1e-7: beyond the check's resolution, so a tolerance of 1e-8 fails it.
    expect(checkFormula({ ...quad, grad: '2.0000002*x' } as FormulaRow, { tolerance: 1e-8 }).verdict).toBe('fail');
    expect(checkFormula({ ...quad, grad: '2*x' } as FormulaRow, { tolerance: 1e-3 }).verdict).toBe('pass');
  });

  it('does not stop the trials: a later trial wrong beyond what the check resolves still fails the claim', () => {
    // 1e-12*x*exp(2*x'*x) is below resolution where x'*x is small, and far above it where it is large.
    const row = { ...quad, grad: "2*x + 1e-12*x*exp(2*x'*x)" } as FormulaRow;
    // Trial 1 alone cannot resolve it (an error); with the default 3 trials, trial 2 refutes the claim.
    expect(checkFormula({ ...row, trials: 1 }, { seed: 42, tolerance: 1e-12 }).verdict).toBe('error');
    const r = checkFormula(row, { seed: 42, tolerance: 1e-12 });
    expect(r.verdict).toBe('fail');
    expect(r.trial).toBe(1);
    expect(r.relErr).toBeGreaterThan(1e-4);
    // When no trial does better, the error names the trial that could not be resolved.
    const e = checkFormula(row, { seed: 39, tolerance: 1e-12 });
    expect(e.verdict).toBe('error');
    expect(e.message).toContain('(relative) in trial 1, within 1.00e-9');
  });
});
