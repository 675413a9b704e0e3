// checkGradient on hand-written JavaScript gradients: right ones pass with a
// relative error near rounding, the usual mistakes fail with the diagnosis
// that names them, and nothing the user's code does crashes the check.
import { describe, expect, it } from 'vitest';
import { checkGradient, fromRows, mat, vec, type Mat } from '../../src/gradient/index.js';
import { checkFormula } from '../../src/check/formula.js';
import { inv, matmul, transpose } from '../../src/run/reference.js';
import {
  add,
  at,
  leastSquares,
  leastSquaresGrad,
  logdet,
  logdetGrad,
  logdetGradFree,
  map,
  scale,
  sub,
  sumSq,
  trace,
  trAXB,
  trAXBGrad,
  trAXBGradTransposed,
  twoLayerBackward,
  twoLayerLoss,
  twoLayerParams,
  twoLayerPoint,
} from './functions.js';

const AXB = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
const AXBsquare = { A: 'matrix(3,3)', X: 'matrix(3,3)', B: 'matrix(3,3)' };
const LS = { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' };

describe('right gradients pass', () => {
  it('tr(A X B) with respect to X, sizes drawn', () => {
    const r = checkGradient(trAXB, trAXBGrad, AXB, { wrt: 'X' });
    expect(r.verdict).toBe('pass');
    expect(r.relErr).toBeLessThan(1e-11);
    expect(r.tolerance).toBeGreaterThanOrEqual(1e-9);
    expect(r.trials).toBe(3);
    expect(r.wrt).toEqual(['X']);
    expect(Object.keys(r.dims).sort()).toEqual(['m', 'n', 'p']);
    const { m, n, p } = r.dims;
    expect(new Set([m, n, p]).size).toBe(3);
    expect(r.shapes).toEqual({ A: [p, m], X: [m, n], B: [n, p] });
    expect(r.worst).toEqual([]);
    expect(r.diagnosis).toBeNull();
    expect(r.message).toBeNull();
  });

  it('logdet of an spd matrix, in each convention', () => {
    // With respect to the free entries of the symmetric S (the default, as checkFormula's).
    const r = checkGradient(logdet, logdetGradFree, { S: 'spd(4)' });
    expect(r.verdict).toBe('pass');
    expect(r.relErr).toBeLessThan(1e-10);
    expect(r.shapes).toEqual({ S: [4, 4] });
    // inv(S): every entry independent (what autodiff of the code gives), or within the symmetric matrices.
    expect(checkGradient(logdet, logdetGrad, { S: 'spd(4)' }, { convention: 'unconstrained' }).verdict).toBe('pass');
    expect(checkGradient(logdet, logdetGrad, { S: 'spd(4)' }, { convention: 'projected' }).verdict).toBe('pass');
    expect(checkGradient(logdet, logdetGrad, { S: 'spd(4)' }, { convention: 'projected', mode: 'entrywise' }).verdict).toBe('pass');
  });

  it('least squares with respect to x, and with respect to every argument', () => {
    expect(checkGradient(leastSquares, leastSquaresGrad, LS, { wrt: 'x' }).verdict).toBe('pass');
    const all = (A: Mat, x: Mat, b: Mat) => {
      const r = sub(matmul(A, x), b);
      return { A: matmul(r, transpose(x)), x: matmul(transpose(A), r), b: scale(r, -1) };
    };
    const r = checkGradient(leastSquares, all, LS);
    expect(r.verdict).toBe('pass');
    expect(r.wrt).toEqual(['A', 'x', 'b']);
    // The same gradients as an array, in argument order.
    expect(checkGradient(leastSquares, (A, x, b) => Object.values(all(A, x, b)), LS).verdict).toBe('pass');
  });

  it("a two-layer network's hand-written backward pass", () => {
    const r = checkGradient(twoLayerLoss, twoLayerBackward(), twoLayerPoint, { wrt: twoLayerParams });
    expect(r.verdict).toBe('pass');
    expect(r.relErr).toBeLessThan(1e-10);
    expect(r.wrt).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(r.shapes.W1).toEqual([r.dims.h, r.dims.d]);
  });

  it('at a fixed point: one trial, the point untouched', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const X = fromRows([
      [0.5, -1, 2],
      [1.5, 0.25, -0.75],
    ]);
    const B = fromRows([
      [1, 0, 2],
      [0, 1, -1],
      [2, 1, 0],
    ]);
    const before = Float64Array.from(X.data);
    const r = checkGradient(trAXB, trAXBGrad, { A, X, B }, { wrt: 'X' });
    expect(r.verdict).toBe('pass');
    expect(r.trials).toBe(1);
    expect(r.dims).toEqual({});
    expect(r.shapes).toEqual({ A: [3, 2], X: [2, 3], B: [3, 3] });
    expect(X.data).toEqual(before);
    // Positional arguments get names arg1, arg2, ...
    const pos = checkGradient(trAXB, trAXBGrad, [A, X, B], { wrt: 1 });
    expect(pos.verdict).toBe('pass');
    expect(pos.wrt).toEqual(['arg2']);
  });

  it('scalar arguments and numbers as gradients', () => {
    // f(c, x) = c * |x|^2: d/dc = |x|^2, d/dx = 2 c x
    const f = (c: Mat, x: Mat) => c.data[0] * x.data.reduce((s, v) => s + v * v, 0);
    const g = (c: Mat, x: Mat) => [x.data.reduce((s, v) => s + v * v, 0), scale(x, 2 * c.data[0])];
    const r = checkGradient(f, g, { c: 0.7, x: 'vector(5)' });
    expect(r.verdict).toBe('pass');
    expect(r.shapes).toEqual({ c: [1, 1], x: [5, 1] });
    // A vector's gradient may come back as a plain array of numbers.
    expect(checkGradient(f, (c, x) => ({ c: 0, x: Array.from(scale(x, 2 * c.data[0]).data) }), { c: 0.7, x: 'vector(5)' }, { wrt: 'x' }).verdict).toBe('pass');
  });

  it('an array of numbers: one argument\'s gradient, or one scalar gradient per argument checked or per argument of f', () => {
    // f(a, b) = a^2 b: d/da = 2ab, d/db = a^2.
    const f = (a: Mat, b: Mat) => a.data[0] ** 2 * b.data[0];
    const both = (a: Mat, b: Mat) => [2 * a.data[0] * b.data[0], a.data[0] ** 2];
    const ab = { a: 'scalar', b: 'scalar' };
    // One number per argument of f, for a single argument checked: its item is taken.
    expect(checkGradient(f, both, ab, { wrt: 'a' }).verdict).toBe('pass');
    expect(checkGradient(f, both, ab, { wrt: 'b' }).verdict).toBe('pass');
    // In wrt order when that fits.
    expect(checkGradient(f, (a, b) => [a.data[0] ** 2, 2 * a.data[0] * b.data[0]], ab, { wrt: ['b', 'a'] }).verdict).toBe('pass');
    // Per argument of f for a subset of them: f(a, b, c) = a^2 b c.
    const g = (a: Mat, b: Mat, c: Mat) => a.data[0] ** 2 * b.data[0] * c.data[0];
    const all3 = (a: Mat, b: Mat, c: Mat) => [2 * a.data[0] * b.data[0] * c.data[0], a.data[0] ** 2 * c.data[0], a.data[0] ** 2 * b.data[0]];
    expect(checkGradient(g, all3, { a: 'scalar', b: 'scalar', c: 'scalar' }, { wrt: ['a', 'c'] }).verdict).toBe('pass');
    // Neither: the message says what is accepted.
    const error = (r: ReturnType<typeof checkGradient>) => (expect(r.verdict).toBe('error'), r.message);
    expect(error(checkGradient(f, () => [1, 2, 3], ab, { wrt: 'a' }))).toBe('grad returned an array of 3 numbers for a, but it must be 1 x 1 (1 number, column-major), or one per argument of f (2)');
    expect(error(checkGradient(f, () => [1, 2, 3], ab))).toBe('grad returned an array of 3 numbers, but the check is with respect to a, b: return one number per argument checked (2) or one per argument of f (2)');
    const ax = { a: 'scalar', x: 'vector(2)' };
    expect(error(checkGradient(f, () => [1, 2, 3], ax, { wrt: 'x' }))).toBe('grad returned an array of 3 numbers for x, but it must be 2 x 1 (2 numbers, column-major)');
    expect(error(checkGradient(f, () => [1, 2], ax))).toBe(
      'grad returned an array of 2 numbers, but the check is with respect to 2 arguments (a, x), not all scalars: return an array of their gradients (matrices, or numbers for scalars) or an object keyed by argument name',
    );
  });

  it('entry-wise mode', () => {
    const r = checkGradient(trAXB, trAXBGrad, AXB, { wrt: 'X', mode: 'entrywise' });
    expect(r.verdict).toBe('pass');
    expect(r.mode).toBe('entrywise');
    expect(r.relErr).toBeLessThan(1e-11);
  });
});

