// expect(f).toMatchGradient(grad, { at }) through vitest's expect.
import { describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { checkGradient, mat, type Mat } from '../../src/gradient/index.js';
import { leastSquares, leastSquaresGrad, scale, twoLayerBackward, twoLayerLoss, twoLayerParams, twoLayerPoint } from '../gradient/functions.js';
import { failure } from './helpers.js';

const LS = { A: 'matrix(5,3)', x: 'vector(3)', b: 'vector(5)' };

describe('toMatchGradient', () => {
  it('passes for right code, sampled or at a fixed point', () => {
    expect(leastSquares).toMatchGradient(leastSquaresGrad, { at: LS, wrt: 'x' });
    expect(twoLayerLoss).toMatchGradient(twoLayerBackward(), { at: twoLayerPoint, wrt: twoLayerParams, seed: 'net' });
    const A = mat(2, 2, [1, 2, 3, 4]);
    expect((x: Mat) => x.data[0] ** 2 * x.data[1]).toMatchGradient((x: Mat) => [2 * x.data[0] * x.data[1], x.data[0] ** 2], { at: [mat(2, 1, [0.5, -3])] });
    expect((X: Mat) => X.data.reduce((s, v, i) => s + v * A.data[i], 0)).toMatchGradient(() => A, { at: { X: A } });
  });

  it("fails for a backward pass with a bug, naming the arguments, entries and seed", () => {
    const e = failure(() => expect(twoLayerLoss).toMatchGradient(twoLayerBackward('bias-sum'), { at: twoLayerPoint, wrt: twoLayerParams, seed: 'net' }));
    const r = checkGradient(twoLayerLoss, twoLayerBackward('bias-sum'), twoLayerPoint, { wrt: twoLayerParams, seed: 'net' });
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('expected grad (twoLayerGrad) to be the gradient of f (twoLayerLoss) with respect to W1, b1, W2, b2');
    expect(lines[1]).toBe(`  fail: relative error ${r.relErr!.toExponential(2)} exceeds the tolerance ${r.tolerance!.toExponential(2)}`);
    expect(lines[2]).toMatch(/^ {2}worst entry d\/db1\[\d\]: claimed -?[0-9.]+, numerical -?[0-9.]+; next /);
    expect(lines).toContain('  diagnosis: the gradient returned for b1 is wrong; the ones for W1, W2, b2 agree with f');
    const { d, h, n, o } = r.dims;
    expect(lines).toContain(`  shapes W1 ${h}x${d}, b1 ${h}x1, W2 ${o}x${h}, b2 ${o}x1, X ${d}x${n}, Y ${o}x${n} (sizes d=${d}, h=${h}, n=${n}, o=${o})`);
    expect(lines).toContain('  seed "net", trial 1 (the same seed draws the same points and directions)');
    // actual / expected: every parameter's gradient, numerical against returned; only b1 differs.
    const actual = e.actual as Record<string, unknown>;
    const expected = e.expected as Record<string, unknown>;
    expect(Object.keys(actual)).toEqual(twoLayerParams);
    expect(actual.W1).toEqual(expected.W1);
    expect(actual.W2).toEqual(expected.W2);
    expect(actual.b2).toEqual(expected.b2);
    expect(actual.b1).not.toEqual(expected.b1);
    expect(actual.b1).toHaveLength(h);
    expect((actual.W1 as number[][])[0]).toHaveLength(d);
  });

  it('a factor of 2: the diagnosis says so, the diff shows a vector', () => {
    const e = failure(() => expect(leastSquares).toMatchGradient((A: Mat, x: Mat, b: Mat) => scale(leastSquaresGrad(A, x, b), 2), { at: LS, wrt: 'x' }));
    expect(e.message).toContain('diagnosis: off by a constant factor: the correct gradient for x is 1/2 times the one returned');
    expect(e.message).toContain('shapes A 5x3, x 3x1, b 5x1');
    const actual = e.actual as number[];
    const expected = e.expected as number[];
    expect(actual).toHaveLength(3);
    expected.forEach((v, i) => expect(v / actual[i]).toBeCloseTo(2, 2));
  });

  it('.not', () => {
    expect(leastSquares).not.toMatchGradient((A: Mat, x: Mat, b: Mat) => scale(leastSquaresGrad(A, x, b), -1), { at: LS, wrt: 'x' });
    const e = failure(() => expect(leastSquares).not.toMatchGradient(leastSquaresGrad, { at: LS, wrt: 'x' }));
    expect(e.message.split('\n')[0]).toBe('expected grad (leastSquaresGrad) not to be the gradient of f (leastSquares) with respect to x, but it is');
    expect(e.message).toMatch(/pass: relative error [0-9.]+e-1\d <= tolerance 1.00e-9 in each of 3 trials/);
  });

  it("an error in the user's code fails the test with or without .not", () => {
    const broken = () => {
      throw new Error('dimension mismatch');
    };
    for (const assertion of [() => expect(leastSquares).toMatchGradient(broken, { at: LS, wrt: 'x' }), () => expect(leastSquares).not.toMatchGradient(broken, { at: LS, wrt: 'x' })]) {
      const e = failure(assertion);
      expect(e.message).toContain('toMatchGradient: the gradient cannot be checked');
      expect(e.message).toContain('grad (broken) threw Error: dimension mismatch');
    }
  });

  it("an error in the user's code at a sampled point names the shapes, sizes and seed of that point", () => {
    const tallBug = (X: Mat) => {
      if (X.rows > X.cols) throw new RangeError('index out of range');
      return X.data.reduce((s, v) => s + v * v, 0);
    };
    const double = (X: Mat) => mat(X.rows, X.cols, X.data.map((v) => 2 * v));
    const r = checkGradient(tallBug, double, { X: 'matrix(m,n)' }, { seed: 3 });
    const { m, n } = r.dims;
    expect(m).toBeGreaterThan(n);
    const e = failure(() => expect(tallBug).toMatchGradient(double, { at: { X: 'matrix(m,n)' }, seed: 3 }));
    expect(e.message).toBe(
      [
        'toMatchGradient: the gradient cannot be checked',
        '  expected grad (double) to be the gradient of f (tallBug) with respect to X',
        `  shapes X ${m}x${n} (sizes m=${m}, n=${n})`,
        '  f (tallBug) threw RangeError: index out of range',
        `  seed "3", trial ${r.trial! + 1} (the same seed draws the same points and directions)`,
      ].join('\n'),
    );
  });

  it('usage mistakes are named', () => {
    expect(() => expect('loss' as unknown as () => number).toMatchGradient(leastSquaresGrad, { at: LS })).toThrow('toMatchGradient: expect() takes the function whose gradient is checked, got the string "loss"');
    expect(() => expect(leastSquares).toMatchGradient(leastSquaresGrad, {} as never)).toThrow('toMatchGradient: the options need at, the point to check at');
    expect(() => expect(leastSquares).toMatchGradient(leastSquaresGrad, { at: LS, wtr: 'x' } as never)).toThrow("toMatchGradient: unknown option 'wtr'");
    // Options given as an array (it was 'an array of 0 numbers').
    expect(() => expect(leastSquares).toMatchGradient(leastSquaresGrad, [] as never)).toThrow('toMatchGradient: options must be an object, got []');
  });

  it('transposed returns are shown as returned', () => {
    const f = (A: Mat, X: Mat) => X.data.reduce((s, v, i) => s + v * A.data[i], 0);
    const gradT = (A: Mat) => mat(A.cols, A.rows, Array.from({ length: A.data.length }, (_, k) => A.data[(k % A.cols) * A.rows + Math.floor(k / A.cols)]));
    const e = failure(() => expect(f).toMatchGradient(gradT, { at: { A: 'matrix(2,3)', X: 'matrix(2,3)' }, wrt: 'X' }));
    expect(e.message).toContain('fail: the gradient returned for X is 3 x 2, but it must be 2 x 3 (transposed)');
    expect(e.message).toContain('diagnosis: correct up to transpose');
    expect(e.actual).toHaveLength(2);
    expect(e.expected).toHaveLength(3);
  });
});
