// When checkGradient's finite differences are too noisy to judge: where the
// cut-off lies (a tolerance of the user's own moves it), and what to do about
// it for each likely cause (a large constant term, a tiny f, f computed in
// single precision, a kink).
import { NOISE_LIMIT, type Judgement } from '../verdict/judge.js';

/**
 * How far below a user's tolerance the estimated error of the differences
 * must be for them to be judged against it. Not SAFETY (10), the margin of
 * the derived tolerance: for f computed in float32 the actual error of the
 * differences was 8 to 21 times the estimate (the rounding of a staircase is
 * shared by the steps the estimate compares), so at tolerance / 10 a right
 * gradient failed; at tolerance / 100 it passed at every point tried.
 */
export const USER_TOLERANCE_MARGIN = 100;

/** Above this estimated relative error the differences are too noisy: NOISE_LIMIT, or a hundredth of a looser user tolerance. */
export function noiseLimit(tolerance: number | undefined): number {
  return tolerance === undefined ? NOISE_LIMIT : Math.max(NOISE_LIMIT, tolerance / USER_TOLERANCE_MARGIN);
}

/**
 * The judge's verdict with the noise cut-off of `tolerance`: a user who asks
 * for accuracy 1e-3 can have differences judged whose error is far below
 * that, though above what the default tolerance needs.
 */
export function withNoiseLimit(j: Judgement, tolerance: number | undefined): Judgement {
  if (!j.noisy || tolerance === undefined) return j;
  const noisy = !(j.fdRelErr <= noiseLimit(tolerance));
  return { ...j, noisy, pass: !noisy && j.relErr <= j.tolerance };
}

/** f's values are all single-precision numbers (at a random point a double is one by chance with odds of 1 in 2^29). */
export function isSinglePrecision(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]) !== values[i]) return false;
  return values.length > 0;
}

/** A number as messages print limits: 1e-7, 1.5e-5. */
export const sci = (x: number): string => x.toExponential(2).replace(/\.?0+e/, 'e');

/** What made the differences noisy, as far as can be told, and what to do (a clause, to follow a semicolon or start a sentence). */
export function noiseAdvice(float32: boolean, tolerance: number | undefined): string {
  if (float32) {
    const needs = tolerance === undefined ? `the default tolerance needs (${sci(NOISE_LIMIT)})` : `the tolerance ${sci(tolerance)} needs (an estimated error below ${sci(noiseLimit(tolerance))}, a hundredth of it)`;
    return `the values f returned are single precision (float32), whose finite differences are far less accurate than ${needs}: check float32 code with a tolerance it can meet, about 1e-3, or compute f in double precision`;
  }
  const precision =
    tolerance === undefined
      ? 'if f computes in single precision, pass a tolerance it can meet, about 1e-3'
      : `the tolerance ${sci(tolerance)} judges differences only when their estimated error is below ${sci(noiseLimit(tolerance))}, a hundredth of it`;
  return `if f has a large constant term, drop it (it does not change the gradient); if f is tiny, scale it up; if f has a kink (abs, max, relu) or varies very fast near the point, check it away from there; ${precision}`;
}
