// Concrete sizes for dimension symbols (spec section 2): drawn at random,
// distinct from each other and from the sizes fixed by `dims:`, so that a
// transposition mistake cannot hide behind a square shape.
import { MatcheckError } from '../errors.js';
import type { Rng } from './rng.js';

export interface SizeRange {
  min: number;
  max: number;
}

export const DEFAULT_SIZE_RANGE: SizeRange = { min: 2, max: 7 };

function fail(message: string): never {
  throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message });
}

/**
 * Sizes for `symbols`. A symbol in `fixed` keeps its value; every other one
 * gets a size in [min, max] that no other symbol has and that no value of
 * `fixed` has (all of `fixed`, including entries for symbols not listed).
 * Fixed values may repeat among themselves: that is the user's choice.
 *
 * When [min, max] holds fewer free values than there are symbols to draw,
 * max is raised just far enough (one value at a time) to hold them all, so
 * the answer always exists; the extra sizes are the smallest that fit.
 *
 * Symbols are drawn in sorted order, each taking a uniform pick from the
 * values still free, so the answer depends only on the set of symbols,
 * `fixed`, the range and the generator's state.
 */
export function drawSizes(
  symbols: readonly string[],
  fixed: Readonly<Record<string, number>>,
  rng: Rng,
  range: SizeRange = DEFAULT_SIZE_RANGE,
): Record<string, number> {
  const { min, max } = range;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 1 || max < min) {
    fail(`the size range [${min}, ${max}] must hold positive integers with min <= max`);
  }
  for (const symbol in fixed) {
    const value = fixed[symbol];
    if (Object.hasOwn(fixed, symbol) && (!Number.isSafeInteger(value) || value < 1)) fail(`the size of '${symbol}' must be a positive integer, got ${value}`);
  }
  const sorted = sortedUnique(symbols);
  const toDraw = sorted.filter((s) => !Object.hasOwn(fixed, s));
  // Every size fixed (the common case of a row with dims): nothing to draw.
  if (toDraw.length === 0) {
    const sizes: Record<string, number> = {};
    for (const s of sorted) sizes[s] = fixed[s];
    return sizes;
  }
  const taken = new Set(Object.values(fixed));

  const pool: number[] = [];
  for (let v = min; v <= max; v++) if (!taken.has(v)) pool.push(v);
  for (let v = max + 1; pool.length < toDraw.length; v++) if (!taken.has(v)) pool.push(v);

  const drawn = new Map<string, number>();
  for (const s of toDraw) {
    // Draw without replacement: take a random free value, move the last into its place.
    const i = rng.int(0, pool.length - 1);
    drawn.set(s, pool[i]);
    pool[i] = pool[pool.length - 1];
    pool.pop();
  }
  const sizes: Record<string, number> = {};
  for (const s of sorted) sizes[s] = drawn.get(s) ?? fixed[s];
  return sizes;
}

/** The symbols sorted, each once (callers usually pass them so already). */
function sortedUnique(symbols: readonly string[]): readonly string[] {
  for (let i = 1; i < symbols.length; i++) if (!(symbols[i - 1] < symbols[i])) return [...new Set(symbols)].sort();
  return symbols;
}
