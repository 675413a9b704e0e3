// A narrow failure is looked at again with f's noise measured (the fdNoise*
// kernels): the rounding term of the finite differences' error estimate
// assumes each evaluation of f is off by a few ulps of f, which a constant
// that cancels, or a reduction over millions of terms, exceeds by far. Each
// correct claim below failed before (found by a user audit); the wrong ones
// must still fail.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { REASON_TEXT } from '../../src/check/trial.js';
import type { FormulaRow } from '../../src/row.js';

const vec = { x: 'vector(n)' };
const cancels = "(1e6+x'*x)-1e6";
const check = (row: Omit<FormulaRow, 'id'>, seed: number, mode: 'directional' | 'entrywise' = 'directional') =>
  checkFormula({ id: 'noise', dims: { n: 5 }, ...row } as FormulaRow, { seed, mode });

describe('a constant that cancels: f = (1e6 + x\'x) - 1e6 rounds at 1e6, not at f', () => {
  it.each([1, 2, 3])('grad 2*x passes, directional and entry-wise (seed %i)', (seed) => {
    for (const mode of ['directional', 'entrywise'] as const) {
      const r = check({ vars: vec, f: cancels, wrt: 'x', grad: '2*x' }, seed, mode);
      expect(r.verdict, `${mode}: ${r.message}`).toBe('pass');
      // The tolerance the measured noise gives is what passed it: the rounding estimate alone is below the error.
      expect(r.relErr).toBeLessThanOrEqual(r.tolerance!);
    }
  });

  it('a jacobian and a differential pass too', () => {
    for (const seed of [1, 2, 3]) {
      expect(check({ vars: vec, f: '(1e6+x.*x)-1e6', wrt: 'x', jacobian: '2*diag(x)' }, seed).verdict).toBe('pass');
      expect(check({ vars: vec, f: cancels, wrt: 'x', differential: "2*x'*dx" }, seed).verdict).toBe('pass');
    }
  });

  it('a Hessian, whose noise is divided by the step squared, is too noisy to judge: an error, never a fail', () => {
    for (const mode of ['directional', 'entrywise'] as const) {
      const r = check({ vars: vec, f: cancels, wrt: 'x', hessian: '2*eye(n)' }, 1, mode);
      expect(r.verdict, mode).toBe('error');
      expect(r.message).toContain(REASON_TEXT.noisy);
    }
  });

  it('a claim wrong by more than the noise still fails', () => {
    for (const seed of [1, 2, 3]) {
      const r = check({ vars: vec, f: cancels, wrt: 'x', grad: '2.0001*x' }, seed);
      expect(r.verdict).toBe('fail');
      expect(r.relErr).toBeGreaterThan(4e-5);
      expect(r.diagnosis?.kind).toBe('factor');
    }
    // And without the constant, a claim wrong by 5e-7 fails: measuring the noise finds almost none.
    const r = check({ vars: vec, f: "x'*x", wrt: 'x', grad: '2.000001*x' }, 1);
    expect(r.verdict).toBe('fail');
    expect(r.tolerance).toBeLessThan(1e-7);
  });

  it('a constant whose rounding is a coarse staircase ((1e12+x\'*x)-1e12 moves in steps of 1.2e-4) is too noisy, never a fail: 2*x failed by 9e-3 at seed 2', () => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const mode of ['directional', 'entrywise'] as const) {
        const r = check({ vars: vec, f: "(1e12+x'*x)-1e12", wrt: 'x', grad: '2*x' }, seed, mode);
        expect(r.verdict, `${mode}, seed ${seed}: ${r.message}`).not.toBe('fail');
      }
    }
  });

  it('a constant too large to see f under is too noisy to judge, unless a tolerance says how much accuracy is enough', () => {
    const r = check({ vars: vec, f: "(1e10+x'*x)-1e10", wrt: 'x', grad: '2*x' }, 1);
    expect(r.verdict).toBe('error');
    expect(r.message).toContain(REASON_TEXT.noisy);
    expect(r.message).toContain('or give a tolerance you can accept');
    // With tolerance 1e-2, differences whose estimated error is below 1e-4 are judged.
    const loose = checkFormula({ id: 'noise', dims: { n: 5 }, vars: vec, f: "(1e10+x'*x)-1e10", wrt: 'x', grad: '2*x' }, { seed: 1, tolerance: 1e-2 });
    expect(loose.verdict).toBe('pass');
    expect(loose.relErr).toBeGreaterThan(1e-7);
    const wrong = checkFormula({ id: 'noise', dims: { n: 5 }, vars: vec, f: "(1e10+x'*x)-1e10", wrt: 'x', grad: '2.2*x' }, { seed: 1, tolerance: 1e-2 });
    expect(wrong.verdict).toBe('fail');
  });
});

describe('measuring the noise leaves the claim alone', () => {
  // It runs f's program again, whose temporaries the claim's buffers share: an
  // entry-wise claim wrong by 5e-4 passed, compared with f's own A*x (a user audit).
  it('a claim wrong by 5e-4 fails in both modes, its worst entries 1.0005 times the numerical values', () => {
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      for (const mode of ['directional', 'entrywise'] as const) {
        const r = checkFormula({ id: 'w', vars: { x: 'vector(n)', A: 'symmetric(n)' }, f: "x'*A*x/2", wrt: 'x', grad: '1.0005*(A*x)' }, { seed, mode });
        expect(r.verdict, `${mode}, seed ${seed}`).toBe('fail');
        expect(r.relErr).toBeCloseTo(5e-4, 6);
        expect(r.diagnosis?.kind).toBe('factor');
        for (const w of r.worst) expect(w.claimed / w.numerical).toBeCloseTo(1.0005, 6);
      }
    }
  });

  it('so does a claim that shares no subexpression with f', () => {
    for (const seed of [1, 2, 3]) {
      const r = checkFormula({ id: 'e', vars: { x: 'vector(n)' }, f: 'sum(exp(x))', wrt: 'x', grad: 'exp(1.0005*x)' }, { seed, mode: 'entrywise' });
      expect(r.verdict).toBe('fail');
    }
  });
});

describe('the noise of f at any magnitude', () => {
  it.each(['1e-200', '1e170', '1e200', '1e300'])('f = %s*(x\'*x): a claim off by 1e-4 fails (the squared differences overflowed: too noisy), the right one passes', (c) => {
    for (const mode of ['directional', 'entrywise'] as const) {
      const wrong = check({ vars: vec, f: `${c}*(x'*x)`, wrt: 'x', grad: `(2*${c})*(1+1e-4)*x` }, 1, mode);
      expect(wrong.verdict, mode).toBe('fail');
      expect(wrong.relErr).toBeCloseTo(1e-4, 7);
      expect(check({ vars: vec, f: `${c}*(x'*x)`, wrt: 'x', grad: `(2*${c})*x` }, 1, mode).verdict).toBe('pass');
    }
  });
});

describe('a reduction over millions of terms', () => {
  it("x'*x at n = 2,000,000 passes (seed 17 failed, 9.3e-8 against a rounding tolerance of 8.7e-8)", () => {
    const r = checkFormula({ id: 'big', vars: vec, dims: { n: 2_000_000 }, f: "x'*x", wrt: 'x', grad: '2*x' }, { seed: 17 });
    expect(r.verdict).toBe('pass');
    expect(r.relErr).toBeLessThan(2e-7);
  });
});
