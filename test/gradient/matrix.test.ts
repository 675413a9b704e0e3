// mat, vec, fromRows and toRows build and read the matrices checkGradient
// exchanges with user code: anything that is not a matrix of numbers is a
// MatcheckError naming the argument and the entry, never a silent 0 or NaN
// (Float64Array reads null as 0 and 'a' as NaN) nor a bare TypeError.
import { describe, expect, it } from 'vitest';
import { isMatcheckError, renderError, type MatcheckError } from '../../src/errors.js';
import { checkGradient, fromRows, mat, toRows, vec } from '../../src/gradient/index.js';

/** The error `fn` throws, which must be a MatcheckError (E_USAGE). */
function thrown(fn: () => unknown): MatcheckError {
  try {
    fn();
  } catch (e) {
    expect(isMatcheckError(e)).toBe(true);
    expect((e as MatcheckError).code).toBe('E_USAGE');
    return e as MatcheckError;
  }
  throw new Error('it did not throw');
}
const bad = (fn: () => unknown) => {
  const e = thrown(fn);
  return [e.message, e.field, e.hint];
};

describe('mat', () => {
  it('builds a column-major matrix of the numbers given, NaN and Infinity included', () => {
    expect(Array.from(mat(2, 2, [1, 2, 3, 4]).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(mat(1, 2, new Float32Array([1.5, 2])).data)).toEqual([1.5, 2]);
    expect(Array.from(mat(1, 2, { 0: 7, 1: 8, length: 2 }).data)).toEqual([7, 8]);
    // f returns NaN outside its domain this way (checkGradient draws again); a point with NaN is refused by checkGradient itself.
    expect(Array.from(mat(1, 2, [NaN, -Infinity]).data)).toEqual([NaN, -Infinity]);
  });
  it('names an entry that is not a number, with its index, row and column', () => {
    expect(bad(() => mat(1, 2, [null, 2] as never))).toEqual(['mat: data[0] (row 1, column 1) is null', 'data[0]', 'entries must be numbers: is one missing? (JSON also writes NaN and Infinity as null)']);
    expect(bad(() => mat(2, 2, [1, 2, 'a', 4] as never))).toEqual(['mat: data[2] (row 1, column 2) is the string "a"', 'data[2]', 'entries must be numbers: convert text with Number() first']);
    expect(bad(() => mat(1, 2, [1, undefined] as never))[0]).toBe('mat: data[1] (row 1, column 2) is undefined');
    expect(bad(() => mat(1, 1, [true] as never))[0]).toBe('mat: data[0] (row 1, column 1) is a boolean');
  });
  it('names bad sizes and data that is no list or of the wrong length', () => {
    expect(bad(() => mat(1.5, 2))).toEqual(['mat: rows must be a positive integer, got the number 1.5', 'rows', 'mat(rows, cols, data) builds a rows x cols matrix']);
    expect(bad(() => mat(2, 0))[0]).toBe('mat: cols must be a positive integer, got the number 0');
    expect(bad(() => mat('2' as never, 2))[0]).toBe('mat: rows must be a positive integer, got the string "2"');
    expect(bad(() => mat(2, 2, [1]))).toEqual(['mat: a 2 x 2 matrix has 4 entries, got 1 in data', 'data', 'data is column-major: entry (i, j) at index i + j * rows']);
    expect(bad(() => mat(1, 2, null as never))[0]).toBe('mat: data must be an array of numbers (or a Float64Array), column-major, got null');
    expect(bad(() => mat(1, 2, new BigInt64Array(2) as never))[0]).toBe('mat: data must be an array of numbers (or a Float64Array), column-major, got a BigInt64Array');
    expect(bad(() => mat(100000, 100000))[0]).toBe('mat: a 100000 x 100000 matrix (1.0e+10 entries) is too large to allocate');
  });
});

describe('vec', () => {
  it('builds a column', () => {
    expect(vec([1, 2, 3])).toEqual({ rows: 3, cols: 1, data: Float64Array.of(1, 2, 3) });
    expect(Array.from(vec([NaN]).data)).toEqual([NaN]);
  });
  it('names what is wrong', () => {
    expect(bad(() => vec(null as never))).toEqual(['vec: entries must be an array of numbers (or a Float64Array), got null', 'entries', 'e.g. vec([1, 2, 3])']);
    expect(bad(() => vec([]))[0]).toBe('vec: entries is empty: a vector has at least one entry');
    expect(bad(() => vec([1, null] as never)).slice(0, 2)).toEqual(['vec: entries[1] (entry 2) is null', 'entries[1]']);
    expect(bad(() => vec(['1'] as never))[0]).toBe('vec: entries[0] (entry 1) is the string "1"');
  });
});

describe('fromRows', () => {
  it('builds a matrix from its rows as written', () => {
    expect(Array.from(fromRows([[1, 2, 3], [4, 5, 6]]).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('names the row and column of what is wrong', () => {
    expect(bad(() => fromRows([[1, 'x']] as never))).toEqual(['fromRows: row 1, column 2 is the string "x"', 'rows[0][1]', 'entries must be numbers: convert text with Number() first']);
    expect(bad(() => fromRows([[1, 2], [3, null]] as never)).slice(0, 2)).toEqual(['fromRows: row 2, column 2 is null', 'rows[1][1]']);
    expect(bad(() => fromRows(null as never))).toEqual(['fromRows: rows must be an array of rows, got null', 'rows', 'give the rows as an array of arrays of numbers, e.g. fromRows([[1, 2], [3, 4]])']);
    expect(bad(() => fromRows([]))[0]).toBe('fromRows: rows is empty: a matrix has at least one row');
    expect(bad(() => fromRows([[]]))[0]).toBe('fromRows: row 1 is empty: a matrix has at least one column');
    expect(bad(() => fromRows([[1, 2], [3]])).slice(0, 2)).toEqual(['fromRows: row 2 has 1 entry, but row 1 has 2: rows must be of equal length', 'rows[1]']);
    expect(bad(() => fromRows([[1, 2], 3] as never)).slice(0, 2)).toEqual(['fromRows: row 2 is the number 3, not an array of numbers', 'rows[1]']);
  });
});

describe('toRows', () => {
  it('reads a matrix back as rows', () => {
    expect(toRows(mat(2, 2, [1, 2, 3, 4]))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
  it('names what is wrong instead of returning undefined entries or throwing a TypeError', () => {
    expect(bad(() => toRows(null as never)).slice(0, 2)).toEqual(['toRows: expected a matrix { rows, cols, data }, got null', 'm']);
    expect(bad(() => toRows({ rows: 2, cols: 2, data: [1] } as never)).slice(0, 2)).toEqual(['toRows: a 2 x 2 matrix has 4 entries, but its data has 1', 'data']);
    expect(bad(() => toRows({ rows: 0, cols: 2, data: [] } as never))[0]).toBe('toRows: rows must be a positive integer, got the number 0');
    expect(bad(() => toRows({ rows: 1, cols: 2, data: [1, null] } as never)).slice(0, 2)).toEqual(['toRows: data[1] (row 1, column 2) is null', 'data[1]']);
  });
  it('an error renders with the argument it is in', () => {
    expect(renderError(thrown(() => fromRows([[1, 'x']] as never)))).toBe('error[E_USAGE]: rows[0][1]: fromRows: row 1, column 2 is the string "x"\n  = hint: entries must be numbers: convert text with Number() first');
  });
});

describe('inside the code checked, and in the point', () => {
  it('a bad entry in a matrix grad builds is named in the error verdict', () => {
    const r = checkGradient((x) => x.data[0] ** 2, (x) => mat(1, 1, [String(2 * x.data[0])] as never), { x: 'scalar' });
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/^grad threw MatcheckError: mat: data\[0\] \(row 1, column 1\) is the string "-?[0-9.e-]+"$/);
    expect(r.field).toBe('grad');
  });
  it('a point given with null in its data says so, not that null is non-finite', () => {
    const r = checkGradient((x) => x.data[0], () => 1, { x: { rows: 1, cols: 1, data: [null] } } as never);
    expect(r.message).toBe('error[E_USAGE]: x0.x: x has null at index 0 of its data\n  = hint: entries must be numbers: is one missing? (JSON also writes NaN and Infinity as null)');
    const nan = checkGradient((x) => x.data[0], () => 1, { x: vec([NaN]) });
    expect(nan.message).toBe('error[E_USAGE]: x0.x: x has the non-finite entry NaN at index 0\n  = hint: a point must be finite: f and grad are checked where they are defined');
  });
});
