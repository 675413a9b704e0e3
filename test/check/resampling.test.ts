// Points at kinks, outside domains or near singular matrices are drawn
// again, not judged; a row that never finds a valid point is an error that
// says why; the same seed gives the same result bit for bit.
import { describe, expect, it } from 'vitest';
import { checkFormula, trialContext } from '../../src/check/formula.js';
import { drawPoint, judgeAt, type TrialContext } from '../../src/check/trial.js';
import type { FormulaRow } from '../../src/row.js';
import { makeRng } from '../../src/sample/index.js';

function context(row: FormulaRow): TrialContext {
  return trialContext(row, {});
}

/** Judges at a point whose wrt value is set by hand. */
function judgeWith(row: FormulaRow, x: number[]) {
  const ctx = context(row);
  const rng = makeRng('fixed');
  const { trial, sizes } = drawPoint(ctx, rng);
  trial.setInput(row.wrt!, x);
  return judgeAt(ctx, trial, sizes, rng, 'directional');
}

describe('resampling', () => {
  const absRow: FormulaRow = { vars: { x: 'vector(n)' }, dims: { n: 3 }, f: 'sum(abs(x))', wrt: 'x', grad: 'sign(x)' };

  it('a point on a kink of abs is drawn again (reason kink)', () => {
    expect(judgeWith(absRow, [0.5, 0, -1])).toEqual({ kind: 'redraw', reason: 'kink' });
  });

  it('a point within a step of a kink is drawn again', () => {
    expect(judgeWith(absRow, [0.5, 1e-6, -1])).toEqual({ kind: 'redraw', reason: 'kink' });
  });

  it('the same row away from kinks is judged and passes', () => {
    const j = judgeWith(absRow, [0.5, 0.25, -1]);
    expect(j.kind).toBe('judged');
    expect(j.kind === 'judged' && j.pass).toBe(true);
  });

  it('relu at a kink is drawn again', () => {
    const row: FormulaRow = { vars: { x: 'vector(n)' }, dims: { n: 2 }, f: 'sum(relu(x))', wrt: 'x', grad: '(sign(x)+1)/2' };
    expect(judgeWith(row, [0, 1])).toEqual({ kind: 'redraw', reason: 'kink' });
  });

  it('log of a negative value is drawn again (reason domain)', () => {
    const row: FormulaRow = { vars: { x: 'vector(n)' }, dims: { n: 2 }, f: 'sum(log(x))', wrt: 'x', grad: '1./x' };
    expect(judgeWith(row, [-1, 2])).toEqual({ kind: 'redraw', reason: 'domain' });
  });

  it('a singular matrix is drawn again (reason singular)', () => {
    const row: FormulaRow = { vars: { X: 'matrix(n,n)' }, dims: { n: 2 }, f: 'logdet(X)', wrt: 'X', grad: "inv(X)'" };
    expect(judgeWith(row, [1, 2, 2, 4])).toEqual({ kind: 'redraw', reason: 'domain' });
    const inv: FormulaRow = { vars: { X: 'matrix(n,n)' }, dims: { n: 2 }, f: 'sum(inv(X))', wrt: 'X', grad: "-inv(X)'*matrix(1)*inv(X)'" };
    expect(judgeWith(inv, [1, 2, 2, 4])).toEqual({ kind: 'redraw', reason: 'singular' });
  });

  it('sqrt of a general vector passes: negative draws are redrawn', () => {
    const r = checkFormula({ id: 'sqrt', vars: { x: 'vector(n)' }, dims: { n: 2 }, f: 'sum(sqrt(x))', wrt: 'x', grad: '0.5./sqrt(x)' }, { trials: 5 });
    expect(r.verdict).toBe('pass');
  });

  it('a row with no valid point is an error that says why', () => {
    const r = checkFormula({ id: 'never', vars: { x: 'vector(n)' }, f: 'sum(log(-exp(x)))', wrt: 'x', grad: 'vector(1)' });
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/no valid point in 25 draws: 25 times a function left its domain/);
    expect(r.message).toMatch(/positive/);
  });
});

