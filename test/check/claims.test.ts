// The checker's contract over many seeds: correct claims of every type never
// fail, wrong ones (transposed, factor 2, sign, symmetric-only, one wrong
// entry) always do.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';

const SEEDS = Array.from({ length: 200 }, (_, i) => String(i));

function verdicts(row: FormulaRow, seeds = SEEDS, trials = 1): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const seed of seeds) {
    const r = checkFormula(row, { seed, trials });
    const list = by.get(r.verdict) ?? [];
    list.push(`${seed}: ${r.message ?? ''} relErr=${r.relErr} tol=${r.tolerance} dims=${JSON.stringify(r.dims)}`);
    by.set(r.verdict, list);
  }
  return by;
}

const net = {
  vars: { W1: 'matrix(h,n)', W2: 'matrix(m,h)', x: 'vector(n)', y: 'vector(m)' },
  f: 'norm2(W2*tanh(W1*x) - y)^2',
};

const correct: FormulaRow[] = [
  { id: 'grad-traxb', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X', grad: "A'*B'" },
  { id: 'grad-logdet-free', vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: '2*inv(X) - inv(X).*eye(n)' },
  { id: 'grad-logdet-projected', vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: 'inv(X)', convention: 'projected' },
  { id: 'grad-logdet-unconstrained', vars: { X: 'invertible(n)' }, f: 'logdet(X)', wrt: 'X', grad: "inv(X)'" },
  { id: 'grad-lsq', vars: { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, f: 'norm2(A*x-b)^2', wrt: 'x', grad: "2*A'*(A*x-b)" },
  { id: 'grad-quad', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', grad: "(Q+Q')*x" },
  { id: 'grad-quad-numerator', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', grad: "x'*(Q+Q')", layout: 'numerator' },
  { id: 'grad-sum-exp', vars: { X: 'matrix(m,n)' }, f: 'sum(exp(X))', wrt: 'X', grad: 'exp(X)' },
  { id: 'grad-logsumexp', vars: { x: 'vector(n)' }, f: 'logsumexp(x)', wrt: 'x', grad: 'softmax(x)' },
  { id: 'grad-net-W1', ...net, wrt: 'W1', grad: "((W2'*(2*(W2*tanh(W1*x)-y))).*(1-tanh(W1*x).^2))*x'" },
  { id: 'grad-net-W2', ...net, wrt: 'W2', grad: "2*(W2*tanh(W1*x)-y)*tanh(W1*x)'" },
  { id: 'grad-sym-tr-free', vars: { X: 'symmetric(n)', A: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A + A' - A.*eye(n)" },
  { id: 'grad-diag-free', vars: { X: 'diagonal(n)', A: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A'.*eye(n)" },
  { id: 'grad-abs', vars: { x: 'vector(n)' }, f: 'sum(abs(x))', wrt: 'x', grad: 'sign(x)' },
  { id: 'jac-linear', vars: { A: 'matrix(m,n)', x: 'vector(n)' }, f: 'A*x', wrt: 'x', jacobian: 'A' },
  { id: 'jac-softmax', vars: { x: 'vector(n)' }, f: 'softmax(x)', wrt: 'x', jacobian: "diag(softmax(x)) - softmax(x)*softmax(x)'" },
  { id: 'jac-exp', vars: { x: 'vector(n)' }, f: 'exp(x)', wrt: 'x', jacobian: 'diag(exp(x))' },
  { id: 'diff-inv', vars: { X: 'invertible(n)' }, f: 'inv(X)', wrt: 'X', differential: '-inv(X)*dX*inv(X)' },
  { id: 'diff-square', vars: { X: 'matrix(n,n)' }, f: 'X*X', wrt: 'X', differential: 'dX*X + X*dX' },
  { id: 'diff-det', vars: { X: 'invertible(n)' }, f: 'det(X)', wrt: 'X', differential: 'det(X)*tr(inv(X)*dX)' },
  { id: 'diff-kron', vars: { X: 'matrix(m,n)', B: 'matrix(p,q)' }, f: 'kron(X,B)', wrt: 'X', differential: 'kron(dX,B)' },
  { id: 'hess-quad', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', hessian: "Q+Q'" },
  { id: 'hess-lsq', vars: { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }, f: 'norm2(A*x-b)^2', wrt: 'x', hessian: "2*A'*A" },
  { id: 'hess-logsumexp', vars: { x: 'vector(n)' }, f: 'logsumexp(x)', wrt: 'x', hessian: "diag(softmax(x)) - softmax(x)*softmax(x)'" },
  { id: 'eq-trace-cyclic', vars: { A: 'matrix(m,n)', B: 'matrix(n,m)' }, f: 'tr(A*B)', equals: 'tr(B*A)' },
  { id: 'eq-inv-product', vars: { A: 'invertible(n)', B: 'invertible(n)' }, f: 'inv(A*B)', equals: 'inv(B)*inv(A)' },
  { id: 'eq-det-product', vars: { A: 'invertible(n)', B: 'invertible(n)' }, f: 'det(A*B)', equals: 'det(A)*det(B)' },
];

const wrong: (FormulaRow & { why: string })[] = [
  { why: 'transposed (shape)', id: 'w-traxb-T', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X', grad: 'B*A' },
  { why: 'transposed (square)', id: 'w-trax-T', vars: { A: 'matrix(n,n)', X: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: 'A' },
  { why: 'factor 2', id: 'w-xx', vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x', grad: 'x' },
  { why: 'factor 2', id: 'w-hess-half', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', hessian: "(Q+Q')/2" },
  { why: 'factor 2', id: 'w-diff-inv-2', vars: { X: 'invertible(n)' }, f: 'inv(X)', wrt: 'X', differential: '-2*inv(X)*dX*inv(X)' },
  { why: 'sign', id: 'w-logdet-sign', vars: { X: 'invertible(n)' }, f: 'logdet(X)', wrt: 'X', grad: "-inv(X)'" },
  { why: 'sign', id: 'w-jac-sign', vars: { A: 'matrix(m,n)', x: 'vector(n)' }, f: 'A*x', wrt: 'x', jacobian: '-A' },
  { why: 'sign', id: 'w-eq-sign', vars: { A: 'matrix(m,n)', B: 'matrix(n,m)' }, f: 'tr(A*B)', equals: '-tr(B*A)' },
  { why: 'symmetric only', id: 'w-quad-sym', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', grad: '2*Q*x' },
  { why: 'symmetric only', id: 'w-hess-sym', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x', hessian: '2*Q' },
  { why: 'symmetric only (jacobian)', id: 'w-jac-sym', vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: '(Q+Q\')*x/2', wrt: 'x', jacobian: 'Q' },
  { why: 'wrong order', id: 'w-diff-order', vars: { X: 'matrix(n,n)' }, f: 'X*X', wrt: 'X', differential: '2*X*dX' },
  { why: 'wrong convention', id: 'w-logdet-conv', vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: 'inv(X)' },
  { why: 'not symmetric under projected', id: 'w-proj-nonsym', vars: { X: 'symmetric(n)', A: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A'", convention: 'projected' },
  { why: 'not diagonal', id: 'w-diag-full', vars: { X: 'diagonal(n)', A: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A'" },
];

describe('correct claims pass over 200 seeds', () => {
  for (const row of correct) {
    it(row.id!, () => {
      const v = verdicts(row);
      expect([...v.keys()], (v.get('fail') ?? v.get('error') ?? []).slice(0, 3).join('\n')).toEqual(['pass']);
    });
  }
});

describe('wrong claims fail on every seed', () => {
  for (const row of wrong) {
    it(`${row.id} (${row.why})`, () => {
      const { why: _why, ...r } = row;
      const v = verdicts(r);
      expect([...v.keys()], (v.get('pass') ?? v.get('error') ?? []).slice(0, 3).join('\n')).toEqual(['fail']);
    });
  }
});

describe('a single wrong entry of relative size 1e-4 fails', () => {
  // The claim is A'*B' + P where P is zero except one entry of 1e-4 times
  // the largest entry of the gradient: written through the P input itself.
  const cases: [string, FormulaRow][] = [
    ['gradient', { vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)', P: 'matrix(m,n)' }, f: 'tr(A*X*B)', wrt: 'X', grad: "A'*B' + P" }],
    ['jacobian', { vars: { A: 'matrix(m,n)', x: 'vector(n)', P: 'matrix(m,n)' }, f: 'A*x', wrt: 'x', jacobian: 'A + P' }],
    ['hessian', { vars: { A: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)', P: 'matrix(n,n)' }, f: 'norm2(A*x-b)^2', wrt: 'x', hessian: "2*A'*A + P" }],
  ];
  for (const [name, row] of cases) {
    it(name, async () => {
      const { singleEntryVerdicts } = await import('./single-entry.js');
      const v = singleEntryVerdicts(row, SEEDS);
      expect([...v.keys()], (v.get('pass') ?? []).slice(0, 3).join('\n')).toEqual(['fail']);
    });
  }
});
