// Each kind of mistake gets exactly its diagnosis over many seeds; correct
// rows get none; wrong rows of no known kind get none.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import type { FormulaRow } from '../../src/row.js';
import { simpleFraction } from '../../src/verdict/diagnose.js';

const SEEDS = Array.from({ length: 40 }, (_, i) => String(i));

function diagnoses(row: FormulaRow): Map<string, number> {
  const counts = new Map<string, number>();
  for (const seed of SEEDS) {
    const r = checkFormula({ id: 'd', ...row }, { seed });
    const key = `${r.verdict}:${r.diagnosis?.kind ?? 'none'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const traxb = { vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X' };
const square = { vars: { A: 'matrix(n,n)', X: 'matrix(n,n)', B: 'matrix(n,n)' }, f: 'tr(A*X*B)', wrt: 'X' };
const quad = { vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x' };

const cases: [string, FormulaRow, string][] = [
  ['transposed, square (numerator layout)', { ...square, grad: 'B*A' }, 'transposed'],
  ['transposed, shape', { ...traxb, grad: 'B*A' }, 'transposed'],
  ['transposed shape and off by a factor', { ...traxb, grad: '2*B*A' }, 'transposed'],
  ['transposed jacobian', { vars: { A: 'matrix(n,n)', x: 'vector(n)' }, f: 'A*x', wrt: 'x', jacobian: "A'" }, 'transposed'],
  ['layout: numerator row written in denominator', { ...square, grad: "A'*B'", layout: 'numerator' }, 'transposed'],
  ['factor 2', { vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x', grad: 'x' }, 'factor'],
  ['factor 1/2', { vars: { X: 'matrix(m,n)' }, f: "tr(X'*X)", wrt: 'X', grad: '4*X' }, 'factor'],
  ['factor 4 on a hessian', { ...quad, hessian: "(Q+Q')/4" }, 'factor'],
  ['sign of a gradient', { vars: { X: 'invertible(n)' }, f: 'logdet(X)', wrt: 'X', grad: "-inv(X)'" }, 'sign'],
  ['sign of a differential', { vars: { X: 'invertible(n)' }, f: 'inv(X)', wrt: 'X', differential: 'inv(X)*dX*inv(X)' }, 'sign'],
  ['sign of an identity', { vars: { A: 'matrix(m,n)', B: 'matrix(n,m)' }, f: 'tr(A*B)', equals: '-tr(B*A)' }, 'sign'],
  ['symmetric only: 2Qx', { ...quad, grad: '2*Q*x' }, 'symmetric-only'],
  ['symmetric only: hessian 2Q', { ...quad, hessian: '2*Q' }, 'symmetric-only'],
  ['symmetric only: undeclared M', { vars: { x: 'vector(n)' }, f: "x'*M*x", wrt: 'x', grad: '2*M*x' }, 'symmetric-only'],
  ['convention: projected form under free-entries', { vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: 'inv(X)' }, 'convention'],
  ['convention: free-entries form under projected', { vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: '2*inv(X) - inv(X).*eye(n)', convention: 'projected' }, 'convention'],
  ['factor order in a differential', { vars: { X: 'matrix(n,n)', A: 'matrix(n,n)' }, f: 'X*A', wrt: 'X', differential: 'A*dX' }, 'factor-order'],
  ['factor order in a gradient', { vars: { a: 'vector(n)', X: 'matrix(n,n)', b: 'vector(n)' }, f: "a'*X*b", wrt: 'X', grad: "b*a'" }, 'transposed'],
  ['localized: diagonal', { vars: { X: 'matrix(n,n)' }, f: 'tr(X*X)', wrt: 'X', grad: "2*X' + eye(n)" }, 'localized'],
  ['localized: diagonal of a symmetric-wrt gradient', { vars: { X: 'symmetric(n)', A: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: "A + A'" }, 'localized'],
];

describe('each mistake gets its diagnosis', () => {
  for (const [name, row, kind] of cases) {
    it(`${name} -> ${kind}`, () => {
      const counts = diagnoses(row);
      expect(Object.fromEntries(counts)).toEqual({ [`fail:${kind}`]: SEEDS.length });
    });
  }
});

it('a claim of the transposed shape that is also off by a factor says both', () => {
  const r = checkFormula({ id: 'd', ...traxb, grad: '2*B*A' }, { seed: '3' });
  expect(r.diagnosis).toEqual({
    kind: 'transposed',
    factor: 0.5,
    detail: expect.stringMatching(/^the claim is transposed \((n x m|m x n|\w+ x \w+), but it must be \w+ x \w+\); transposed back, off by a constant factor: the correct value is 1\/2 times the claim$/),
  });
});

describe('no diagnosis without a finding', () => {
  it('correct rows pass and carry no diagnosis', () => {
    for (const row of [
      { ...traxb, grad: "A'*B'" },
      { ...quad, grad: "(Q+Q')*x" },
      { vars: { X: 'spd(n)' }, f: 'logdet(X)', wrt: 'X', grad: '2*inv(X) - inv(X).*eye(n)' },
    ] as FormulaRow[]) {
      expect(Object.fromEntries(diagnoses(row))).toEqual({ 'pass:none': SEEDS.length });
    }
  });

  it('wrong rows of no known kind get none', () => {
    for (const row of [
      { vars: { X: 'matrix(m,n)' }, f: 'sum(exp(X))', wrt: 'X', grad: 'exp(X) + X.^2' },
      { vars: { x: 'vector(n)' }, f: 'sum(sin(x))', wrt: 'x', grad: '-sin(x)' },
      { ...traxb, grad: 'B*A + 1' },
      { vars: { X: 'invertible(n)' }, f: 'inv(X)', wrt: 'X', differential: "-inv(X)*dX'*inv(X)" },
    ] as FormulaRow[]) {
      expect(Object.fromEntries(diagnoses(row))).toEqual({ 'fail:none': SEEDS.length });
    }
  });

  it('a differential without its direction (a missing d) gets none, and a message that says so', () => {
    const row: FormulaRow = { id: 'd', vars: { A: 'matrix(m,n)', X: 'matrix(n,p)', b: 'vector(m)' }, f: "norm2(A*X - b*vector(1)')^2", wrt: 'X', differential: "tr((A*X - b*vector(1)')'*(A*X - b*vector(1)'))" };
    expect(Object.fromEntries(diagnoses(row))).toEqual({ 'fail:none': SEEDS.length });
    expect(checkFormula(row).message).toMatch(/: the claim never uses dX, so it is not a differential, which is linear in dX \(is a d missing\?\)$/);
  });
});

describe('simpleFraction', () => {
  it('names simple fractions and nothing else', () => {
    expect(simpleFraction(2.0000000001)).toEqual({ text: '2', value: 2 });
    expect(simpleFraction(-0.5)).toEqual({ text: '-1/2', value: -0.5 });
    expect(simpleFraction(0.75)).toEqual({ text: '3/4', value: 0.75 });
    expect(simpleFraction(-1)).toEqual({ text: '-1', value: -1 });
    expect(simpleFraction(1.2345)).toBeUndefined();
    expect(simpleFraction(Math.PI)).toBeUndefined();
  });
});

describe('a differential wrong along some directions', () => {
  // The entry-wise pass of a differential compares f along basis directions:
  // its "rows" and "columns" are f's entries and directions, not a matrix's.
  // (n = 4: the 4 diagonal directions are under half of the 10 or 16; more
  // than half wrong is not called localized.)
  const rows: [string, FormulaRow][] = [
    ['symmetric S', { id: 'sym', vars: { S: 'symmetric(n)', A: 'matrix(n,n)' }, dims: { n: 4 }, f: 'tr(A*S)', wrt: 'S', differential: 'tr((A+eye(n))*dS)' }],
    ['general X', { id: 'gen', vars: { X: 'matrix(n,n)', A: 'matrix(n,n)' }, dims: { n: 4 }, f: 'tr(A*X)', wrt: 'X', differential: 'tr((A+eye(n))*dX)' }],
  ];
  it.each(rows)('is wrong along the diagonal directions of %s, not "in row 1"', (_, row) => {
    for (const seed of SEEDS.slice(0, 10)) {
      const r = checkFormula(row, { seed });
      expect(r.verdict).toBe('fail');
      expect(r.diagnosis?.kind).toBe('localized');
      expect(r.diagnosis!.detail).toMatch(/^correct except along the diagonal directions \(f along d([SX])\[1,1\]=1, f along d\1\[2,2\]=1, f along d\1\[3,3\]=1, f along d\1\[4,4\]=1\)$/);
      expect(r.diagnosis!.detail).not.toContain('row');
    }
  });
});

describe('scale and shape do not change the diagnosis', () => {
  it.each(['1e-300', '1e-200', '1e100', '1e200'])("a factor of 2 at f = %s*(x'*x) (the least-squares fit scales before it multiplies)", (c) => {
    const r = checkFormula({ id: 'scale', vars: { x: 'vector(n)' }, f: `${c}*(x'*x)`, wrt: 'x', grad: `4*${c}*x` });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis).toEqual({ kind: 'factor', detail: 'off by a constant factor: the correct value is 1/2 times the claim', factor: 0.5 });
  });

  it('a vector wrong in a few entries is wrong "at" them, not "in column 1" (every entry of a vector is)', () => {
    // sign(x) is wrong where x < 0 (relu's slope is 0 there): localized when under half of the 6 entries are negative.
    let localized = 0;
    for (const seed of SEEDS) {
      const r = checkFormula({ id: 'relu', vars: { x: 'vector(n)' }, dims: { n: 6 }, f: 'sum(relu(x))', wrt: 'x', grad: 'sign(x)' }, { seed });
      expect(r.verdict).toBe('fail');
      if (r.diagnosis?.kind !== 'localized') continue;
      localized++;
      expect(r.diagnosis.detail).toMatch(/^correct except at d\/dx\[\d\](, d\/dx\[\d\])*$/);
    }
    expect(localized).toBeGreaterThan(10);
    const row = checkFormula({ id: 'relu-row', vars: { x: 'vector(n)' }, dims: { n: 6 }, f: 'sum(relu(x))', wrt: 'x', grad: "sign(x)'", layout: 'numerator' }, { seed: 1 });
    expect(row.diagnosis?.detail ?? '').not.toMatch(/row 1/);
  });
});

