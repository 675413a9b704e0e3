// The matrices checkGradient passes to and takes from JavaScript code: dense,
// column-major, Float64Array-backed, the layout of the engine's buffers
// (docs/engine-abi.md): entry (i, j) of a rows x cols matrix at i + j * rows.
import { allocate, badEntry, isNumberList, matrixError, readSize, valueText } from './matrix-input.js';

export interface Mat {
  rows: number;
  cols: number;
  /** Column-major: entry (i, j) (0-based) at i + j * rows. */
  data: Float64Array;
}

/**
 * A rows x cols matrix; `data` column-major (copied), zeros when omitted.
 * Entries must be numbers (NaN and Infinity included); anything else is a
 * MatcheckError naming the entry.
 */
export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  const r = readSize('mat', 'rows', rows);
  const c = readSize('mat', 'cols', cols);
  if (data === undefined) return { rows: r, cols: c, data: allocate('mat', r, c) };
  if (!isNumberList(data)) throw matrixError('mat', `data must be an array of numbers (or a Float64Array), column-major, got ${valueText(data)}`, 'data');
  if (data.length !== r * c) throw matrixError('mat', `a ${r} x ${c} matrix has ${r * c} entries, got ${data.length} in data`, 'data', 'data is column-major: entry (i, j) at index i + j * rows');
  const bad = badEntry(data);
  if (bad) throw matrixError('mat', `data[${bad.index}] (row ${(bad.index % r) + 1}, column ${Math.floor(bad.index / r) + 1}) is ${bad.text}`, `data[${bad.index}]`, bad.hint);
  const out = allocate('mat', r, c);
  out.set(data);
  return { rows: r, cols: c, data: out };
}

/** A matrix from its rows as written: fromRows([[1, 2], [3, 4]]). */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  const example = 'give the rows as an array of arrays of numbers, e.g. fromRows([[1, 2], [3, 4]])';
  if (!Array.isArray(rows)) throw matrixError('fromRows', `rows must be an array of rows, got ${valueText(rows)}`, 'rows', example);
  if (rows.length === 0) throw matrixError('fromRows', 'rows is empty: a matrix has at least one row', 'rows', example);
  const lists: unknown[] = rows;
  lists.forEach((row, i) => {
    if (!isNumberList(row)) throw matrixError('fromRows', `row ${i + 1} is ${valueText(row)}, not an array of numbers`, `rows[${i}]`, example);
  });
  const m = rows.length;
  const n = rows[0].length;
  if (n === 0) throw matrixError('fromRows', 'row 1 is empty: a matrix has at least one column', 'rows[0]', example);
  rows.forEach((row, i) => {
    if (row.length !== n) throw matrixError('fromRows', `row ${i + 1} has ${row.length} ${row.length === 1 ? 'entry' : 'entries'}, but row 1 has ${n}: rows must be of equal length`, `rows[${i}]`);
    const bad = badEntry(row);
    if (bad) throw matrixError('fromRows', `row ${i + 1}, column ${bad.index + 1} is ${bad.text}`, `rows[${i}][${bad.index}]`, bad.hint);
  });
  const out = mat(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[i + j * m] = rows[i][j];
  return out;
}

/** A column vector of the given entries (numbers, NaN and Infinity included). */
export function vec(entries: ArrayLike<number>): Mat {
  if (!isNumberList(entries)) throw matrixError('vec', `entries must be an array of numbers (or a Float64Array), got ${valueText(entries)}`, 'entries', 'e.g. vec([1, 2, 3])');
  if (entries.length === 0) throw matrixError('vec', 'entries is empty: a vector has at least one entry', 'entries', 'e.g. vec([1, 2, 3])');
  const bad = badEntry(entries);
  if (bad) throw matrixError('vec', `entries[${bad.index}] (entry ${bad.index + 1}) is ${bad.text}`, `entries[${bad.index}]`, bad.hint);
  return mat(entries.length, 1, entries);
}

/** The rows of a matrix as nested arrays (for printing and diffs). */
export function toRows(m: Mat): number[][] {
  const example = 'a matrix is { rows, cols, data } with rows * cols numbers in data, column-major; mat() builds one';
  if (typeof m !== 'object' || m === null || !('data' in m)) throw matrixError('toRows', `expected a matrix { rows, cols, data }, got ${valueText(m)}`, 'm', example);
  const rows = readSize('toRows', 'rows', m.rows);
  const cols = readSize('toRows', 'cols', m.cols);
  if (!isNumberList(m.data)) throw matrixError('toRows', `data must be an array of numbers (or a Float64Array), got ${valueText(m.data)}`, 'data', example);
  if (m.data.length !== rows * cols) throw matrixError('toRows', `a ${rows} x ${cols} matrix has ${rows * cols} entries, but its data has ${m.data.length}`, 'data', example);
  const bad = badEntry(m.data);
  if (bad) throw matrixError('toRows', `data[${bad.index}] (row ${(bad.index % rows) + 1}, column ${Math.floor(bad.index / rows) + 1}) is ${bad.text}`, `data[${bad.index}]`, bad.hint);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => m.data[i + j * rows]));
}

export const copyMat = (m: Mat): Mat => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });

export function isMat(v: unknown): v is Mat {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<Mat>;
  return Number.isSafeInteger(m.rows) && Number.isSafeInteger(m.cols) && m.data !== undefined && typeof (m.data as ArrayLike<number>).length === 'number';
}

export function transposeData(d: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j + i * cols] = d[i + j * rows];
  return t;
}

/** `a x b`, as the checker prints shapes. */
export const shapeText = (rows: number, cols: number): string => `${rows} x ${cols}`;
