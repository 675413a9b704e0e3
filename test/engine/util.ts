// Shared test utilities: seeded random data and the relative-difference measure.
import seedrandom from 'seedrandom';

export type Rng = () => number;

export function rng(seed: string): Rng {
  return seedrandom(seed);
}

/** len uniform numbers in [lo, hi). */
export function randArray(r: Rng, len: number, lo = -1, hi = 1): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** norm(a - b) / max(norm(a), norm(b)); 0 when both are 0. NaN when either holds NaN. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? norm(d) : norm(d) / scale;
}

/** Sizes that are not multiples of 2 or 4, plus some that are. */
export const SIZES = [1, 2, 3, 4, 5, 7, 8, 13, 17];

/** Shapes (m, n) including 1x1, 1xn, nx1 and non-square ones. */
export const SHAPES: [number, number][] = [
  [1, 1], [1, 5], [5, 1], [1, 17], [17, 1], [2, 3], [3, 2], [4, 4], [7, 13], [13, 7], [8, 8], [17, 5], [16, 17],
];