describe('agreement on zeros alone is not localized', () => {
  it('a diagonal Jacobian wrong in every nonzero entry is not "correct except on the diagonal"', () => {
    for (const seed of SEEDS.slice(0, 5)) {
      const r = checkFormula({ id: 'sin', vars: { x: 'vector(n)' }, f: 'sin(x)', wrt: 'x', jacobian: 'diag(sin(x))' }, { seed });
      expect(r.verdict).toBe('fail');
      expect(r.diagnosis).toBeNull();
    }
    // Where the agreeing entries carry the derivative, it still is.
    const d = checkFormula({ id: 'tr', vars: { X: 'matrix(n,n)' }, f: 'tr(X*X)', wrt: 'X', grad: "2*X' + eye(n)" }, { seed: '1' });
    expect(d.diagnosis?.detail).toMatch(/^correct except on the diagonal/);
  });
});

describe('a square claim transposed and off by a factor too', () => {
  const row = (grad: string): FormulaRow => ({ id: 'axb', vars: { X: 'matrix(n,n)', a: 'vector(n)', b: 'vector(n)' }, f: "a'*X*b", wrt: 'X', grad });
  it.each([
    ["-b*a'", { kind: 'transposed', detail: 'transposed and of the wrong sign: the correct value is minus the claim, transposed', factor: -1 }],
    ["2*b*a'", { kind: 'transposed', detail: 'transposed and off by a constant factor: the correct value is 1/2 times the claim, transposed', factor: 0.5 }],
  ])('%s for a*b\' is named (neither repair alone passes)', (grad, diagnosis) => {
    for (const seed of SEEDS.slice(0, 5)) {
      const r = checkFormula(row(grad), { seed });
      expect(r.verdict).toBe('fail');
      expect(r.diagnosis).toEqual(diagnosis);
    }
  });

  it('a factor that is no simple one is not guessed', () => {
    expect(checkFormula(row("3*b*a'"), { seed: '1' }).diagnosis).toBeNull();
  });
});

