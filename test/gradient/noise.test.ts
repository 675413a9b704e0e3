// checkGradient looks again at a narrow failure with f's noise measured, as
// checkFormula does (test/check/noise.test.ts): 8 more evaluations of the
// user's f along each direction, their differences judged in the engine
// (fdNoiseSamples). Each correct gradient below failed before.
import { describe, expect, it } from 'vitest';
import { checkGradient, mat, type Mat } from '../../src/gradient/index.js';
import { makeRng } from '../../src/sample/rng.js';
import { makeReferenceRng } from '../../src/sample/reference-rng.js';

const squares = (x: Mat) => {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += x.data[i] * x.data[i];
  return s;
};
const cancels = (x: Mat) => 1e6 + squares(x) - 1e6;
const times = (k: number) => (x: Mat) => mat(x.rows, x.cols, Array.from(x.data, (v) => k * v));

describe('a narrow failure of checkGradient', () => {
  it.each([1, 2, 3])('a constant that cancels: 2x passes, directional and entry-wise (seed %i)', (seed) => {
    for (const mode of ['directional', 'entrywise'] as const) {
      const r = checkGradient(cancels, times(2), { x: 'vector(n)' }, { seed, mode });
      expect(r.verdict, `${mode}: ${r.message}`).toBe('pass');
      expect(r.relErr!).toBeGreaterThan(1e-9);
    }
  });

  it('a coarse staircase of rounding ((1e12 + sum x^2) - 1e12) is too noisy, never a fail (2x failed at seeds 2, 7, 12)', () => {
    const coarse = (x: Mat) => 1e12 + squares(x) - 1e12;
    for (const seed of [2, 7, 12]) expect(checkGradient(coarse, times(2), { x: 'vector(n)' }, { seed }).verdict).toBe('error');
  });

  it('a gradient wrong by more than the noise still fails, diagnosed', () => {
    const r = checkGradient(cancels, times(2.0002), { x: 'vector(n)' }, { seed: 1 });
    expect(r.verdict).toBe('fail');
    expect(r.relErr!).toBeGreaterThan(5e-5);
    expect(r.diagnosis?.kind).toBe('factor');
  });

});

describe('checkGradient at any magnitude', () => {
  it('f = 1e200 * sum x^2: a gradient off by 1e-4 fails (it read as too noisy), the right one passes', () => {
    const big = (x: Mat) => 1e200 * squares(x);
    for (const seed of [1, 2, 3]) {
      expect(checkGradient(big, times(2e200 * (1 + 1e-4)), { x: 'vector(n)' }, { seed }).verdict).toBe('fail');
      expect(checkGradient(big, times(2e200), { x: 'vector(n)' }, { seed }).verdict).toBe('pass');
    }
  });
});

describe('Rng.fork', () => {
  it.each([['engine', makeRng], ['reference', makeReferenceRng]] as const)('%s: the copy draws what the original draws next, and neither moves the other', (_, make) => {
    const rng = make('fork');
    rng.normal(); // leaves a spare normal behind: the copy must have it too
    const copy = rng.fork();
    const a = [rng.normal(), rng.uniform(), rng.int(1, 100), rng.normal()];
    const b = [copy.normal(), copy.uniform(), copy.int(1, 100), copy.normal()];
    expect(b).toEqual(a);
    const out = new Float64Array(5);
    const again = new Float64Array(5);
    const second = rng.fork();
    rng.normals(out, 0, 5);
    second.normals(again, 0, 5);
    expect(Array.from(again)).toEqual(Array.from(out));
  });
});

describe('a checkGradient tolerance below what the check resolves', () => {
  it('is an error saying so, as checkFormula (a right 2x "failed" at tolerance 1e-14), and a wrong gradient still fails', () => {
    for (const x0 of [{ x: 'vector(n)' }, { x: mat(3, 1, [1, 2, 3]) }] as const) {
      const r = checkGradient(squares, times(2), x0, { tolerance: 1e-14 });
      expect(r.verdict).toBe('error');
      expect(r.message).toMatch(/^the tolerance 1\.00e-14 is below what this check resolves here: the gradient is off by \d\.\d\de-1\d \(relative\) in trial 1, within 1\.00e-9, the smallest difference it can tell from its own error\. Use a tolerance of at least 1\.0e-9, or leave the tolerance out\.$/);
    }
    expect(checkGradient(squares, times(2.1), { x: 'vector(n)' }, { tolerance: 1e-14 }).verdict).toBe('fail');
  });
});

describe('the noise advice', () => {
  it('does not call f float32 when a cancelling constant rounds a double to a coarse grid (it did: float32-exact values)', () => {
    const coarse = (x: Mat) => 1e11 + squares(x) - 1e11;
    const r = checkGradient(coarse, times(2), { x: 'vector(n)' }, { seed: 2, tolerance: 1e-3 });
    expect(r.verdict).toBe('error');
    expect(r.message).not.toContain('single precision');
    expect(r.message).toContain('If f has a large constant term, drop it');
    const f32 = (x: Mat) => x.data.reduce((s, v) => Math.fround(s + Math.fround(Math.fround(v) * Math.fround(v))), 0);
    expect(checkGradient(f32, times(2), { x: 'matrix(m,n)' }).message).toContain('single precision (float32)');
  });
});
