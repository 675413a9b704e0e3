// A matcher called wrongly (an option, what expect() received, a missing wrt
// or point) throws a MatcheckError as checkFormula's options do: E_USAGE, the
// field, a hint, and a message that names the matcher and carries the hint
// (a runner shows only the message). They were TypeErrors, except a bad
// option value, which surfaced as a row error of "the formula cannot be checked".
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { isMatcheckError, matchers, registerMatchers, type MatcheckError } from '../../src/index.js';
import { leastSquares, leastSquaresGrad } from '../gradient/functions.js';

jestExpect.extend(matchers);

type Loose = Record<string, (...args: unknown[]) => void> & { not: Record<string, (...args: unknown[]) => void> };
const runners = {
  vitest: (received: unknown) => expect(received) as unknown as Loose,
  jest: (received: unknown) => jestExpect(received) as unknown as Loose,
};

const trAXB = { f: 'tr(A*X*B)', wrt: 'X', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' } };
const LS = { A: 'matrix(5,3)', x: 'vector(3)', b: 'vector(5)' };

/** What a matcher call threw: it must be a MatcheckError. */
function usageError(call: () => void): MatcheckError {
  try {
    call();
  } catch (e) {
    if (isMatcheckError(e)) return e;
    throw new Error(`expected a MatcheckError, got ${String(e)}`);
  }
  throw new Error('the matcher threw nothing');
}

interface Case {
  name: string;
  call: (x: (received: unknown) => Loose) => void;
  field: string;
  message: string;
  hint?: string;
}

const cases: Case[] = [
  { name: 'a misspelt option', call: (x) => x(trAXB).toHaveGradient("A'*B'", { sead: 1 }), field: 'options.sead', message: "toHaveGradient: unknown option 'sead'", hint: "did you mean 'seed'?" },
  { name: 'an option of checkFormula the matchers do not take', call: (x) => x(trAXB).toHaveGradient("A'*B'", { engine: {} }), field: 'options.engine', message: "toHaveGradient: unknown option 'engine'", hint: 'the options are seed, trials, tolerance, mode' },
  { name: 'options that are no object', call: (x) => x(trAXB).toHaveGradient("A'*B'", 5), field: 'options', message: 'toHaveGradient: options must be an object, got 5', hint: 'e.g. { seed: 1, trials: 3 }' },
  { name: 'a bad trials (was a row error inside "the formula cannot be checked")', call: (x) => x(trAXB).toHaveGradient("A'*B'", { trials: 0 }), field: 'options.trials', message: 'toHaveGradient: trials must be an integer from 1 to 1000, got 0' },
  { name: 'a bad seed (was attributed to the row field seed)', call: (x) => x(trAXB).toHaveGradient("A'*B'", { seed: NaN }), field: 'options.seed', message: 'toHaveGradient: seed must be a non-blank string or a finite number, got NaN' },
  {
    name: 'a number as the formula',
    call: (x) => x(42).toHaveGradient('x'),
    field: 'received',
    message: 'toHaveGradient: expect() takes a formula such as { f: "tr(A*X*B)", wrt: "X", vars: { X: "matrix(m,n)" } }, got the number 42',
    hint: 'expect({ f: "tr(A*X*B)", wrt: "X", vars: { X: "matrix(m,n)" } }).toHaveGradient(...)',
  },
  { name: 'a formula without f', call: (x) => x({ wrt: 'X' }).toHaveJacobian('A'), field: 'f', message: 'toHaveJacobian: the formula needs f, the function as a formula in a string, got undefined', hint: 'e.g. expect({ f: "tr(A*X*B)", wrt: "X", vars: { X: "matrix(m,n)" } })' },
  { name: 'a formula without wrt', call: (x) => x({ f: 'tr(X)' }).toHaveGradient('eye(n)'), field: 'wrt', message: 'toHaveGradient: the formula needs wrt, the name of the variable to differentiate with respect to', hint: 'e.g. expect({ f: "tr(X)", wrt: "X" })' },
  { name: 'a wrt that is no name', call: (x) => x({ f: 'tr(X)', wrt: 5 }).toHaveDifferential('tr(dX)'), field: 'wrt', message: 'toHaveDifferential: the formula needs wrt, the name of the variable to differentiate with respect to, got the number 5', hint: 'e.g. expect({ f: "tr(X)", wrt: "X" })' },
  { name: 'a claim that is no string', call: (x) => x(trAXB).toHaveGradient(1), field: 'claim', message: 'toHaveGradient: the claim must be a formula in a string, got the number 1', hint: `e.g. toHaveGradient("A'*B'")` },
  { name: '.not: the same error', call: (x) => x(trAXB).not.toHaveGradient("A'*B'", { tolerence: 1e-3 }), field: 'options.tolerence', message: "toHaveGradient: unknown option 'tolerence'", hint: "did you mean 'tolerance'?" },
  {
    name: 'toMatchGradient: a formula instead of a function',
    call: (x) => x('loss').toMatchGradient(leastSquaresGrad, { at: LS }),
    field: 'received',
    message: 'toMatchGradient: expect() takes the function whose gradient is checked, got the string "loss"',
    hint: 'e.g. expect(loss).toMatchGradient(lossGrad, { at: { X: "matrix(3,4)" } })',
  },
  { name: 'toMatchGradient: a gradient that is no function', call: (x) => x(leastSquares).toMatchGradient(3, { at: LS }), field: 'grad', message: 'toMatchGradient: the first argument is the gradient function, got the number 3', hint: 'e.g. expect(loss).toMatchGradient(lossGrad, { at: { X: "matrix(3,4)" } })' },
  { name: 'toMatchGradient: no point', call: (x) => x(leastSquares).toMatchGradient(leastSquaresGrad, { wrt: 'x' }), field: 'options.at', message: 'toMatchGradient: the options need at, the point to check at', hint: '{ at: { X: "matrix(3,4)" } } (kinds to sample) or { at: [X0, Y0] } (matrices)' },
  { name: 'toMatchGradient: no options at all', call: (x) => x(leastSquares).toMatchGradient(leastSquaresGrad), field: 'options.at', message: 'toMatchGradient: the options need at, the point to check at', hint: '{ at: { X: "matrix(3,4)" } } (kinds to sample) or { at: [X0, Y0] } (matrices)' },
  { name: 'toMatchGradient: a misspelt option', call: (x) => x(leastSquares).toMatchGradient(leastSquaresGrad, { at: LS, wtr: 'x' }), field: 'options.wtr', message: "toMatchGradient: unknown option 'wtr'", hint: "did you mean 'wrt'?" },
  { name: 'toMatchGradient: a bad trials (was "the gradient cannot be checked")', call: (x) => x(leastSquares).toMatchGradient(leastSquaresGrad, { at: LS, trials: 1.5 }), field: 'options.trials', message: 'toMatchGradient: trials must be an integer from 1 to 1000, got 1.5' },
];

describe.each(Object.entries(runners))("matcher usage errors under %s's expect", (_, x) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const e = usageError(() => c.call(x));
    expect(e.code).toBe('E_USAGE');
    expect(e.stage).toBe('usage');
    expect(e.field).toBe(c.field);
    expect(e.hint).toBe(c.hint);
    // The message alone says it all: what a runner prints.
    expect(e.message).toBe(c.hint ? `${c.message}\n  = hint: ${c.hint}` : c.message);
  });
});

describe('registerMatchers', () => {
  it.each([
    ['null', null, 'got null'],
    ['nothing', undefined, 'got nothing'],
    ['an object without extend', {}, 'got one without an extend method'],
    ['a string', 'vitest', 'got a string'],
  ])('refuses %s (a TypeError before)', (_, value, got) => {
    const e = usageError(() => registerMatchers(value as never));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('expect');
    expect(e.message).toBe(`registerMatchers takes a test runner's expect (it calls expect.extend), ${got}`);
    expect(e.hint).toBe("pass vitest's or jest's expect: registerMatchers(expect); with vitest, import 'matcheck/vitest' does it for you");
  });
});