describe('a claim of thousands of terms', () => {
  it('is diagnosed without overflowing the stack (the factor-order walk stops 200 levels down)', () => {
    const n = 4000;
    const f = Array.from({ length: n }, () => 'tr(A*X*B)').join('+');
    const grad = [...Array.from({ length: n - 1 }, () => "A'*B'"), "B'*A'"].join('+');
    const r = checkFormula({ id: 'long', vars: { A: 'matrix(n,n)', X: 'matrix(n,n)', B: 'matrix(n,n)' }, f, wrt: 'X', grad, trials: 1 });
    expect(r.verdict).toBe('fail');
    expect(r.message).toMatch(/^relative error .* exceeds the tolerance/);
  }, 20_000);
});

describe('the advice of a symmetric-only diagnosis', () => {
  const symOnly = /^holds only for symmetric (\w+): it passes when \1 is sampled symmetric, but \1 is matrix\(\w+,\w+\)/;
  it("says to use the symmetric part only where that repairs the claim (f depends on nothing but it, as x'Qx)", () => {
    const r = checkFormula({ id: 'd', ...quad, grad: '2*Q*x' });
    expect(r.diagnosis).toEqual({ kind: 'symmetric-only', detail: "holds only for symmetric Q: it passes when Q is sampled symmetric, but Q is matrix(n,n); for a general Q use its symmetric part (Q+Q')/2" });
  });

  it.each([
    // Matrix Cookbook (94): the typo x'BBx for x'B'Bx; B enters f as B'B, not through its symmetric part.
    ['Cookbook (94)', { vars: { x: 'vector(n)', A: 'matrix(m,n)', B: 'matrix(n,n)' }, f: '((A*x)\'*(A*x))/((B*x)\'*(B*x))', wrt: 'x', grad: "2*A'*A*x/(x'*B*B*x) - 2*(x'*A'*A*x)*B'*B*x/(x'*B'*B*x)^2" }],
    // Matrix Cookbook (127): A inside inv(A + X'CX).
    ['Cookbook (127)', { vars: { X: 'matrix(m,n)', A: 'matrix(n,n)', C: 'symmetric(m)', B: 'symmetric(m)' }, f: "tr(inv(A + X'*C*X)*(X'*B*X))", wrt: 'X', grad: "-2*C*X*inv(A + X'*C*X)*X'*B*X*inv(A + X'*C*X) + 2*B*X*inv(A + X'*C*X)" }],
    // A missing transpose in a differential: tr(A'dX) for tr(A dX); (A+A')/2 would not repair it.
    ["tr(A'dX) for tr(A X)", { vars: { A: 'matrix(n,n)', X: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', differential: "tr(A'*dX)" }],
  ] as [string, FormulaRow][])('%s: no "use its symmetric part", which would be a wrong repair', (_, row) => {
    const r = checkFormula({ id: 'd', ...row });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis?.kind).toBe('symmetric-only');
    expect(r.diagnosis!.detail).toMatch(new RegExp(symOnly.source + '$'));
    // The advice, had it been given, is wrong: the claim with the symmetric part substituted fails.
    const name = symOnly.exec(r.diagnosis!.detail)![1];
    const type = 'grad' in row ? 'grad' : 'differential';
    const substituted = String(row[type]).replace(new RegExp(`\\b${name}\\b`, 'g'), `((${name}+${name}')/2)`);
    expect(checkFormula({ id: 'd', ...row, [type]: substituted }).verdict).toBe('fail');
  });
});
