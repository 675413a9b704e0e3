// Checking JavaScript gradient code (issue 8): checkGradient and the matrices it exchanges.
export {
  checkGradient,
  GRADIENT_CLAIMS,
  type GradientCheckOptions,
  type GradientResult,
  type GradientClaim,
  type ObjectiveFunction,
  type GradientFunction,
  type GradientValue,
  type GradientReturn,
  type DerivativeBlock,
  type GradientWorstEntry,
} from './check.js';
export { mat, vec, fromRows, toRows, type Mat } from './matrix.js';
export type { Point, PointValue } from './values.js';
