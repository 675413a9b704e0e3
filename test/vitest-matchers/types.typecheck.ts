// Type-level test of the matchers' and checkGradient's types: never run,
// only compiled by `tsc -p tsconfig.test.json --noEmit` (npm run typecheck).
// Every `@ts-expect-error` line must be an error, or the compile fails.
import { expect } from 'vitest';
import '../../src/vitest.js';
import { checkGradient, mat, type ClaimType, type FormulaSubject, type GradientResult, type Mat, type RowResult, type Verdict } from '../../src/index.js';

const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
const subject = { f: 'tr(A*X*B)', wrt: 'X', vars };

export function formulaMatchers(): void {
  expect(subject).toHaveGradient("A'*B'");
  expect(subject).toHaveGradient("A'*B'", { seed: 1, trials: 2, tolerance: 1e-8, mode: 'entrywise' });
  expect(subject).toHaveGradient("A'*B'", { seed: 'abc' });
  expect(subject).not.toHaveGradient("2*A'*B'");
  expect({ f: 'A*x', wrt: 'x' }).toHaveJacobian('A');
  expect({ f: 'inv(X)', wrt: 'X' }).toHaveDifferential('-inv(X)*dX*inv(X)');
  expect({ f: "x'*Q*x", wrt: 'x' }).toHaveHessian("Q+Q'");
  expect({ f: 'tr(A*B)' }).toEqualFormula('tr(B*A)');
  expect({ row: subject }).toEqual({ row: expect.toHaveGradient("A'*B'") });

  // @ts-expect-error the claim is a formula in a string
  expect(subject).toHaveGradient(42);
  // @ts-expect-error a misspelt option
  expect(subject).toHaveGradient("A'*B'", { sead: 1 });
  // @ts-expect-error mode is 'directional' or 'entrywise'
  expect(subject).toHaveGradient("A'*B'", { mode: 'fast' });
  // @ts-expect-error a number is not a formula
  expect(42).toHaveGradient('x');
  // @ts-expect-error a function is not a formula
  expect((x: Mat) => x.data[0]).toHaveGradient('x');
}

export function derivativesNeedWrt(typed: FormulaSubject, untyped: any): void {
  // @ts-expect-error a gradient is with respect to something: wrt is required (it type-checked and threw)
  expect({ f: 'tr(X)' }).toHaveGradient('eye(n)');
  // @ts-expect-error the same for the other derivatives
  expect({ f: 'A*x' }).toHaveJacobian('A');
  // @ts-expect-error
  expect({ f: 'inv(X)' }).toHaveDifferential('-inv(X)*dX*inv(X)');
  // @ts-expect-error
  expect({ f: "x'*Q*x" }).toHaveHessian("Q+Q'");
  // An identity has no wrt.
  expect({ f: 'tr(A*B)' }).toEqualFormula('tr(B*A)');
  // A FormulaSubject may leave wrt out (checked at run time); an untyped value may be anything.
  expect(typed).toHaveGradient('x');
  expect(untyped).toHaveGradient('x');
  // @ts-expect-error wrt names a variable
  expect({ f: 'tr(X)', wrt: 1 }).toHaveGradient('eye(n)');
}

export function rowFieldTypes(): void {
  // A layout in an object literal is widened to string by expect(): checked at run time.
  expect({ f: 'tr(A*X*B)', wrt: 'X', layout: 'numerator' }).toHaveGradient('B*A');
  expect({ f: 'tr(A*X*B)', wrt: 'X', layout: 'numerator' as const }).toHaveGradient('B*A');
  // @ts-expect-error where the literal survives, it must be a Layout
  expect({ f: 'tr(A*X*B)', wrt: 'X', layout: 'num' as const }).toHaveGradient('B*A');
  // @ts-expect-error the same for a convention
  expect({ f: 'sum(S)', wrt: 'S', convention: 'symmetric' as const }).toHaveGradient('eye(n)');
  // @ts-expect-error a kind is a string
  expect({ f: 'sum(X)', wrt: 'X', vars: { X: 5 } }).toHaveGradient('matrix(1)');
  // @ts-expect-error a size is a number
  expect({ f: 'sum(X)', wrt: 'X', dims: { n: '5' } }).toHaveGradient('matrix(1)');
  // @ts-expect-error trials is a number
  expect({ f: 'sum(X)', wrt: 'X', trials: '3' }).toHaveGradient('matrix(1)');
}

