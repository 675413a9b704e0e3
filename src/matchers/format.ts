// Text and values for matcher failures: numbers short enough to read but
// long enough to show the difference, and matrices as nested arrays so that
// a test runner's diff lines them up entry by entry.
import type { WorstEntry } from '../verdict/result.js';

/** Significant digits that show a relative difference of `relErr`: two more than it takes, at least 4. */
export function digitsFor(relErr: number | null): number {
  if (relErr === null || !(relErr > 0) || !Number.isFinite(relErr)) return 6;
  return Math.min(15, Math.max(4, Math.ceil(-Math.log10(relErr)) + 2));
}

export const round = (x: number, digits: number): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/** The most entries a matrix may have to be shown whole in a diff. */
export const MAX_SHOWN = 100;

/** A block as a number (1 x 1), a list (a column vector) or a list of rows. */
export function shaped(data: ArrayLike<number>, rows: number, cols: number, digits: number): number | number[] | number[][] {
  if (rows * cols === 1) return round(data[0], digits);
  if (cols === 1) return Array.from({ length: rows }, (_, i) => round(data[i], digits));
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => round(data[i + j * rows], digits)));
}

/** The worst entries by name, for a block too large to show whole. */
export function worstAsObject(worst: readonly WorstEntry[], side: 'claimed' | 'numerical', digits: number): Record<string, number> {
  return Object.fromEntries(worst.map((w) => [w.entry, round(w[side], digits)]));
}

export function num(x: number, digits = 10): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x);
}

export function worstLine(worst: readonly WorstEntry[]): string | undefined {
  if (worst.length === 0) return undefined;
  const [w, ...rest] = worst;
  const more = rest.length ? `; next ${rest.map((r) => `${r.entry} (claimed ${num(r.claimed, 6)}, numerical ${num(r.numerical, 6)})`).join(', ')}` : '';
  return `worst entry ${w.entry}: claimed ${num(w.claimed)}, numerical ${num(w.numerical)}${more}`;
}

export function sizesText(dims: Record<string, number>): string {
  const e = Object.entries(dims);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(', ') : '';
}

export const errorText = (relErr: number | null, tolerance: number | null, pass: boolean): string =>
  relErr === null || tolerance === null ? 'no trial was judged' : `relative error ${relErr.toExponential(2)} ${pass ? '<=' : '>'} tolerance ${tolerance.toExponential(2)}`;

export const indent = (lines: readonly (string | undefined)[]): string =>
  lines
    .filter((l): l is string => l !== undefined)
    .map((l) => `  ${l.replace(/\n/g, '\n  ')}`)
    .join('\n');

/**
 * The line that says where a failure's whole values are. Both runners keep a
 * matcher's actual and expected, but only vitest shows them (as a diff);
 * jest puts them in the error's matcherResult and prints the message alone.
 */
export const valuesNote = (actual: string, expected: string): string =>
  `actual: ${actual} at that point, expected: ${expected} (vitest shows the two as a diff; jest keeps them in the error's matcherResult)`;
