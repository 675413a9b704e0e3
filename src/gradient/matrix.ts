// The matrices checkGradient passes to and takes from JavaScript code: dense,
// column-major, Float64Array-backed, the layout of the engine's buffers
// (docs/engine-abi.md): entry (i, j) of a rows x cols matrix at i + j * rows.

export interface Mat {
  rows: number;
  cols: number;
  /** Column-major: entry (i, j) (0-based) at i + j * rows. */
  data: Float64Array;
}

/** A rows x cols matrix; `data` column-major (copied), zeros when omitted. */
export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
    throw new RangeError(`mat: sizes must be positive integers, got ${rows} x ${cols}`);
  }
  if (data !== undefined && data.length !== rows * cols) {
    throw new RangeError(`mat: a ${rows} x ${cols} matrix has ${rows * cols} entries, got ${data.length}`);
  }
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}

/** A matrix from its rows as written: fromRows([[1, 2], [3, 4]]). */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  if (m === 0 || n === 0 || rows.some((r) => r.length !== n)) {
    throw new RangeError('fromRows: give a non-empty list of rows of equal length');
  }
  const out = mat(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[i + j * m] = rows[i][j];
  return out;
}

/** A column vector. */
export function vec(entries: ArrayLike<number>): Mat {
  return mat(entries.length, 1, entries);
}

/** The rows of a matrix as nested arrays (for printing and diffs). */
export function toRows(m: Mat): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i + j * m.rows]));
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
