// Judging one comparison of numerical against claimed values (spec section
// 5): relative error with a denominator that never floors at anything but the
// smallest normal double, a tolerance derived from the finite-difference
// error estimate, and the decision to draw again when the estimate is noisy.
import type { Trial } from '../run/trial.js';

/** The smallest normal double: the only floor in the relative error. */
export const TINY = 2.2250738585072014e-308;
/** The tolerance never goes below this (f64 rounding in f and the claim). */
export const TOLERANCE_FLOOR = 1e-9;
/** The tolerance is this many times the estimated relative error of the finite differences. */
export const SAFETY = 10;
/** Above this estimated relative error a trial is too noisy to judge: it is drawn again. */
export const NOISE_LIMIT = 1e-7;
/**
 * How far below a user's tolerance the estimated error of the differences
 * must be for them to be judged against it. Not SAFETY (10), the margin of
 * the derived tolerance: for f computed in float32 the actual error of the
 * differences was 8 to 21 times the estimate (the rounding of a staircase is
 * shared by the steps the estimate compares), so at tolerance / 10 a right
 * gradient failed; at tolerance / 100 it passed at every point tried.
 */
const USER_TOLERANCE_MARGIN = 100;

/**
 * Above this estimated relative error the differences are too noisy:
 * NOISE_LIMIT, or a hundredth of a looser user tolerance (a user who asks
 * for accuracy 1e-3 can have differences judged whose error is far below
 * that, though above what the default tolerance needs).
 */
export function noiseLimit(tolerance: number | undefined, measured = false): number {
  // With f's noise measured, the estimate is no longer 8 to 21 times short:
  // the derived tolerance's own margin (SAFETY) is enough.
  return tolerance === undefined ? NOISE_LIMIT : Math.max(NOISE_LIMIT, tolerance / (measured ? SAFETY : USER_TOLERANCE_MARGIN));
}
/** `equals` claims compare two evaluations, no finite differences. */
export const EQUALS_TOLERANCE = 1e-9;

/**
 * The smallest relative error the check can tell from its own error: 10
 * times the finite differences' estimate, never below f64 rounding in f and
 * the claim (the default tolerance).
 */
export function resolvable(differenced: boolean, fdRelErr: number): number {
  return differenced ? Math.max(TOLERANCE_FLOOR, SAFETY * fdRelErr) : EQUALS_TOLERANCE;
}

/** Why a check that failed only a tolerance below `floor` (resolvable) is an error, and what to do. */
export function unresolvedMessage(what: string, tolerance: number, relErr: number, trial: number, floor: number): string {
  return `the tolerance ${tolerance.toExponential(2)} is below what this check resolves here: ${what} is off by ${relErr.toExponential(2)} (relative) in trial ${trial + 1}, within ${floor.toExponential(2)}, the smallest difference it can tell from its own error. Use a tolerance of at least ${floor.toExponential(1)}, or leave the tolerance out.`;
}

export interface Judgement {
  relErr: number;
  tolerance: number;
  /** Estimated relative error of the numerical values (0 without finite differences). */
  fdRelErr: number;
  /** The values were compared with finite differences (not an `equals` claim). */
  differenced: boolean;
  /** The numerical values cannot be trusted at this point: draw again. */
  noisy: boolean;
  pass: boolean;
  numNorm: number;
  claimNorm: number;
}

/**
 * Compares `len` numerical values at `num` with claimed values at `claim`
 * (byte addresses in the trial's memory); `err` holds the error estimates,
 * or 0 for an exact comparison (`noiseMeasured`: raised where f's noise was
 * measured to exceed them). Only the trial's engine and memory are used,
 * so checkGradient (no compiled program) judges with the same function.
 */
export function judge(trial: Pick<Trial, 'engine' | 'memory'>, num: number, claim: number, err: number, len: number, userTolerance?: number, noiseMeasured = false): Judgement {
  const ex = trial.engine.exports;
  const out = trial.memory.alloc(8 * 5);
  ex.compare(num, claim, len, out);
  const f64 = trial.memory.f64;
  const diff = f64[out >>> 3];
  const numNorm = f64[(out >>> 3) + 1];
  const claimNorm = f64[(out >>> 3) + 2];
  const scale = Math.max(numNorm, claimNorm, TINY);
  const relErr = diff / scale;
  // The estimate is relative to the larger side (the spec's "values are
  // tiny" is both sides): a numerical derivative of exactly 0 (f did not
  // change at any step) with an error estimate of rounding size still refutes
  // a claim of size 1. Both sides exactly 0 is agreement, not noise.
  // And when f did not change at any step (numerical exactly 0), a claim
  // above SAFETY times the rounding estimate is refuted, however small.
  const bothZero = numNorm === 0 && claimNorm === 0;
  const errNorm = err ? ex.norm2(err, len) : 0;
  const refutesZero = numNorm === 0 && claimNorm > SAFETY * errNorm;
  const fdRelErr = err && !bothZero ? errNorm / scale : 0;
  const tolerance = userTolerance ?? resolvable(err !== 0, fdRelErr);
  const noisy = err !== 0 && !refutesZero && !(fdRelErr <= noiseLimit(userTolerance, noiseMeasured));
  return { relErr, tolerance, fdRelErr, differenced: err !== 0, noisy, pass: !noisy && relErr <= tolerance, numNorm, claimNorm };
}
