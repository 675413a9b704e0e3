// The same matchers under jest's expect (the standalone `expect` package that
// jest itself uses): expect.extend(matchers), or registerMatchers(expect).
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import { matchers, registerMatchers } from '../../src/index.js';
import { leastSquares, leastSquaresGrad, scale, twoLayerBackward, twoLayerLoss, twoLayerParams, twoLayerPoint } from '../gradient/functions.js';
import type { Mat } from '../../src/gradient/index.js';
import { failure } from './helpers.js';

jestExpect.extend(matchers);
// jest's types know nothing of the matchers (they are augmented for vitest): reach them untyped.
type Loose = Record<string, (...args: unknown[]) => void> & { not: Record<string, (...args: unknown[]) => void> };
const jest = (received: unknown) => jestExpect(received) as unknown as Loose;

const trAXB = { f: 'tr(A*X*B)', wrt: 'X', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' } };
const LS = { A: 'matrix(5,3)', x: 'vector(3)', b: 'vector(5)' };

interface JestFailure extends Error {
  matcherResult?: { pass: boolean; actual?: unknown; expected?: unknown; message: string };
}

describe("jest's expect", () => {
  it('formula matchers: pass, fail with the message, .not', () => {
    jest(trAXB).toHaveGradient("A'*B'");
    jest(trAXB).not.toHaveGradient("2*A'*B'");
    const e = failure(() => jest(trAXB).toHaveGradient("2*A'*B'", { seed: 's1' })) as JestFailure;
    expect(e.constructor.name).toBe('JestAssertionError');
    expect(e.message.split('\n')[0]).toBe("expected the gradient of tr(A*X*B) with respect to X to be 2*A'*B'");
    expect(e.message).toContain('diagnosis: off by a constant factor: the correct value is 1/2 times the claim');
    expect(e.message).toContain('seed s1, trial 1, sizes m=');
    expect(e.matcherResult?.pass).toBe(false);
    expect(Array.isArray(e.matcherResult?.actual)).toBe(true);
    // jest prints no diff of a custom matcher's values: the message says where they are (it said "vitest shows them as a diff").
    expect(e.message.split('\n').at(-1)).toBe("  actual: the numerical values at that point, expected: the claimed ones (vitest shows the two as a diff; jest keeps them in the error's matcherResult)");
    const not = failure(() => jest(trAXB).not.toHaveGradient("A'*B'")) as JestFailure;
    expect(not.message.split('\n')[0]).toBe("expected the gradient of tr(A*X*B) with respect to X not to be A'*B', but it is");
  });

  it('toMatchGradient: pass, fail, .not', () => {
    jest(twoLayerLoss).toMatchGradient(twoLayerBackward(), { at: twoLayerPoint, wrt: twoLayerParams });
    const wrong = (A: Mat, x: Mat, b: Mat) => scale(leastSquaresGrad(A, x, b), -1);
    jest(leastSquares).not.toMatchGradient(wrong, { at: LS, wrt: 'x' });
    const e = failure(() => jest(leastSquares).toMatchGradient(wrong, { at: LS, wrt: 'x' }));
    expect(e.message.split('\n')[0]).toBe('expected grad (wrong) to be the gradient of f (leastSquares) with respect to x');
    expect(e.message).toContain('diagnosis: wrong sign: the gradient returned for x is correct when negated');
    expect(e.message.split('\n').at(-1)).toBe("  actual: the numerical derivatives at that point, expected: what grad returned (vitest shows the two as a diff; jest keeps them in the error's matcherResult)");
  });

  it('errors fail the test either way', () => {
    for (const assertion of [() => jest(trAXB).toHaveGradient('A*'), () => jest(trAXB).not.toHaveGradient('A*')]) {
      expect(failure(assertion).message).toContain('toHaveGradient: the formula cannot be checked');
    }
  });

  it('asymmetric use, and registerMatchers', () => {
    jestExpect({ row: trAXB }).toEqual({ row: (jestExpect as unknown as Record<string, (c: string) => unknown>).toHaveGradient("A'*B'") });
    const again = registerMatchers(jestExpect);
    expect(again).toBe(jestExpect);
    (again(trAXB) as unknown as Loose).toHaveGradient("A'*B'");
  });
});
