// The formula matchers through vitest's own expect: pass, fail with a
// message that says what is wrong without rerunning anything, .not, a diff of
// small rounded matrices, errors that fail the test either way.
import { describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { checkFormula } from '../../src/check/formula.js';
import { isMatcheckError, type MatcheckError } from '../../src/errors.js';
import type { FormulaSubject } from '../../src/index.js';
import { entry, failure } from './helpers.js';

const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
const trAXB = { f: 'tr(A*X*B)', wrt: 'X', vars };

describe('toHaveGradient', () => {
  it('passes for a right gradient', () => {
    expect(trAXB).toHaveGradient("A'*B'");
    expect(trAXB).toHaveGradient("A'*B'", { seed: 7, trials: 5, mode: 'entrywise' });
    expect({ ...trAXB, layout: 'numerator' }).toHaveGradient('B*A');
  });

  it('fails for a wrong one, saying what is wrong', () => {
    const e = failure(() => expect(trAXB).toHaveGradient("2*A'*B'", { seed: 's1' }));
    // The row checkFormula sees, to read the expected numbers from.
    const r = checkFormula({ ...trAXB, grad: "2*A'*B'", seed: 's1' });
    expect(r.verdict).toBe('fail');
    const { m, n, p } = r.dims;
    const lines = e.message.split('\n');
    expect(lines[0]).toBe("expected the gradient of tr(A*X*B) with respect to X to be 2*A'*B'");
    expect(lines).toContain('  vars: A: matrix(p,m), X: matrix(m,n), B: matrix(n,p)');
    expect(lines).toContain('  fail: relative error 5.00e-1 exceeds the tolerance 1.00e-9');
    const w = r.worst[0];
    expect(e.message).toContain(`worst entry ${w.entry}: claimed ${Number(w.claimed.toPrecision(10))}, numerical ${Number(w.numerical.toPrecision(10))}`);
    expect(lines).toContain('  diagnosis: off by a constant factor: the correct value is 1/2 times the claim');
    expect(lines).toContain(`  seed s1, trial 1, sizes m=${m}, n=${n}, p=${p} (pass { seed: "s1" } to draw the same points)`);
    // actual: the numerical gradient, expected: the claim, both m x n, rounded; the claim is twice the truth.
    expect(e.actual).toHaveLength(m);
    expect(e.expected).toHaveLength(m);
    for (const row of [...(e.actual as number[][]), ...(e.expected as number[][])]) expect(row).toHaveLength(n);
    const i = w.index % m;
    const j = Math.floor(w.index / m);
    expect(entry(e.actual, i, j)).toBe(Number(w.numerical.toPrecision(4)));
    expect(entry(e.expected, i, j)).toBe(Number(w.claimed.toPrecision(4)));
    for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) expect(entry(e.expected, a, b)).toBeCloseTo(2 * entry(e.actual, a, b), 2);
  });

  it('a claim of the transposed shape: shown as written, so the diff shows the shapes', () => {
    const e = failure(() => expect(trAXB).toHaveGradient('B*A', { seed: 's2' }));
    const r = checkFormula({ ...trAXB, grad: 'B*A', seed: 's2' });
    const { m, n } = r.dims;
    expect(e.message).toContain(`fail: the claim has the transposed shape: it is n x m, but it must be m x n`);
    expect(e.message).toContain('diagnosis: correct up to transpose: the claim is n x m, but it must be m x n (it is in numerator layout)');
    expect(e.actual).toHaveLength(m);
    expect(e.expected).toHaveLength(n);
    expect(entry(e.expected, 1, 0)).toBeCloseTo(entry(e.actual, 0, 1), 4);
  });

  it('.not: passes for a wrong claim, fails for a right one', () => {
    expect(trAXB).not.toHaveGradient("2*A'*B'");
    expect(trAXB).not.toHaveGradient("A'*B'+X", { trials: 1 });
    const e = failure(() => expect(trAXB).not.toHaveGradient("A'*B'", { seed: 3 }));
    const r = checkFormula({ ...trAXB, grad: "A'*B'", seed: 3 });
    expect(e.message.split('\n')[0]).toBe("expected the gradient of tr(A*X*B) with respect to X not to be A'*B', but it is");
    expect(e.message).toContain(`pass: relative error ${r.relErr!.toExponential(2)} <= tolerance ${r.tolerance!.toExponential(2)} in each of 3 trials`);
    expect(e.message).toContain('seed 3');
  });

  it('a malformed formula fails the test with or without .not', () => {
    for (const assertion of [() => expect(trAXB).toHaveGradient("A'*"), () => expect(trAXB).not.toHaveGradient("A'*")]) {
      const e = failure(assertion);
      expect(e.message).toContain('toHaveGradient: the formula cannot be checked');
      expect(e.message).toContain("error[E_MISSING_OPERAND]: grad: '*' is missing its right operand");
      // A MatcheckError, as the usage errors are (it was a plain Error named so), with the row's field.
      expect(isMatcheckError(e)).toBe(true);
      expect([(e as MatcheckError).code, (e as MatcheckError).field]).toEqual(['E_CHECK', 'grad']);
    }
    const shape = failure(() => expect(trAXB).not.toHaveGradient("A*B'"));
    expect(shape.message).toMatch(/error\[E_[A-Z_]+\]: grad: /);
  });

  it('usage mistakes are named', () => {
    expect(() => expect(42 as unknown as FormulaSubject).toHaveGradient('x')).toThrow('toHaveGradient: expect() takes a formula such as { f: "tr(A*X*B)", wrt: "X", vars: { X: "matrix(m,n)" } }, got the number 42');
    expect(() => expect({ f: 'tr(X)' } as FormulaSubject).toHaveGradient('eye(n)')).toThrow('toHaveGradient: the formula needs wrt');
    expect(() => expect(trAXB).toHaveGradient("A'*B'", { sead: 1 } as never)).toThrow("toHaveGradient: unknown option 'sead'\n  = hint: did you mean 'seed'?");
    expect(() => expect(trAXB).toHaveGradient(1 as never)).toThrow('toHaveGradient: the claim must be a formula in a string, got the number 1');
  });

  it('a table row as the subject: its own claim is replaced by the matcher', () => {
    const row = { id: 'r', ...trAXB, grad: 'wrong', expect: 'fail' as const };
    expect(row).toHaveGradient("A'*B'");
  });

  it('as an asymmetric matcher', () => {
    expect({ name: 'tr', formula: trAXB }).toEqual({ name: 'tr', formula: expect.toHaveGradient("A'*B'") });
    expect({ formula: trAXB }).not.toEqual({ formula: expect.toHaveGradient("2*A'*B'") });
  });
});