describe('reproducibility', () => {
  const row: FormulaRow = { id: 'r', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X', grad: 'A\'*B\' + 1e-3*X' };

  it('the same seed gives identical results', () => {
    const a = checkFormula(row, { seed: 'abc' });
    const b = checkFormula(row, { seed: 'abc' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.verdict).toBe('fail');
    expect(a.worst.length).toBeGreaterThan(0);
  });

  it('another seed draws other sizes or values', () => {
    const a = checkFormula(row, { seed: 'abc' });
    const b = checkFormula(row, { seed: 'abd' });
    expect(a.seed).not.toBe(b.seed);
    expect(JSON.stringify([a.dims, a.relErr])).not.toBe(JSON.stringify([b.dims, b.relErr]));
  });

  it("a row's own seed reproduces it whatever the table seed", () => {
    const a = checkFormula({ ...row, seed: 'pinned' }, { seed: '1' });
    const b = checkFormula({ ...row, seed: 'pinned' }, { seed: '2' });
    expect(a.relErr).toBe(b.relErr);
    expect(a.dims).toEqual(b.dims);
  });

  it('the reported seed and trial reproduce the failing sizes', () => {
    const a = checkFormula(row, { seed: '7' });
    const again = checkFormula({ ...row, seed: a.seed }, {});
    expect(again.dims).toEqual(a.dims);
    expect(again.relErr).toBe(a.relErr);
  });

  it('dims symbols get distinct sizes in 2..7', () => {
    for (let s = 0; s < 50; s++) {
      const r = checkFormula(row, { seed: String(s) });
      const sizes = Object.values(r.dims);
      expect(new Set(sizes).size).toBe(sizes.length);
      for (const v of sizes) expect(v >= 2 && v <= 7).toBe(true);
    }
  });
});

describe('dims', () => {
  const row: FormulaRow = { id: 'quad', vars: { x: 'vector(n)', A: 'matrix(n,n)' }, f: "x'*A*x", wrt: 'x', grad: "(A+A')*x" };

  it('fixes the sizes it names', () => {
    expect(checkFormula({ ...row, dims: { n: 9 } }).dims).toEqual({ n: 9 });
  });

  it('naming a dimension the row does not have is an error naming it, with the near miss or the list', () => {
    const typo = checkFormula({ ...row, dims: { N: 4 } });
    expect(typo.verdict).toBe('error');
    expect(typo.field).toBe('dims.N');
    expect(typo.message).toBe("error[E_DIMS]: dims.N: dims names 'N', but no kind of this row has a dimension 'N'\n  = hint: did you mean 'n'?");
    const other = checkFormula({ ...row, dims: { n: 3, m: 4 } });
    expect(other.message).toContain("dims names 'm'");
    expect(other.message).toContain('hint: the dimensions are n');
  });
});

describe('a row with no valid point says whose fault it is', () => {
  const x = { vars: { x: 'vector(n)' }, wrt: 'x' };
  it('a claim undefined where f is defined is the claim\'s fault, not the kinds\'', () => {
    const r = checkFormula({ id: 'c', ...x, f: "x'*x", grad: '2*x+0*log(x)', trials: 20 });
    expect(r.verdict).toBe('error');
    expect(r.message).toContain('times the claim left its domain where f did not');
    expect(r.message).toContain('check the claim (a log, sqrt, inverse or division that f does not have?)');
    expect(r.message).not.toContain('Declare kinds');
  });

  it.each([
    ['a constant part of a gradient', { vars: { x: 'vector(n)', a: 'scalar' }, f: "a*x'*x", wrt: 'x', grad: '2*a*x + 0*log(-a*a-1)*x' }, 'the claim left its domain where f did not', 'the claim cannot be its derivative there'],
    ['a singular constant matrix', { vars: { x: 'vector(n)', A: 'matrix(n,n)' }, f: "x'*A*x", wrt: 'x', grad: "(A+A')*x + 0*inv(A-A)*x" }, 'a matrix in the claim was singular', 'the claim cannot be its derivative there'],
    ['an identity', { vars: { X: 'matrix(m,n)' }, f: 'X+X', equals: '2*X+0*log(-X.*X-1)' }, 'the claim left its domain where f did not', 'the two sides cannot be equal there'],
  ])("a claim undefined in %s (a part that does not depend on wrt) is the claim's fault too", (_, row, reason, advice) => {
    const r = checkFormula({ id: 'c', ...row } as FormulaRow);
    expect(r.verdict).toBe('error');
    expect(r.message).toContain(`25 times ${reason}`);
    expect(r.message).toContain(advice);
    expect(r.message).not.toContain('Declare kinds');
  });

  it('f leaving its domain still points at the kinds', () => {
    const r = checkFormula({ id: 'f', ...x, f: 'sum(log(x))', grad: '1./x', trials: 20 });
    expect(r.verdict).toBe('error');
    expect(r.message).toContain('times a function left its domain');
    expect(r.message).toContain("Declare kinds that keep the formula defined (e.g. 'positive'");
    expect(checkFormula({ id: 'f', ...x, vars: { x: 'positive vector(n)' }, f: 'sum(log(x))', grad: '1./x' }).verdict).toBe('pass');
  });

  it('a large constant term that drowns the differences is named, with what to do', () => {
    const r = checkFormula({ id: 'n', ...x, f: "1e8+x'*x", grad: '2*x' });
    expect(r.verdict).toBe('error');
    expect(r.message).toContain('large next to how much it changes, e.g. a large constant term');
    expect(r.message).toContain('If f has a large constant term, drop it');
  });
});

describe('the layout remark of a transposed claim', () => {
  it('is made for gradients only, not for identities or differentials', () => {
    const eq = checkFormula({ id: 'e', vars: { x: 'vector(n)' }, f: 'x', equals: "x'" });
    expect(eq.diagnosis?.detail).toMatch(/^correct up to transpose: the claim is 1 x n, but it must be n x 1$/);
    const diff = checkFormula({ id: 'd', vars: { X: 'matrix(m,n)', A: 'matrix(n,p)' }, f: 'X*A', wrt: 'X', differential: "(dX*A)'" });
    expect(diff.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the claim is p x m, but it must be m x p' });
    const grad = checkFormula({ id: 'g', vars: { a: 'vector(n)', x: 'vector(n)' }, f: "a'*x", wrt: 'x', grad: "a'" });
    expect(grad.diagnosis?.detail).toContain('(it is in numerator layout)');
  });

  it('names the layout the transposed claim is in: denominator for a Jacobian, and for a gradient of a layout: numerator row', () => {
    // A Jacobian is m x n (numerator layout) by definition: its transpose is the denominator-layout derivative.
    const jac = checkFormula({ id: 'j', vars: { A: 'matrix(m,n)', x: 'vector(n)' }, f: 'A*x', wrt: 'x', jacobian: "A'" });
    expect(jac.verdict).toBe('fail');
    expect(jac.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the claim is n x m, but it must be m x n (it is in denominator layout)' });
    const num = checkFormula({ id: 'g', vars: { A: 'matrix(n,m)', X: 'matrix(m,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A'", layout: 'numerator' });
    expect(num.verdict).toBe('fail');
    expect(num.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the claim is m x n, but it must be n x m (it is in denominator layout)' });
    // The same for a square Jacobian, whose transpose has the right shape.
    const square = checkFormula({ id: 'j', vars: { A: 'matrix(n,n)', x: 'vector(n)' }, f: 'A*x', wrt: 'x', jacobian: "A'" });
    expect(square.verdict).toBe('fail');
    expect(square.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the formula is in denominator layout' });
  });
});

describe('a derivative that is exactly zero (f does not depend on the values of wrt)', () => {
  const X = { vars: { X: 'matrix(n,n)', A: 'matrix(n,n)' }, wrt: 'X' };
  it.each([
    ['tr(X^0)', 'matrix(0)'],
    ['tr(A*X^0)', 'matrix(0)'],
    ['tr(X)-tr(X)+1', '0*X'],
  ])('%s: the zero claim passes, in both modes (both sides exactly 0 is agreement, not noise)', (f, grad) => {
    for (const mode of ['directional', 'entrywise'] as const) {
      const r = checkFormula({ id: 'z', ...X, f, grad }, { mode });
      expect(r.verdict, `${f} ${mode}: ${r.message}`).toBe('pass');
      expect(r.relErr).toBe(0);
      expect(r.tolerance).toBe(1e-9);
    }
  });

  it('a nonzero claim fails with relative error 1: an exact 0 refutes it, however small the claim, down to the rounding of f', () => {
    for (const grad of ['eye(n)', '1e-5*X', '1e-9*X']) {
      for (const mode of ['directional', 'entrywise'] as const) {
        const r = checkFormula({ id: 'z', ...X, f: 'tr(X^0)', grad }, { mode });
        expect(r.verdict, `${grad} ${mode}: ${r.message}`).toBe('fail');
        expect(r.relErr).toBe(1);
      }
    }
  });

  it('a claim within the rounding of f (1e-300*X) cannot be told from 0: drawn again, then an error', () => {
    const r = checkFormula({ id: 'z', ...X, f: 'tr(X^0)', grad: '1e-300*X' });
    expect(r.verdict).toBe('error');
    expect(r.message).toContain('too noisy to judge');
  });
});
