// What checkGradient accepts from the user and how it says what is wrong with
// it: the point (concrete matrices or kinds to sample), the values f and grad
// return, and errors inside the user's functions, all turned into messages
// that name the function and what it returned.
import { MatcheckError } from '../errors.js';
import { parseKind, type Kind } from '../shapes/kinds.js';
import { copyMat, isMat, shapeText, transposeData, type Mat } from './matrix.js';
import { badEntry } from './matrix-input.js';

/** One argument of the point: a concrete value, or a kind to sample (spec section 2), e.g. "spd(3)". */
export type PointValue = Mat | number | string;
/** Arguments in order, or by name (the keys' order is the argument order). */
export type Point = readonly PointValue[] | { readonly [name: string]: PointValue };

export interface ArgSpec {
  name: string;
  /** A kind to sample at every draw... */
  kind?: Kind;
  /** ...or a fixed value. */
  value?: Mat;
}

/** An error in the user's code (a throw, or a value of the wrong kind): the verdict is `error`. */
export class UserFunctionError extends Error {
  constructor(
    readonly which: 'f' | 'grad',
    message: string,
  ) {
    super(message);
  }
}

export function usageError(message: string, field: string, hint?: string): MatcheckError {
  return new MatcheckError({ code: 'E_USAGE', stage: 'usage', message, field, hint });
}

/** Entries of one argument at most (a 4096 x 4096 matrix), fixed or sampled: a larger one takes minutes and gigabytes (README, "Limits"). */
const MAX_ENTRIES = 4096 * 4096;

/** The E_SIZE error for argument `name` of `rows` x `cols` entries, or undefined when it is within MAX_ENTRIES. */
export function sizeError(name: string, rows: number, cols: number, sampled: boolean): MatcheckError | undefined {
  if (rows * cols <= MAX_ENTRIES) return undefined;
  return new MatcheckError({
    code: 'E_SIZE',
    stage: sampled ? 'sample' : 'usage',
    message: `${name} ${sampled ? 'would be' : 'is'} ${shapeText(rows, cols)}, ${(rows * cols).toExponential(1)} entries: more than matcheck checks in one argument (4096 x 4096)`,
    field: `x0.${name}`,
    hint: sampled ? "choose smaller sizes (dims, or the kind's own sizes)" : 'check the code at a smaller point (a block of the matrix, or the same code at smaller sizes)',
  });
}

/** What grad returns, in messages. */
export const CLAIM_WORD = { grad: 'gradient', jacobian: 'Jacobian', vjp: 'vector-Jacobian product' } as const;

/** `f`, or `f (myLoss)` when the function has a name. */
export function fnLabel(which: 'f' | 'grad', fn: unknown): string {
  const name = typeof fn === 'function' ? fn.name : '';
  return name && name !== which ? `${which} (${name})` : which;
}

const isNumberArray = (v: unknown): v is ArrayLike<number> =>
  ArrayBuffer.isView(v) ? !(v instanceof DataView) : Array.isArray(v) && v.every((x) => typeof x === 'number');

/** A few words on a value, for messages: "a 3 x 1 matrix", "NaN", "an object with keys a, b". */
export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'symbol') return `a ${typeof v}`;
  if (v instanceof Promise || (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function')) return 'a Promise (checkGradient calls functions synchronously: make it not async)';
  if (isMat(v)) {
    const n = v.data.length;
    return n === v.rows * v.cols ? `a ${shapeText(v.rows, v.cols)} matrix` : `a ${shapeText(v.rows, v.cols)} matrix with ${n} entries in data (it needs ${v.rows * v.cols})`;
  }
  if (Array.isArray(v) && v.length === 0) return 'an empty array';
  if (isNumberArray(v)) return `an array of ${v.length} numbers`;
  if (Array.isArray(v) && v.length > 0 && v.every(isNumberArray)) return `an array of ${v.length} arrays of numbers`;
  if (Array.isArray(v)) return `an array of ${v.length} items`;
  const keys = Object.keys(v as object);
  return keys.length ? `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}` : 'an empty object';
}

/** Calls user code, turning a throw (or a Promise) into a UserFunctionError. */
export function callUser(which: 'f' | 'grad', fn: (...args: Mat[]) => unknown, args: Mat[]): unknown {
  let out: unknown;
  try {
    out = fn(...args);
  } catch (e) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : describe(e);
    throw new UserFunctionError(which, `${fnLabel(which, fn)} threw ${what}`);
  }
  if (out instanceof Promise) {
    out.catch(() => undefined);
    throw new UserFunctionError(which, `${fnLabel(which, fn)} returned a Promise: checkGradient calls functions synchronously (make it not async)`);
  }
  return out;
}

/**
 * A matrix's data that is not all numbers (a plain array holding null, as JSON
 * writes NaN, or strings): Float64Array.from would read null as 0 without a word.
 */
