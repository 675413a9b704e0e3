// The matchers as asymmetric matchers (expect.toHaveGradient(...) inside
// toEqual): they match as the matchers do, and a failing one says in the diff
// why it failed, where the runners' own showed only `toHaveGradient<"B*A">`.
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { checkFormula } from '../../src/check/formula.js';
import { registerMatchers } from '../../src/index.js';
import { MatcheckAsymmetricMatcher } from '../../src/matchers/asymmetric.js';
import { failure } from './helpers.js';

registerMatchers(jestExpect);
const jestAsymmetric = jestExpect as unknown as Record<string, (...args: unknown[]) => unknown> & { not: Record<string, (...args: unknown[]) => unknown> };

const trAXB = { f: 'tr(A*X*B)', wrt: 'X', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' } };

/** The lines a failing toHaveGradient('B*A', { seed: 's2' }) on trAXB adds after its call. */
function transposedLines(): string[] {
  const r = checkFormula({ ...trAXB, grad: 'B*A', seed: 's2' });
  const { m, n, p } = r.dims;
  return [
    '  vars: A: matrix(p,m), X: matrix(m,n), B: matrix(n,p)',
    `  fail: ${r.message}`,
    `  diagnosis: ${r.diagnosis!.detail}`,
    `  seed s2, trial 1, sizes m=${m}, n=${n}, p=${p} (pass { seed: "s2" } to draw the same points)`,
  ];
}

describe("vitest's expect", () => {
  it('matches as the matcher does, with and without .not', () => {
    expect({ row: trAXB }).toEqual({ row: expect.toHaveGradient("A'*B'") });
    expect({ row: trAXB }).toEqual({ row: expect.not.toHaveGradient("2*A'*B'") });
    expect({ row: trAXB }).not.toEqual({ row: expect.toHaveGradient('B*A') });
  });

  it('a failing one prints why after its call: the error, the diagnosis, the seed (not where the values are: they are in no diff)', () => {
    const m = expect.toHaveGradient('B*A', { seed: 's2' }) as MatcheckAsymmetricMatcher;
    expect(m).toBeInstanceOf(MatcheckAsymmetricMatcher);
    expect(m.toAsymmetricMatcher()).toBe('toHaveGradient<"B*A", {"seed":"s2"}>');
    expect(m.asymmetricMatch(trAXB)).toBe(false);
    expect(m.toAsymmetricMatcher()).toBe(['toHaveGradient<"B*A", {"seed":"s2"}>, which fails:', ...transposedLines()].join('\n'));
    // A later match that succeeds forgets the failure.
    expect(m.asymmetricMatch({ ...trAXB, layout: 'numerator' })).toBe(true);
    expect(m.toAsymmetricMatcher()).toBe('toHaveGradient<"B*A", {"seed":"s2"}>');
  });

  it('.not that fails says that it passes', () => {
    const m = expect.not.toHaveGradient("A'*B'", { seed: 3 }) as MatcheckAsymmetricMatcher;
    expect(m.asymmetricMatch(trAXB)).toBe(false);
    const text = m.toAsymmetricMatcher();
    expect(text.split('\n')[0]).toBe('not.toHaveGradient<"A\'*B\'", {"seed":3}>, which passes:');
    expect(text).toMatch(/\n {2}pass: relative error \d\.\d\de-\d+ <= tolerance 1\.00e-9 in each of 3 trials\n/);
  });

  it('a formula that cannot be checked throws, as the matcher does', () => {
    const e = failure(() => expect({ row: trAXB }).toEqual({ row: expect.toHaveGradient("A'*") }));
    expect(e.message).toContain('toHaveGradient: the formula cannot be checked');
  });
});

describe("jest's expect, after registerMatchers", () => {
  it("the diff of toEqual shows why the asymmetric matcher failed (it showed only toHaveGradient<\"B*A\">)", () => {
    jestExpect({ row: trAXB }).toEqual({ row: jestAsymmetric.toHaveGradient("A'*B'") });
    jestExpect({ row: trAXB }).toEqual({ row: jestAsymmetric.not.toHaveGradient('B*A') });
    const e = failure(() => jestExpect({ row: trAXB }).toEqual({ row: jestAsymmetric.toHaveGradient('B*A', { seed: 's2' }) }));
    const lines = e.message.split('\n');
    expect(lines).toContain('-   "row": toHaveGradient<"B*A", {"seed":"s2"}>, which fails:');
    // The matcher's text stands in for the value, so its last line takes the object's comma.
    const why = transposedLines();
    const at = lines.indexOf('-   "row": toHaveGradient<"B*A", {"seed":"s2"}>, which fails:');
    expect(lines.slice(at + 1, at + 1 + why.length)).toEqual(why.map((line, i) => `- ${line}${i === why.length - 1 ? ',' : ''}`));
  });
});