describe('wrong gradients fail, with the mistake named', () => {
  it('a transposed gradient of a square matrix', () => {
    const r = checkGradient(trAXB, trAXBGradTransposed, AXBsquare, { wrt: 'X' });
    expect(r.verdict).toBe('fail');
    expect(r.relErr).toBeGreaterThan(0.1);
    expect(r.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the gradient returned for X is the transpose of the right one' });
    expect(r.worst).toHaveLength(3);
    // The worst entries are a transposed pair: the claim at (i,j) is the numerical value at (j,i).
    const [w] = r.worst;
    const block = r.entries![0];
    const i = w.index % 3;
    const j = Math.floor(w.index / 3);
    expect(w.claimed).toBe(block.claimed[i + 3 * j]);
    expect(w.claimed).toBeCloseTo(block.numerical[j + 3 * i], 8);
  });

  it('a gradient returned with the transposed (non-square) shape', () => {
    const r = checkGradient(trAXB, trAXBGradTransposed, AXB, { wrt: 'X' });
    expect(r.verdict).toBe('fail');
    const { m, n } = r.dims;
    expect(r.message).toBe(`the gradient returned for X is ${n} x ${m}, but it must be ${m} x ${n} (transposed); transposed, it agrees (relative error ${r.relErr!.toExponential(1)})`);
    expect(r.relErr).toBeLessThan(1e-11);
    expect(r.diagnosis).toEqual({ kind: 'transposed', detail: `correct up to transpose: the gradient returned for X is ${n} x ${m}, but it must be ${m} x ${n}` });
    // Every entry agrees once transposed back: no worst entry, as checkFormula.
    expect(r.worst).toEqual([]);
    expect(r.entries![0].transposed).toBe(true);
  });

  describe('a gradient of the transposed shape that is wrong in another way too', () => {
    // f(A, X) = tr(A X), A n x m, X m x n: d/dA = X', d/dX = A'.
    const f = (A: Mat, X: Mat) => trace(matmul(A, X));
    const AX = { A: 'matrix(n,m)', X: 'matrix(m,n)' };

    it('is diagnosed once transposed back, as checkFormula does', () => {
      const r = checkGradient(f, (A) => scale(A, 2), AX, { wrt: 'X' });
      expect(r.verdict).toBe('fail');
      const { m, n } = r.dims;
      expect(r.message).toBe(`the gradient returned for X is ${n} x ${m}, but it must be ${m} x ${n} (transposed), and transposed it is still wrong: relative error 5.00e-1 exceeds the tolerance 1.00e-9`);
      expect(r.relErr).toBeCloseTo(0.5, 9);
      expect(r.diagnosis).toEqual({
        kind: 'transposed',
        detail: `the gradient returned for X is transposed (${n} x ${m}, but it must be ${m} x ${n}); transposed back, off by a constant factor: the correct gradient for X is 1/2 times the one returned`,
        factor: 0.5,
      });
      // The worst entries compare the returned values transposed back: twice the numerical ones.
      expect(r.worst).toHaveLength(3);
      for (const w of r.worst) expect(w.claimed / w.numerical).toBeCloseTo(2, 8);
      // The same mistake as a formula: the same words.
      const formula = checkFormula({ vars: AX, f: 'tr(A*X)', wrt: 'X', grad: '2*A' });
      expect(formula.message).toBe('the claim has the transposed shape: it is n x m, but it must be m x n, and transposed it is still wrong');
      expect(formula.diagnosis?.detail).toContain('transposed back, off by a constant factor');
    });

    it('names every argument still wrong, not only the transposed one', () => {
      // A's gradient has the right shape but 3 times the value; X's is only transposed.
      const r = checkGradient(f, (A, X) => ({ A: scale(transpose(X), 3), X: A }), AX);
      expect(r.verdict).toBe('fail');
      const { m, n } = r.dims;
      expect(r.message).toMatch(
        new RegExp(`^the gradient returned for X is ${n} x ${m}, but it must be ${m} x ${n} \\(transposed\\); transposed back, the gradient returned for A is still wrong: relative error [0-9.]+e-1 exceeds the tolerance 1.00e-9$`),
      );
      expect(r.worst.map((w) => w.arg)).toEqual(['A', 'A', 'A']);
      for (const w of r.worst) expect(w.claimed / w.numerical).toBeCloseTo(3, 8);
      expect(r.diagnosis).toEqual({
        kind: 'transposed',
        detail: `the gradient returned for X is transposed (${n} x ${m}, but it must be ${m} x ${n}); transposed back, off by a constant factor: the correct gradient for A is 1/3 times the one returned`,
        factor: 1 / 3,
      });
      // Both wrong: both named.
      const both = checkGradient(f, (A, X) => ({ A: scale(transpose(X), 3), X: scale(A, -1) }), AX);
      expect(both.message).toContain('; transposed back, the gradients returned for A, X are still wrong: ');
      // Both only transposed: they agree once transposed back.
      const swapped = checkGradient(f, (A, X) => ({ A: X, X: A }), AX);
      expect(swapped.message).toMatch(/ \(transposed\); transposed back, every gradient agrees \(relative error [0-9.]+e-1\d\)$/);
      expect(swapped.diagnosis?.detail).toBe(
        `correct up to transpose: the gradient returned for A is ${swapped.dims.m} x ${swapped.dims.n}, but it must be ${swapped.dims.n} x ${swapped.dims.m}; the gradient returned for X is ${swapped.dims.n} x ${swapped.dims.m}, but it must be ${swapped.dims.m} x ${swapped.dims.n}`,
      );
      expect(swapped.worst).toEqual([]);
    });
  });

  it('off by a factor of 2', () => {
    const r = checkGradient(leastSquares, (A, x, b) => scale(leastSquaresGrad(A, x, b), 2), LS, { wrt: 'x' });
    expect(r.verdict).toBe('fail');
    expect(r.relErr).toBeCloseTo(0.5, 9);
    expect(r.diagnosis).toEqual({ kind: 'factor', detail: 'off by a constant factor: the correct gradient for x is 1/2 times the one returned', factor: 0.5 });
    for (const w of r.worst) expect(w.claimed / w.numerical).toBeCloseTo(2, 8);
  });

  it('the wrong sign', () => {
    const r = checkGradient(logdet, (S) => scale(logdetGradFree(S), -1), { S: 'spd(n)' });
    expect(r.verdict).toBe('fail');
    expect(r.relErr).toBeCloseTo(2, 9);
    expect(r.diagnosis).toEqual({ kind: 'sign', detail: 'wrong sign: the gradient returned for S is correct when negated', factor: -1 });
  });

  it('a single wrong entry, even by one part in a million', () => {
    const wrongAt = (A: Mat, X: Mat, B: Mat) => {
      const g = trAXBGrad(A, X, B);
      const big = Math.max(...g.data.map(Math.abs));
      g.data[1 + 2 * g.rows] += 1e-6 * big; // entry (2,3)
      return g;
    };
    const r = checkGradient(trAXB, wrongAt, { A: 'matrix(4,3)', X: 'matrix(3,5)', B: 'matrix(5,4)' }, { wrt: 'X' });
    expect(r.verdict).toBe('fail');
    expect(r.relErr).toBeGreaterThan(r.tolerance!);
    expect(r.worst[0].entry).toBe('d/dX[2,3]');
    expect(r.worst[0].index).toBe(7);
    expect(r.worst[0].arg).toBe('X');
    expect(r.worst[0].argIndex).toBe(7);
    expect(r.diagnosis).toEqual({ kind: 'localized', detail: 'correct except at d/dX[2,3]' });
  });

  it('names the worst entries up to 1024 entries of the arguments, and past that the worst directions', () => {
    // The transposed gradient of tr(A X B): wrong wherever X is not symmetric in effect.
    const sizes = (n: number) => ({ A: `matrix(${n},${n})`, X: `matrix(${n},${n})`, B: `matrix(${n},${n})` });
    const located = checkGradient(trAXB, trAXBGradTransposed, sizes(32), { wrt: 'X', trials: 1 });
    expect(located.verdict).toBe('fail');
    for (const w of located.worst) expect(w.entry).toMatch(/^d\/dX\[\d+,\d+\]$/);
    expect(located.message).not.toMatch(/not entries/);
    const unlocated = checkGradient(trAXB, trAXBGradTransposed, sizes(33), { wrt: 'X', trials: 1 });
    expect(unlocated.verdict).toBe('fail');
    expect(unlocated.worst.length).toBeGreaterThan(0);
    for (const w of unlocated.worst) expect(w.entry).not.toMatch(/^d\/dX\[/);
    expect(unlocated.message).toContain('naming entries takes 1089 entry-wise differences, more than the 1024');
    expect(unlocated.entries).toBeUndefined();
  });

  it("a network's backward pass with the wrong tanh derivative, or a bias gradient that does not sum", () => {
    const tanh = checkGradient(twoLayerLoss, twoLayerBackward('tanh-derivative'), twoLayerPoint, { wrt: twoLayerParams });
    expect(tanh.verdict).toBe('fail');
    expect(tanh.diagnosis).toEqual({ kind: 'localized', detail: 'the gradients returned for W1, b1 are wrong; the ones for W2, b2 agree with f' });
    const bias = checkGradient(twoLayerLoss, twoLayerBackward('bias-sum'), twoLayerPoint, { wrt: twoLayerParams });
    expect(bias.verdict).toBe('fail');
    expect(bias.worst.every((w) => w.entry.startsWith('d/db1['))).toBe(true);
    // b1 comes after W1 (h x d entries) in the compared block.
    const { h, d } = bias.dims;
    for (const w of bias.worst) {
      expect(w.arg).toBe('b1');
      expect(w.index).toBe(h * d + w.argIndex);
      expect(w.entry).toBe(`d/db1[${w.argIndex + 1}]`);
    }
    expect(bias.diagnosis?.detail).toBe('the gradient returned for b1 is wrong; the ones for W1, W2, b2 agree with f');
    // The failure carries the point and every argument's numerical and claimed gradient.
    expect(Object.keys(bias.point!)).toEqual(['W1', 'b1', 'W2', 'b2', 'X', 'Y']);
    expect(bias.entries!.map((e) => [e.name, e.rows, e.cols])).toEqual(twoLayerParams.map((p) => [p, ...bias.shapes[p]]));
  });

  it('a whole argument wrong is named as the argument, even when it has only a few entries', () => {
    // b1 has h = 3 entries, all wrong: fewer than the 4 wrong entries that
    // read "correct except at ...", but the mistake is b1's, not three entries'.
    for (const seed of ['s1', 's2', 's3', 's4', 's5']) {
      const bias = checkGradient(twoLayerLoss, twoLayerBackward('bias-sum'), twoLayerPoint, { wrt: twoLayerParams, dims: { h: 3 }, seed });
      expect(bias.verdict).toBe('fail');
      expect(bias.dims.h).toBe(3);
      expect(bias.diagnosis).toEqual({ kind: 'localized', detail: 'the gradient returned for b1 is wrong; the ones for W1, W2, b2 agree with f' });
    }
  });

  it('only one of several arguments transposed', () => {
    // f(X, Y) = tr(X Y) for square X, Y: d/dX = Y', d/dY = X'.
    const f = (X: Mat, Y: Mat) => at(matmul(X, Y), 0, 0) + at(matmul(X, Y), 1, 1) + at(matmul(X, Y), 2, 2);
    const r = checkGradient(f, (X, Y) => [transpose(Y), X], { X: 'matrix(3,3)', Y: 'matrix(3,3)' });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis).toEqual({ kind: 'transposed', detail: 'correct up to transpose: the gradient returned for Y is the transpose of the right one' });
  });
});

describe('a structured argument (symmetric, spd, diagonal): the convention says which gradient is meant, as in checkFormula', () => {
  // f(A, X) = tr(A X): G = A' with every entry of X independent.
  const f = (A: Mat, X: Mat) => trace(matmul(A, X));
  const diagOf = (M: Mat) => map(M, (v, i) => (i % M.rows === Math.floor(i / M.rows) ? v : 0));
  const forms = {
    'free-entries': (A: Mat) => sub(add(A, transpose(A)), diagOf(A)),
    projected: (A: Mat) => scale(add(A, transpose(A)), 0.5),
    unconstrained: (A: Mat) => transpose(A),
  } as const;
  const claims = { 'free-entries': "A+A'-diag(diag(A))", projected: "(A+A')/2", unconstrained: "A'" } as const;
  const point = { A: 'matrix(n,n)', X: 'symmetric(n)' };
  const conventions = ['free-entries', 'projected', 'unconstrained'] as const;

  it('each form passes under its own convention and fails under the others, agreeing with checkFormula', () => {
    for (const convention of conventions) {
      for (const form of conventions) {
        for (const mode of ['directional', 'entrywise'] as const) {
          const r = checkGradient(f, forms[form], point, { wrt: 'X', convention, mode });
          expect([convention, form, mode, r.verdict]).toEqual([convention, form, mode, form === convention ? 'pass' : 'fail']);
          const row = checkFormula({ vars: { A: 'matrix(n,n)', X: 'symmetric(n)' }, f: 'tr(A*X)', wrt: 'X', grad: claims[form], convention }, { mode });
          expect(row.verdict).toBe(r.verdict);
        }
      }
    }
  });

  it('the default is free-entries, and a gradient of another convention is diagnosed as such', () => {
    expect(checkGradient(f, forms['free-entries'], point, { wrt: 'X' }).verdict).toBe('pass');
    const g = checkGradient(f, forms.unconstrained, point, { wrt: 'X' });
    expect(g.verdict).toBe('fail');
    // A' is not symmetric, and the gradient with respect to a symmetric X is.
    expect(g.message).toMatch(/^the gradient returned for X is not symmetric, but the gradient with respect to a symmetric X under the free-entries convention is, and its relative error [0-9.]+e-1 exceeds the tolerance 1.00e-9$/);
    expect(g.relErr).toBeGreaterThan(0.1);
    expect(g.diagnosis).toEqual({ kind: 'convention', detail: "holds under the unconstrained convention, not free-entries (the default): pass convention: 'unconstrained', or return the free-entries form" });
    const p = checkGradient(f, forms.projected, point, { wrt: 'X' });
    expect(p.message).toMatch(/^relative error [0-9.]+e-1 exceeds the tolerance 1.00e-9$/);
    expect(p.diagnosis).toEqual({ kind: 'convention', detail: "holds under the projected convention, not free-entries (the default): pass convention: 'projected', or return the free-entries form" });
    const e = checkGradient(f, forms['free-entries'], point, { wrt: 'X', convention: 'projected' });
    expect(e.diagnosis?.detail).toBe("holds under the free-entries convention, not projected: pass convention: 'free-entries', or return the projected form");
  });

  it('a diagonal argument: the gradient is G .* I, except unconstrained', () => {
    const D = { A: 'matrix(n,n)', X: 'diagonal(n)' };
    expect(checkGradient(f, (A) => diagOf(A), D, { wrt: 'X' }).verdict).toBe('pass');
    expect(checkGradient(f, (A) => diagOf(A), D, { wrt: 'X', mode: 'entrywise' }).verdict).toBe('pass');
    const full = checkGradient(f, (A) => transpose(A), D, { wrt: 'X' });
    expect(full.message).toBe('the gradient returned for X is not diagonal, but the gradient with respect to a diagonal X under the free-entries convention is');
    expect(full.diagnosis?.kind).toBe('convention');
    expect(checkGradient(f, (A) => transpose(A), D, { wrt: 'X', convention: 'unconstrained' }).verdict).toBe('pass');
  });

  it('only sampled kinds have a structure: a fixed matrix is a general one', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const X = fromRows([
      [1, 5],
      [5, 2],
    ]);
    expect(checkGradient(f, forms.unconstrained, { A, X }, { wrt: 'X' }).verdict).toBe('pass');
  });

  it('an unknown convention is a usage error naming the option', () => {
    const r = checkGradient(f, forms.unconstrained, point, { wrt: 'X', convention: 'free' as never });
    expect(r.verdict).toBe('error');
    expect(r.message).toBe(
      'error[E_USAGE]: options.convention: convention must be one of free-entries, projected, unconstrained, got the string "free"\n  = hint: it says which gradient is meant for a symmetric, spd or diagonal argument',
    );
    expect(r.field).toBe('options.convention');
  });
});

