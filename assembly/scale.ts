// Exact scaling by powers of two, for sums of squares and products that must
// neither overflow nor underflow (norm2, the fitted factor, the measured noise).

/** 2^e for -1022 <= e <= 1023, exactly. */
// @ts-ignore: decorator
@inline export function pow2(e: i32): f64 {
  return reinterpret<f64>(<u64>(e + 1023) << 52);
}

/** The binary exponent of a finite positive m (-1023 for a subnormal one). */
// @ts-ignore: decorator
@inline export function exponentOf(m: f64): i32 {
  return <i32>((reinterpret<u64>(m) >> 52) & 0x7ff) - 1023;
}