function nonNumber(m: Mat): string | undefined {
  if (ArrayBuffer.isView(m.data)) return undefined;
  const d = m.data as ArrayLike<unknown>;
  for (let i = 0; i < d.length; i++) if (typeof d[i] !== 'number') return `${describe(d[i])} at entry ${i + 1} of its data (entries must be numbers)`;
  return undefined;
}

/** f's value as numbers (column-major) and its shape; throws UserFunctionError for a value that is not one. */
export function readOutput(v: unknown, label: string, claim: string): { data: Float64Array; rows: number; cols: number } {
  if (typeof v === 'number') return { data: Float64Array.of(v), rows: 1, cols: 1 };
  if (isMat(v) && v.rows >= 1 && v.cols >= 1 && v.data.length === v.rows * v.cols) {
    const bad = nonNumber(v);
    if (bad) throw new UserFunctionError('f', `${label} returned ${describe(v)} with ${bad}`);
    return { data: Float64Array.from(v.data), rows: v.rows, cols: v.cols };
  }
  if (isNumberArray(v) && v.length > 0) return { data: Float64Array.from(v), rows: v.length, cols: 1 };
  const want = claim === 'grad' ? 'a number' : 'a number or a matrix { rows, cols, data }';
  throw new UserFunctionError('f', `${label} returned ${describe(v)}; it must return ${want}`);
}

export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** Reads the point: argument names and, for each, a fixed value or a kind to sample. */
export function readPoint(x0: unknown): ArgSpec[] {
  if (typeof x0 !== 'object' || x0 === null || isMat(x0)) {
    throw usageError(
      `the point must be an array of arguments or an object of named arguments, got ${describe(x0)}`,
      'x0',
      `e.g. { X: "matrix(3,4)", S: "spd(3)" } or [mat(2, 2, [1, 2, 3, 4])]`,
    );
  }
  const entries: [string, unknown][] = Array.isArray(x0) ? x0.map((v, i) => [`arg${i + 1}`, v]) : Object.entries(x0);
  if (entries.length === 0) throw usageError('the point has no arguments', 'x0');
  return entries.map(([name, v]) => {
    const field = `x0.${name}`;
    if (typeof v === 'string') return { name, kind: parseKind(v, field) };
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw usageError(`the value of ${name} is ${v}`, field);
      return { name, value: { rows: 1, cols: 1, data: Float64Array.of(v) } };
    }
    if (isMat(v)) {
      if (!(v.rows >= 1 && v.cols >= 1) || v.data.length !== v.rows * v.cols) throw usageError(`${name} is ${describe(v)}`, field, 'a matrix is { rows, cols, data } with rows * cols numbers in data, column-major');
      // Before anything is copied or evaluated: the limit a sampled argument has.
      const tooLarge = sizeError(name, v.rows, v.cols, false);
      if (tooLarge) throw tooLarge;
      const notNumber = badEntry(v.data as ArrayLike<unknown>);
      if (notNumber) throw usageError(`${name} has ${notNumber.text} at index ${notNumber.index} of its data`, field, notNumber.hint);
      const bad = firstNonFinite(v.data);
      if (bad >= 0) throw usageError(`${name} has the non-finite entry ${v.data[bad]} at index ${bad}`, field, 'a point must be finite: f and grad are checked where they are defined');
      return { name, value: copyMat(v) };
    }
    if (typeof v === 'object' && v !== null && 'rows' in v && 'cols' in v && 'data' in v) {
      const { rows, cols } = v as { rows: unknown; cols: unknown };
      throw usageError(`${name} has rows = ${String(rows)} and cols = ${String(cols)}; both must be positive integers`, field, 'a matrix is { rows, cols, data } with rows * cols numbers in data, column-major');
    }
    throw usageError(`${name} is ${describe(v)}`, field, `give a matrix { rows, cols, data }, a number, or a kind to sample such as "matrix(3,4)"`);
  });
}

export interface ClaimedBlock {
  /** Oriented as expected (a transposed return is transposed back). */
  data: Float64Array;
  /** The returned matrix had exactly the transposed (non-square) shape. */
  transposed: boolean;
  /** The shape it came back with, e.g. "4 x 3". */
  returned: string;
}

/** One argument's claimed derivative from whatever grad returned for it. */
function readBlock(v: unknown, rows: number, cols: number, where: string, label: string): ClaimedBlock {
  const wrong = (): never => {
    throw new UserFunctionError('grad', `${label} returned ${describe(v)} ${where}, but it must be ${shapeText(rows, cols)}`);
  };
  let data: Float64Array | undefined;
  let transposed = false;
  let returned = shapeText(rows, cols);
  if (typeof v === 'number') {
    if (rows * cols !== 1) wrong();
    data = Float64Array.of(v);
  } else if (isMat(v)) {
    if (v.data.length !== v.rows * v.cols) wrong();
    const bad = nonNumber(v);
    if (bad) throw new UserFunctionError('grad', `${label} returned ${describe(v)} ${where} with ${bad}`);
    returned = shapeText(v.rows, v.cols);
    if (v.rows === rows && v.cols === cols) data = Float64Array.from(v.data);
    else if (v.rows === cols && v.cols === rows && rows !== cols) {
      transposed = true;
      data = transposeData(v.data, v.rows, v.cols);
    } else wrong();
  } else if (isNumberArray(v)) {
    if (v.length !== rows * cols) wrong();
    data = Float64Array.from(v);
  } else wrong();
  const bad = firstNonFinite(data!);
  if (bad >= 0) throw new UserFunctionError('grad', `${label} returned ${data![bad]} at entry ${bad + 1} (column-major) ${where}, where f is finite`);
  return { data: data!, transposed, returned };
}

