// `import 'matcheck/vitest'` (in a test file or a setupFiles entry): registers
// matcheck's matchers with vitest's expect and adds them to vitest's types.
//
//   expect({ f: 'tr(A*X*B)', wrt: 'X', vars }).toHaveGradient("A'*B'");
//   expect(loss).toMatchGradient(lossGrad, { at: { W: 'matrix(3,4)' } });
//
// The same matchers work with jest: expect.extend(matchers) (also exported by 'matcheck').
// The side-effect import stays in dist/vitest.d.ts (the named one is dropped from it): without it,
// a test file that imports 'matcheck/vitest' before 'vitest' gets none of the types below.
import 'vitest';
import { expect } from 'vitest';
import { registerMatchers, type MatcheckAsymmetricMatchers, type MatcheckMatchers } from './matchers/index.js';

registerMatchers(expect);

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MatcheckMatchers<T, void> {}
  interface AsymmetricMatchersContaining extends MatcheckAsymmetricMatchers {}
}

export { matchers, registerMatchers } from './matchers/index.js';
export type { MatcheckMatchers, MatcheckAsymmetricMatchers, FormulaMatcherOptions, FormulaSubject, GradientMatcherOptions, MatcherOutcome } from './matchers/index.js';