export function gradientMatchers(loss: (W: Mat, x: Mat) => number, lossGrad: (W: Mat, x: Mat) => Mat): void {
  expect(loss).toMatchGradient(lossGrad, { at: { W: 'matrix(3,4)', x: 'vector(4)' }, wrt: 'W' });
  expect(loss).toMatchGradient(lossGrad, { at: [mat(3, 4), mat(4, 1)], wrt: 0, seed: 3, trials: 2, mode: 'entrywise', tolerance: 1e-7 });
  expect(loss).not.toMatchGradient((W: Mat) => ({ W }), { at: { W: 'matrix(3,4)', x: 'vector(4)' }, claim: 'grad', dims: { n: 3 } });
  expect(loss).toMatchGradient(() => [mat(3, 4), mat(4, 1)], { at: { W: 'matrix(3,4)', x: 'vector(4)' } });

  // @ts-expect-error the point is required
  expect(loss).toMatchGradient(lossGrad);
  // @ts-expect-error the point is required
  expect(loss).toMatchGradient(lossGrad, { wrt: 'W' });
  // @ts-expect-error claim is 'grad', 'jacobian' or 'vjp'
  expect(loss).toMatchGradient(lossGrad, { at: [mat(3, 4)], claim: 'hessian' });
  // @ts-expect-error the gradient is a function
  expect(loss).toMatchGradient(mat(3, 4), { at: [mat(3, 4)] });
  // @ts-expect-error a formula is not a function
  expect(subject).toMatchGradient(lossGrad, { at: [mat(3, 4)] });
  // @ts-expect-error grad returns matrices, numbers or arrays of them, not strings
  expect(loss).toMatchGradient(() => 'W', { at: [mat(3, 4)] });
}

// A backward pass returning an interface (no index signature), as a network's parameter gradients often are.
interface Grads {
  W: Mat;
  x: Mat;
}

export function interfaceReturns(loss: (W: Mat, x: Mat) => number, backward: (W: Mat, x: Mat) => Grads): void {
  expect(loss).toMatchGradient(backward, { at: { W: 'matrix(3,4)', x: 'vector(4)' } });
  expect(loss).not.toMatchGradient(backward, { at: { W: 'matrix(3,4)', x: 'vector(4)' } });
  const r: GradientResult = checkGradient(loss, backward, { W: 'matrix(3,4)', x: 'vector(4)' });
  void r;
  // @ts-expect-error every property is a gradient: a matrix, a number or an array of numbers
  checkGradient(loss, (W: Mat) => ({ W, note: 'x' }), { W: 'matrix(3,4)', x: 'vector(4)' });
  // @ts-expect-error the same in the matcher
  expect(loss).toMatchGradient((W: Mat) => ({ W, note: 'x' }), { at: { W: 'matrix(3,4)', x: 'vector(4)' } });
}

export function library(loss: (W: Mat, x: Mat) => number, lossGrad: (W: Mat, x: Mat) => Mat, row: RowResult): void {
  const r: GradientResult = checkGradient(loss, lossGrad, { W: 'spd(3)', x: 'vector(3)' }, { wrt: ['W'], seed: 1 });
  const v: Verdict = r.verdict;
  const rowVerdict: Verdict = row.verdict;
  const claim: ClaimType | undefined = row.claim;
  // @ts-expect-error a row's claim is one of grad, jacobian, differential, hessian, equals (it was typed string)
  const misspelt = row.claim === 'gradient';
  void [v, rowVerdict, claim, misspelt];
  // @ts-expect-error a point value is a matrix, a number or a kind
  checkGradient(loss, lossGrad, { W: true });
  // @ts-expect-error claim is 'grad', 'jacobian' or 'vjp'
  checkGradient(loss, lossGrad, [mat(2, 2)], { claim: 'hessian' });
  // @ts-expect-error f returns a number or a matrix
  checkGradient(() => 'x', lossGrad, [mat(2, 2)]);
  // @ts-expect-error the result's relative error may be null (no trial judged)
  const e: number = r.relErr;
  void e;
}
