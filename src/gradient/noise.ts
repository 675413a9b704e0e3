// When checkGradient's finite differences are too noisy to judge: where the
// cut-off lies (a tolerance of the user's own moves it), and what to do about
// it for each likely cause (a large constant term, a tiny f, f computed in
// single precision, a kink).
import { NOISE_LIMIT, noiseLimit } from '../verdict/judge.js';

/**
 * f's values are all single-precision numbers (at a random point a double is
 * one by chance with odds of 1 in 2^29), and some value uses float32's last
 * bits: a double rounded to a coarse grid by a cancelling constant ((1e11 +
 * x'*x) - 1e11 moves in steps of 2^-16) is float32-exact too, but uses fewer.
 */
export function isSinglePrecision(values: ArrayLike<number>): boolean {
  let fine = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Math.fround(v) !== v) return false;
    if (v !== 0 && Number.isFinite(v) && significantBits(v) >= FLOAT32_FINE_BITS) fine = true;
  }
  return fine;
}

/** Bits of a float32 value's 24 that a float32 result of arithmetic most often uses (7 in 8 use at least 22). */
const FLOAT32_FINE_BITS = 22;

/** How many significant bits a finite nonzero double's value takes (1 for a power of two, 53 at most). */
function significantBits(v: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  let mantissa = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (mantissa === 0n) return 1;
  let trailing = 0;
  while ((mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    trailing++;
  }
  return 53 - trailing;
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