describe('Jacobians and vector-Jacobian products', () => {
  // f(x) = tanh(A x): J = diag(1 - tanh(Ax)^2) A
  const f = (A: Mat, x: Mat) => map(matmul(A, x), Math.tanh);
  const J = (A: Mat, x: Mat) => {
    const y = f(A, x);
    return map(A, (a, k) => a * (1 - y.data[k % A.rows] ** 2));
  };
  it('a right Jacobian passes, a transposed one fails', () => {
    expect(checkGradient(f, J, { A: 'matrix(m,n)', x: 'vector(n)' }, { claim: 'jacobian', wrt: 'x' }).verdict).toBe('pass');
    const r = checkGradient(f, (A, x) => transpose(J(A, x)), { A: 'matrix(4,4)', x: 'vector(4)' }, { claim: 'jacobian', wrt: 'x' });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis?.kind).toBe('transposed');
    expect(r.worst[0].entry).toMatch(/^df\[\d\]\/dx\[\d\]$/);
  });
  it('vjp: grad(...args, v) returns the gradient of <v, f>', () => {
    // f(X) = X B (matrix valued): the gradient of <V, X B> with respect to X is V B'
    const g = (X: Mat, B: Mat) => matmul(X, B);
    const vjp = (_X: Mat, B: Mat, V: Mat) => matmul(V, transpose(B));
    expect(checkGradient(g, vjp, { X: 'matrix(m,n)', B: 'matrix(n,p)' }, { claim: 'vjp', wrt: 'X' }).verdict).toBe('pass');
    const wrong = checkGradient(g, (X, B, V) => scale(vjp(X, B, V), 3), { X: 'matrix(m,n)', B: 'matrix(n,p)' }, { claim: 'vjp', wrt: 'X' });
    expect(wrong.verdict).toBe('fail');
    expect(wrong.diagnosis).toEqual({ kind: 'factor', detail: 'off by a constant factor: the correct vector-Jacobian product for X is 1/3 times the one returned', factor: 1 / 3 });
  });
  it('inverse: the vjp of inv(X) is -inv(X)\' V inv(X)\'', () => {
    const vjp = (X: Mat, V: Mat) => scale(matmul(matmul(transpose(inv(X)), V), transpose(inv(X))), -1);
    expect(checkGradient(inv, vjp, { X: 'invertible(n)' }, { claim: 'vjp' }).verdict).toBe('pass');
  });
});