describe('the other claims', () => {
  it('toHaveJacobian', () => {
    expect({ f: 'A*x', wrt: 'x', vars: { A: 'matrix(m,n)', x: 'vector(n)' } }).toHaveJacobian('A');
    expect({ f: 'A*x', wrt: 'x', vars: { A: 'matrix(n,n)', x: 'vector(n)' } }).not.toHaveJacobian("A'");
    const e = failure(() => expect({ f: 'A*x', wrt: 'x', vars: { A: 'matrix(n,n)', x: 'vector(n)' } }).toHaveJacobian("A'"));
    expect(e.message.split('\n')[0]).toBe("expected the Jacobian of A*x with respect to x to be A'");
    expect(e.message).toContain('diagnosis: correct up to transpose');
  });
  it('toHaveDifferential; a block too large to show whole gives the worst entries by name', () => {
    const subject = { f: 'inv(X)', wrt: 'X', vars: { X: 'invertible(n)' }, dims: { n: 11 } };
    expect(subject).toHaveDifferential('-inv(X)*dX*inv(X)');
    const e = failure(() => expect(subject).toHaveDifferential('-inv(X)*inv(X)*dX', { seed: 5 }));
    const r = checkFormula({ ...subject, differential: '-inv(X)*inv(X)*dX', seed: 5 });
    expect(e.message.split('\n')[0]).toBe('expected the differential of inv(X) with respect to X to be -inv(X)*inv(X)*dX');
    expect(e.message).toContain('vars: X: invertible(n); dims n=11');
    expect(e.message).toContain(`worst entry ${r.worst[0].entry}: `);
    // 121 x 121 values: not shown whole.
    expect(Object.keys(e.actual as object)).toEqual(r.worst.map((w) => w.entry));
    expect(Object.values(e.expected as object)).toEqual(r.worst.map((w) => Number(w.claimed.toPrecision(4))));
  });
  it('toHaveHessian', () => {
    expect({ f: "x'*Q*x", wrt: 'x', vars: { x: 'vector(n)', Q: 'matrix(n,n)' } }).toHaveHessian("Q+Q'");
    expect({ f: "x'*Q*x", wrt: 'x', vars: { x: 'vector(n)', Q: 'matrix(n,n)' } }).not.toHaveHessian('2*Q');
  });
  it('toEqualFormula', () => {
    expect({ f: 'tr(A*B)', vars: { A: 'matrix(m,n)', B: 'matrix(n,m)' } }).toEqualFormula('tr(B*A)');
    expect({ f: "(A*B)'", vars: { A: 'matrix(m,n)', B: 'matrix(n,k)' } }).toEqualFormula("B'*A'");
    const square = { f: "(A*B)'", vars: { A: 'matrix(n,n)', B: 'matrix(n,n)' } };
    expect(square).not.toEqualFormula("A'*B'");
    const e = failure(() => expect(square).toEqualFormula("A'*B'"));
    expect(e.message.split('\n')[0]).toBe("expected (A*B)' to equal A'*B'");
    expect(e.message).toMatch(/fail: relative error [0-9.]+e[-+]\d+ exceeds the tolerance 1.00e-9/);
    expect(e.message).toContain('diagnosis: wrong factor order: ');
  });
});
