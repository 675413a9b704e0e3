// What mat, vec, fromRows and toRows accept, and how they say what is wrong
// with anything else: a MatcheckError naming the argument and the entry
// (its index, or its row and column), never a silent 0 or NaN (Float64Array
// reads null as 0 and 'a' as NaN) nor a bare TypeError or RangeError.
import { MatcheckError } from '../errors.js';

/** A few words on a value that is not a number or not a list of them. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (Array.isArray(v)) return v.length ? `an array of ${v.length} items` : 'an empty array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function matrixError(fn: string, message: string, field: string, hint?: string): MatcheckError {
  return new MatcheckError({ code: 'E_USAGE', stage: 'usage', message: `${fn}: ${message}`, field, hint });
}

/** A row or column count: a positive safe integer. */
export function readSize(fn: string, name: 'rows' | 'cols', v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  throw matrixError(fn, `${name} must be a positive integer, got ${valueText(v)}`, name, fn === 'mat' ? 'mat(rows, cols, data) builds a rows x cols matrix' : undefined);
}

/** A list as given: an array, an array-like object, or a typed array of numbers (not BigInt64Array, not a DataView); its entries are checked apart. */
export function isNumberList(v: unknown): v is ArrayLike<unknown> {
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
  if (Array.isArray(v)) return true;
  const length = typeof v === 'object' && v !== null ? (v as { length?: unknown }).length : undefined;
  return typeof length === 'number' && Number.isSafeInteger(length) && length >= 0;
}

/**
 * Why `list` is not all numbers (the first entry that is not one), or
 * undefined. NaN and Infinity are numbers: f returns NaN outside its domain
 * that way, and checkGradient refuses a point that holds one, naming it.
 */
export function badEntry(list: ArrayLike<unknown>): { index: number; text: string; hint: string } | undefined {
  if (ArrayBuffer.isView(list)) return undefined;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v === 'number') continue;
    const hint =
      typeof v === 'string'
        ? 'entries must be numbers: convert text with Number() first'
        : v === null || v === undefined
          ? `entries must be numbers: is one missing? (JSON also writes NaN and Infinity as null)`
          : 'entries must be numbers';
    return { index: i, text: valueText(v), hint };
  }
  return undefined;
}

/** A Float64Array of `length` entries, or an E_USAGE error when it cannot be allocated. */
export function allocate(fn: string, rows: number, cols: number): Float64Array {
  try {
    return new Float64Array(rows * cols);
  } catch {
    throw matrixError(fn, `a ${rows} x ${cols} matrix (${(rows * cols).toExponential(1)} entries) is too large to allocate`, 'rows');
  }
}