describe("errors in the user's code are verdicts, never crashes", () => {
  const point = { A: 'matrix(2,3)', X: 'matrix(3,2)', B: 'matrix(2,2)' };
  const error = (r: ReturnType<typeof checkGradient>) => {
    expect(r.verdict).toBe('error');
    return r.message!;
  };
  it('f or grad throws', () => {
    function loss(): number {
      throw new Error('boom');
    }
    expect(error(checkGradient(loss, trAXBGrad, point, { wrt: 'X' }))).toBe('f (loss) threw Error: boom');
    const r = checkGradient(
      trAXB,
      () => {
        throw new RangeError('index 7');
      },
      point,
      { wrt: 'X' },
    );
    expect(error(r)).toBe('grad threw RangeError: index 7');
    expect(r.field).toBe('grad');
  });
  it('values of the wrong kind or shape', () => {
    expect(error(checkGradient(() => 'x' as unknown as number, trAXBGrad, point, { wrt: 'X' }))).toBe('f returned the string "x"; it must return a number');
    expect(error(checkGradient((A, X) => X, trAXBGrad, point, { wrt: 'X' }))).toMatch(/^f returned a 3 x 2 matrix, but a gradient is of a scalar function: use claim: 'jacobian'/);
    expect(error(checkGradient(trAXB, () => mat(2, 2), point, { wrt: 'X' }))).toBe('grad returned a 2 x 2 matrix for X, but it must be 3 x 2');
    expect(error(checkGradient(trAXB, () => undefined as never, point, { wrt: 'X' }))).toBe('grad returned undefined; it must return the gradient (a matrix { rows, cols, data }, or a number for a scalar argument)');
    expect(error(checkGradient(trAXB, (A, X, B) => ({ A: trAXBGrad(A, X, B) }), point, { wrt: ['X', 'B'] }))).toBe('grad returned an object with keys A, with no gradient for X, B');
    expect(error(checkGradient(trAXB, (A, X, B) => map(trAXBGrad(A, X, B), (v, i) => (i === 3 ? NaN : v)), point, { wrt: 'X' }))).toBe(
      'grad returned NaN at entry 4 (column-major) for X, where f is finite',
    );
    expect(error(checkGradient((async () => 1) as never, trAXBGrad, point, { wrt: 'X' }))).toBe('f returned a Promise: checkGradient calls functions synchronously (make it not async)');
  });
  it('an error in f or grad at a sampled point says where: the trial, sizes and shapes of that point', () => {
    // f has a bug only for tall X: the sizes are what reproduces it.
    const tallBug = (X: Mat) => {
      if (X.rows > X.cols) throw new RangeError(`index ${X.rows * X.cols} out of range`);
      return X.data.reduce((s, v) => s + v * v, 0);
    };
    const double = (X: Mat) => map(X, (v) => 2 * v);
    const r = checkGradient(tallBug, double, { X: 'matrix(m,n)' }, { seed: 3 });
    expect(error(r)).toMatch(/^f \(tallBug\) threw RangeError: index \d+ out of range$/);
    expect(r.trial).not.toBeNull();
    const { m, n } = r.dims;
    expect(m).toBeGreaterThan(n);
    expect(r.shapes).toEqual({ X: [m, n] });
  });
  it('a matrix whose data is a plain array holding null (NaN after a trip through JSON) or strings: named, not read as 0', () => {
    const viaJson = (M: Mat) => ({ rows: M.rows, cols: M.cols, data: JSON.parse(JSON.stringify(Array.from(M.data, (v, i) => (i === 2 ? NaN : v)))) });
    const g = checkGradient(trAXB, ((A: Mat, X: Mat, B: Mat) => viaJson(trAXBGrad(A, X, B))) as never, point, { wrt: 'X' });
    expect(error(g)).toBe('grad returned a 3 x 2 matrix for X with null at entry 3 of its data (entries must be numbers)');
    expect(g.field).toBe('grad');
    const f = checkGradient(((A: Mat, X: Mat) => viaJson(X)) as never, (() => mat(6, 6)) as never, point, { wrt: 'X', claim: 'jacobian' });
    expect(error(f)).toBe('f returned a 3 x 2 matrix with null at entry 3 of its data (entries must be numbers)');
    const strings = checkGradient(trAXB, ((A: Mat, X: Mat, B: Mat) => ({ rows: 3, cols: 2, data: Array.from(trAXBGrad(A, X, B).data, String) })) as never, point, { wrt: 'X' });
    expect(error(strings)).toMatch(/^grad returned a 3 x 2 matrix for X with the string "-?[0-9.e-]+" at entry 1 of its data \(entries must be numbers\)$/);
    // The same numbers in a plain array are fine.
    expect(checkGradient(trAXB, (A, X, B) => ({ rows: 3, cols: 2, data: Array.from(trAXBGrad(A, X, B).data) }) as never, point, { wrt: 'X' }).verdict).toBe('pass');
  });
  it('a gradient returned as nested arrays (rows) says so, and how to build the matrix', () => {
    const rows = (M: Mat) => Array.from({ length: M.rows }, (_, i) => Array.from({ length: M.cols }, (_, j) => M.data[i + j * M.rows]));
    const r = checkGradient(trAXB, ((A: Mat, X: Mat, B: Mat) => rows(trAXBGrad(A, X, B))) as never, point, { wrt: 'X' });
    expect(error(r)).toBe('grad returned an array of 3 arrays of numbers for X, but it must be 3 x 2: nested arrays are not a matrix; return { rows, cols, data } (column-major), e.g. fromRows(rows)');
    expect(r.field).toBe('grad');
    // As rows built with fromRows, it passes.
    expect(checkGradient(trAXB, (A, X, B) => fromRows(rows(trAXBGrad(A, X, B))), point, { wrt: 'X' }).verdict).toBe('pass');
    // Nested arrays given for one argument of several are named the same way.
    expect(error(checkGradient(trAXB, ((A: Mat, X: Mat, B: Mat) => ({ X: rows(trAXBGrad(A, X, B)), B: mat(2, 2) })) as never, point, { wrt: ['X', 'B'] }))).toBe(
      'grad returned an array of 3 arrays of numbers for X, but it must be 3 x 2',
    );
  });
  it('f or grad that returns another value when called again with the same arguments is named, not a noise or a bare failure', () => {
    // Randomness the check cannot reproduce (dropout, sampling), stood in for by a call counter.
    let calls = 0;
    const jittery = (A: Mat, X: Mat, B: Mat) => trAXB(A, X, B) + 1e-3 * (calls++ % 7);
    const f = checkGradient(jittery, trAXBGrad, point, { wrt: 'X' });
    expect(error(f)).toMatch(/^f \(jittery\) is not deterministic: called twice with the same arguments, it returned -?[0-9.e-]+ and then -?[0-9.e-]+; the check needs the same value for the same arguments: seed any randomness inside it, or switch off dropout, sampling and the like$/);
    expect(f.field).toBe('f');
    let gcalls = 0;
    const grad = (A: Mat, X: Mat, B: Mat) => map(trAXBGrad(A, X, B), (v, i) => (i === 1 ? v + 0.5 * (gcalls++ % 3) : v));
    const g = checkGradient(trAXB, grad, point, { wrt: 'X' });
    expect(error(g)).toMatch(/^grad is not deterministic: called twice with the same arguments, it returned -?[0-9.e-]+ and then -?[0-9.e-]+ at entry 2 \(column-major\) for X; the check needs/);
    expect(g.field).toBe('grad');
    expect(g.seed).toBe('1');
    expect(g.trial).not.toBeNull();
    // Keeping state is fine as long as the value is the same: f and grad that count their calls pass.
    let n = 0;
    expect(checkGradient((A: Mat, X: Mat, B: Mat) => (n++, trAXB(A, X, B)), trAXBGrad, point, { wrt: 'X' }).verdict).toBe('pass');
  });
  it('f not finite: drawn again at sampled points, an error at a fixed one', () => {
    const r = checkGradient(() => NaN, trAXBGrad, point, { wrt: 'X' });
    expect(error(r)).toMatch(/^trial 1: no valid point in 25 draws: 25 times f was NaN or infinite/);
    // Which function, and what it returned, as at a fixed point.
    expect(r.message).toContain('25 times f was NaN or infinite at the point or next to it (outside its domain?), the first time: f returned NaN at the point.');
    expect(r.field).toBe('f');
    expect(checkGradient(() => -Infinity, trAXBGrad, point, { wrt: 'X' }).message).toContain('the first time: f returned -Infinity at the point.');
    const fixed = checkGradient((x: Mat) => Math.log(x.data[0]), (x: Mat) => vec([1 / x.data[0]]), { x: vec([-1]) });
    expect(error(fixed)).toBe('at the given point, f returned NaN at the point');
    expect(fixed.field).toBe('f');
    // log x is defined for a positive kind.
    expect(checkGradient((x: Mat) => Math.log(x.data[0]), (x: Mat) => vec([1 / x.data[0]]), { x: 'positive scalar' }).verdict).toBe('pass');
  });
  it('noisy finite differences at a fixed point next to a kink', () => {
    const r = checkGradient((x: Mat) => Math.abs(x.data[0]), (x: Mat) => Math.sign(x.data[0]), { x: 1e-4 });
    expect(error(r)).toMatch(/^at the given point, the finite differences there are too noisy to judge: their estimated relative error is [0-9.e+-]+, above 1e-7/);
  });
  it('an argument over 4096 x 4096 entries is E_SIZE, named, before any of it is read: fixed or sampled', () => {
    // A fixed matrix whose entries may not be read: the limit comes first.
    const untouchable = new Proxy({ length: 4097 * 4096 }, { get: (t, k) => (k === 'length' ? t.length : expect.unreachable(`entry ${String(k)} read`)) });
    const fixed = checkGradient(trAXB, trAXBGrad, { X: { rows: 4097, cols: 4096, data: untouchable } } as never);
    expect(error(fixed)).toBe(
      'error[E_SIZE]: x0.X: X is 4097 x 4096, 1.7e+7 entries: more than matcheck checks in one argument (4096 x 4096)\n  = hint: check the code at a smaller point (a block of the matrix, or the same code at smaller sizes)',
    );
    expect(fixed.field).toBe('x0.X');
    const sampled = checkGradient(trAXB, trAXBGrad, { A: 'matrix(2,2)', X: 'matrix(n,n)' }, { dims: { n: 4097 } });
    expect(error(sampled)).toMatch(/^error\[E_SIZE\]: x0.X: X would be 4097 x 4097, 1.7e\+7 entries: more than matcheck checks in one argument \(4096 x 4096\)/);
    expect(sampled.field).toBe('x0.X');
    // The sampler's own limit on Haar-drawn kinds names the argument too.
    const spd = checkGradient(logdet, logdetGrad, { A: 'matrix(2,2)', S: 'spd(513)' }, { wrt: 'S' });
    expect(error(spd)).toMatch(/^error\[E_SIZE\]: x0.S: spd\(513\) is drawn from Haar-random orthogonal factors/);
    expect(spd.field).toBe('x0.S');
  });
  it('noisy differences get the advice for noise, not for a domain: a large constant term', () => {
    const r = checkGradient((x: Mat) => 1e8 + sumSq(x), (x: Mat) => scale(x, 2), { x: 'vector(n)' });
    expect(error(r)).toMatch(/^trial 1: no valid point in 25 draws: 25 times the finite differences were too noisy to judge \(.*\), the least noisy with an estimated relative error of [0-9.]+e-\d, above the cut-off 1e-7\. If f has a large constant term, drop it \(it does not change the gradient\); if f is tiny, scale it up; /);
    expect(r.message).not.toContain('Declare kinds');
    expect(r.field).toBeUndefined();
    // Without the constant it passes.
    expect(checkGradient((x: Mat) => sumSq(x), (x: Mat) => scale(x, 2), { x: 'vector(n)' }).verdict).toBe('pass');
  });
  describe('f computed in single precision (float32)', () => {
    const f32 = (x: Mat) => x.data.reduce((s, v) => Math.fround(s + Math.fround(Math.fround(v) * Math.fround(v))), 0);
    const g = (x: Mat) => scale(x, 2);
    const X = { x: 'matrix(m,n)' };
    it('is too noisy for the default tolerance, and the message says so and what to do', () => {
      const r = checkGradient(f32, g, X);
      expect(error(r)).toMatch(
        /\. The values f returned are single precision \(float32\), whose finite differences are far less accurate than the default tolerance needs \(1e-7\): check float32 code with a tolerance it can meet, about 1e-3, or compute f in double precision\.$/,
      );
    });
    it('is judged against a tolerance the user gives, when the differences are a hundredth as noisy', () => {
      const r = checkGradient(f32, g, X, { tolerance: 1e-3 });
      expect(r.verdict).toBe('pass');
      expect(r.tolerance).toBe(1e-3);
      // Far beyond what the default tolerance accepts: these differences were noisy.
      expect(r.relErr).toBeGreaterThan(1e-6);
      expect(r.relErr).toBeLessThan(1e-3);
      // A gradient wrong by half a percent is looked at again with the noise
      // measured (about 1e-3 for float32 differences): too noisy to refute at
      // 1e-3, so an error, never a pass; off by 5% it fails at 3e-2.
      const wrong = checkGradient(f32, (x: Mat) => scale(x, 2.01), X, { tolerance: 1e-3 });
      expect(wrong.verdict).toBe('error');
      expect(wrong.message).toContain('too noisy to judge');
      const far = checkGradient(f32, (x: Mat) => scale(x, 2.1), X, { tolerance: 3e-2 });
      expect(far.verdict).toBe('fail');
      expect(far.relErr).toBeGreaterThan(3e-2);
      expect(checkGradient(f32, g, X, { tolerance: 3e-2 }).verdict).toBe('pass');
    });
    it('still errors when the differences are too noisy even for the tolerance given', () => {
      const tight = checkGradient(f32, g, X, { tolerance: 1e-5 });
      expect(error(tight)).toContain('above the cut-off 1e-7.');
      const closer = checkGradient(f32, g, X, { tolerance: 1e-4 });
      expect(error(closer)).toContain('above the cut-off 1e-6. The values f returned are single precision (float32), whose finite differences are far less accurate than the tolerance 1e-4 needs (an estimated error below 1e-6, a hundredth of it)');
      // At a kink no realistic tolerance makes the differences judgeable.
      const kink = checkGradient((x: Mat) => Math.abs(x.data[0]), (x: Mat) => Math.sign(x.data[0]), { x: 1e-4 }, { tolerance: 0.1 });
      expect(error(kink)).toMatch(
        /^at the given point, the finite differences there are too noisy to judge: their estimated relative error is [0-9.]+e-3, above 1e-3; .*if f has a kink \(abs, max, relu\) .*; the tolerance 1e-1 judges differences only when their estimated error is below 1e-3, a hundredth of it$/,
      );
    });
  });
  it('usage mistakes', () => {
    expect(error(checkGradient(trAXB, trAXBGrad, point, { wrt: 'Z' }))).toMatch(/wrt names "Z", which is not an argument/);
    expect(error(checkGradient(trAXB, trAXBGrad, { X: 'matrx(3,2)' }))).toMatch(/^error\[E_KIND\]: x0.X: unknown kind 'matrx'/);
    expect(error(checkGradient(trAXB, trAXBGrad, point, { trials: 0 }))).toMatch(/trials must be an integer from 1 to 1000, got 0/);
    expect(error(checkGradient(trAXB, trAXBGrad, 'X' as never))).toMatch(/the point must be an array of arguments or an object of named arguments/);
    expect(error(checkGradient(trAXB, 'grad' as never, point))).toMatch(/grad must be a function/);
    expect(error(checkGradient(trAXB, trAXBGrad, point, { claim: 'hessian' as never }))).toMatch(/claim must be one of grad, jacobian, vjp/);
    // A name that is not a string was dropped without a word (the check went by f's name).
    const id = checkGradient(trAXB, trAXBGrad, point, { id: 5 as never });
    expect(error(id)).toBe('error[E_USAGE]: options.id: id must be a string (a name for the check), got the number 5');
    expect(id.field).toBe('options.id');
  });
});