/**
 * grad's return value, one block per wrt argument: a single value (one wrt
 * argument), an array (in wrt order, or one item per argument of f; wrt
 * order when both fit), or an object keyed by argument name. An array of
 * numbers is one argument's gradient when it has that argument's entry
 * count, else one scalar gradient per argument (in wrt order, or of f).
 */
export function readGradients(
  v: unknown,
  args: readonly { name: string; rows: number; cols: number }[],
  wrt: readonly number[],
  blockShape: (arg: number) => [number, number],
  label: string,
): ClaimedBlock[] {
  const names = wrt.map((i) => args[i].name);
  const what = (i: number) => `for ${args[i].name}`;
  const numeric = isNumberArray(v);
  const single = typeof v === 'number' || isMat(v) || numeric;
  const list = Array.isArray(v) ? (v as unknown[]) : undefined;
  let picked: unknown[];
  // Rows as nested arrays, the way a matrix is written by hand, are not a matrix here.
  const nested = (): never => {
    const [r, c] = blockShape(wrt[0]);
    throw new UserFunctionError('grad', `${label} returned ${describe(v)} ${what(wrt[0])}, but it must be ${shapeText(r, c)}: nested arrays are not a matrix; return { rows, cols, data } (column-major), e.g. fromRows(rows)`);
  };
  const rowsOfOne = (l: unknown[]): boolean => {
    if (wrt.length !== 1 || l.length < 2 || !l.every(isNumberArray)) return false;
    const [r, c] = blockShape(wrt[0]);
    // One item per argument of f that fits is that, not rows.
    const perArgument = l.length === args.length && (l[wrt[0]] as ArrayLike<number>).length === r * c;
    return l.length === r && l.every((x) => (x as ArrayLike<number>).length === c) && !perArgument;
  };
  const entries = (a: number) => blockShape(a)[0] * blockShape(a)[1];
  const scalars = wrt.every((a) => entries(a) === 1);
  if (wrt.length === 1 && single && !(numeric && v.length !== entries(wrt[0]))) picked = [v];
  else if (numeric && scalars && v.length === wrt.length) picked = Array.from(v); // scalar gradients, in wrt order
  else if (numeric && scalars && v.length === args.length) picked = wrt.map((i) => v[i]); // one scalar gradient per argument of f
  else if (numeric) {
    const perF = scalars ? ` or one per argument of f (${args.length})` : '';
    const want =
      wrt.length === 1
        ? `it must be ${shapeText(...blockShape(wrt[0]))} (${entries(wrt[0])} ${entries(wrt[0]) === 1 ? 'number' : 'numbers'}, column-major)${perF && `,${perF}`}`
        : scalars
          ? `the check is with respect to ${names.join(', ')}: return one number per argument checked (${wrt.length})${perF}`
          : `the check is with respect to ${names.length} arguments (${names.join(', ')}), not all scalars: return an array of their gradients (matrices, or numbers for scalars) or an object keyed by argument name`;
    throw new UserFunctionError('grad', `${label} returned ${describe(v)}${wrt.length === 1 ? ` ${what(wrt[0])}` : ''}, but ${want}`);
  } else if (list) {
    if (list.length === wrt.length) picked = list;
    else if (rowsOfOne(list)) nested();
    else if (list.length === args.length) picked = wrt.map((i) => list[i]);
    else if (wrt.length === 1 && list.every(isNumberArray)) nested();
    else throw new UserFunctionError('grad', `${label} returned ${describe(v)}, but the check is with respect to ${names.join(', ')}: return one gradient per argument checked (${wrt.length}) or per argument of f (${args.length})`);
  } else if (typeof v === 'object' && v !== null && !single && !ArrayBuffer.isView(v)) {
    const rec = v as Record<string, unknown>;
    const missing = names.filter((n) => !(n in rec));
    if (missing.length) throw new UserFunctionError('grad', `${label} returned ${describe(v)}, with no gradient for ${missing.join(', ')}`);
    picked = names.map((n) => rec[n]);
  } else if (single) {
    throw new UserFunctionError('grad', `${label} returned ${describe(v)}, but the check is with respect to ${names.length} arguments (${names.join(', ')}): return an array or an object keyed by argument name`);
  } else {
    throw new UserFunctionError('grad', `${label} returned ${describe(v)}; it must return the gradient (a matrix { rows, cols, data }, or a number for a scalar argument)`);
  }
  return wrt.map((a, k) => {
    const [r, c] = blockShape(a);
    return readBlock(picked[k], r, c, what(a), label);
  });
}
