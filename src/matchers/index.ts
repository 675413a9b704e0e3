// The matchers, independent of any test runner: `matchers` for
// expect.extend (vitest or jest), registerMatchers(expect), and their types.
// src/vitest.ts registers them with vitest and augments vitest's types.
import { MatcheckError } from '../errors.js';
import type { GradientFunction, GradientReturn } from '../gradient/check.js';
import type { Convention, Layout } from '../row.js';
import { installAsymmetric } from './asymmetric.js';
import { formulaMatcher, type FormulaMatcherOptions, type MatcherOutcome } from './formula.js';
import { toMatchGradient, type GradientMatcherOptions } from './gradient.js';

export type { FormulaMatcherOptions, FormulaSubject, MatcherOutcome } from './formula.js';
export type { GradientMatcherOptions } from './gradient.js';

type MatcherFn = (this: unknown, received: unknown, ...args: unknown[]) => MatcherOutcome;

/** The matchers, for `expect.extend(matchers)` in vitest or jest. */
export const matchers = {
  /** expect({ f, wrt, vars }).toHaveGradient("A'*B'"): the gradient claim holds. */
  toHaveGradient: formulaMatcher('grad', 'toHaveGradient'),
  /** expect({ f, wrt, vars }).toHaveJacobian("..."): the Jacobian claim holds. */
  toHaveJacobian: formulaMatcher('jacobian', 'toHaveJacobian'),
  /** expect({ f, wrt, vars }).toHaveDifferential("-inv(X)*dX*inv(X)"): the differential claim holds. */
  toHaveDifferential: formulaMatcher('differential', 'toHaveDifferential'),
  /** expect({ f, wrt, vars }).toHaveHessian("Q+Q'"): the Hessian claim holds. */
  toHaveHessian: formulaMatcher('hessian', 'toHaveHessian'),
  /** expect({ f, vars }).toEqualFormula("..."): f and the claim are equal everywhere. */
  toEqualFormula: formulaMatcher('equals', 'toEqualFormula'),
  /** expect(loss).toMatchGradient(lossGrad, { at: x0 }): JavaScript gradient code agrees with finite differences of loss. */
  toMatchGradient,
} satisfies Record<string, MatcherFn>;

/** Anything with jest's or vitest's `expect.extend`. */
export interface Extendable {
  extend(matchers: Record<string, any>): void;
}

/**
 * Registers the matchers: registerMatchers(expect), for vitest's or jest's
 * expect. Returns the same expect. Unlike expect.extend(matchers) alone, its
 * asymmetric matchers (expect.toHaveGradient(...) inside toEqual) say in the
 * diff why they failed. Throws MatcheckError (E_USAGE) for anything without
 * an extend method.
 */
export function registerMatchers<E extends Extendable>(expect: E): E {
  checkExpect(expect);
  expect.extend(matchers);
  installAsymmetric(expect, matchers);
  return expect;
}

function checkExpect(expect: unknown): void {
  const isObject = (typeof expect === 'object' && expect !== null) || typeof expect === 'function';
  if (isObject && typeof (expect as Partial<Extendable>).extend === 'function') return;
  const got = expect === null ? 'null' : expect === undefined ? 'nothing' : isObject ? 'one without an extend method' : `a ${typeof expect}`;
  throw new MatcheckError({
    code: 'E_USAGE',
    stage: 'usage',
    field: 'expect',
    message: `registerMatchers takes a test runner's expect (it calls expect.extend), got ${got}`,
    hint: "pass vitest's or jest's expect: registerMatchers(expect); with vitest, import 'matcheck/vitest' does it for you",
  });
}

type FormulaMatcher<R> = (claim: string, options?: FormulaMatcherOptions) => R;

/** A literal type that survived (as const, a typed variable) is one of Allowed; a widened string is checked at run time. */
type LiteralIn<V, Allowed> = string extends V ? true : [V] extends [Allowed | undefined] ? true : false;

/**
 * T can be a formula subject: f, and fields of the types a row takes.
 * expect<T>() widens `layout: 'num'` in an object literal to string, so a
 * layout or convention is checked only where its literal type survives.
 */
type IsSubject<T> = [T] extends [{ f: string; wrt?: string; vars?: Record<string, string>; dims?: Record<string, number>; seed?: string | number; trials?: number; tolerance?: number }]
  ? [T extends { layout: infer L } ? LiteralIn<L, Layout> : true, T extends { convention: infer C } ? LiteralIn<C, Convention> : true] extends [true, true]
    ? true
    : false
  : false;

/** ...and has wrt, as a derivative claim needs (a FormulaSubject, whose wrt is optional, is checked at run time). */
type HasWrt<T> = 'wrt' extends keyof T ? true : false;

/** `any` (an untyped value) is given every matcher, as before. */
type IsAny<T> = 0 extends 1 & T ? true : false;

type Derivative<T, R> = IsAny<T> extends true ? FormulaMatcher<R> : [IsSubject<T>, HasWrt<T>] extends [true, true] ? FormulaMatcher<R> : never;

/** The matchers' signatures on `expect(received)`, returning R; T is the received type. */
export interface MatcheckMatchers<T = unknown, R = void> {
  /** Needs wrt: expect({ f, wrt, vars }). */
  toHaveGradient: Derivative<T, R>;
  toHaveJacobian: Derivative<T, R>;
  toHaveDifferential: Derivative<T, R>;
  toHaveHessian: Derivative<T, R>;
  toEqualFormula: IsAny<T> extends true ? FormulaMatcher<R> : IsSubject<T> extends true ? FormulaMatcher<R> : never;
  toMatchGradient: T extends (...args: any[]) => unknown ? <G extends GradientReturn<G>>(grad: GradientFunction<G>, options: GradientMatcherOptions) => R : never;
}

/** The same as asymmetric matchers: expect.toHaveGradient(...) inside toEqual. */
export interface MatcheckAsymmetricMatchers {
  toHaveGradient(claim: string, options?: FormulaMatcherOptions): any;
  toHaveJacobian(claim: string, options?: FormulaMatcherOptions): any;
  toHaveDifferential(claim: string, options?: FormulaMatcherOptions): any;
  toHaveHessian(claim: string, options?: FormulaMatcherOptions): any;
  toEqualFormula(claim: string, options?: FormulaMatcherOptions): any;
  toMatchGradient<G extends GradientReturn<G>>(grad: GradientFunction<G>, options: GradientMatcherOptions): any;
}