describe('reproducible from the seed', () => {
  it('the same seed gives the same result, another seed other draws', () => {
    const wrong = (A: Mat, X: Mat, B: Mat) => add(trAXBGrad(A, X, B), mat(X.rows, X.cols, X.data));
    const a = checkGradient(trAXB, wrong, AXB, { wrt: 'X', seed: 'abc' });
    const b = checkGradient(trAXB, wrong, AXB, { wrt: 'X', seed: 'abc' });
    expect(a.verdict).toBe('fail');
    expect(b).toEqual(a);
    expect(a.seed).toBe('abc');
    const c = checkGradient(trAXB, wrong, AXB, { wrt: 'X', seed: 'xyz' });
    expect(c.point!.X.data).not.toEqual(a.point!.X.data);
    // Fixed sizes for dimension symbols.
    const d = checkGradient(trAXB, trAXBGrad, AXB, { wrt: 'X', dims: { m: 2, n: 9 } });
    expect(d.dims.m).toBe(2);
    expect(d.dims.n).toBe(9);
  });
});

describe('one engine memory for gradients and formulas', () => {
  it('a large gradient check grows the memory; formula checks after it still see it whole', async () => {
    const { checkFormula } = await import('../../src/check/formula.js');
    const before = checkFormula({ vars: { X: 'matrix(m,n)' }, f: 'sum(X.*X)', wrt: 'X', grad: '2*X' });
    const big = checkGradient(
      (X: Mat) => X.data.reduce((s, v) => s + v * v, 0),
      (X: Mat) => scale(X, 2),
      { X: 'matrix(400,400)' },
      { trials: 1 },
    );
    expect(big.verdict).toBe('pass');
    const after = checkFormula({ vars: { X: 'matrix(m,n)' }, f: 'sum(X.*X)', wrt: 'X', grad: '2*X' });
    expect(after).toEqual(before);
    expect(after.verdict).toBe('pass');
  });
});
