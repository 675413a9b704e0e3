// The one fused-or-not multiply-add every kernel uses.
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so the branch costs nothing.

/** c + a * b, lane-wise (fused in the `relaxed` build). */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** c - a * b, lane-wise (fused in the `relaxed` build). */
// @ts-ignore: decorator
@inline export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

/** Horizontal sum lane0 + lane1. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
