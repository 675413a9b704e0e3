// A plain TypeScript evaluator of the formula language: simple loops that are
// obviously right. It is the test oracle for the WebAssembly engine and a
// benchmark baseline; the checker never uses it.
import type { Expr } from '../parse/ast.js';
import type { Analysis } from '../shapes/analyze.js';
import { integerExponent } from '../shapes/infer.js';

export interface Mat {
  rows: number;
  cols: number;
  /** Column-major: entry (i, j) at i + j * rows. */
  data: Float64Array;
}

export const mat = (rows: number, cols: number, data?: ArrayLike<number>): Mat => ({ rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) });
const isScalar = (m: Mat) => m.rows === 1 && m.cols === 1;
const map = (a: Mat, f: (x: number) => number): Mat => mat(a.rows, a.cols, a.data.map(f));

function zip(a: Mat, b: Mat, f: (x: number, y: number) => number): Mat {
  if (isScalar(a) && !isScalar(b)) return map(b, (y) => f(a.data[0], y));
  if (isScalar(b) && !isScalar(a)) return map(a, (x) => f(x, b.data[0]));
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`reference: shapes ${a.rows}x${a.cols} and ${b.rows}x${b.cols} differ`);
  return mat(a.rows, a.cols, a.data.map((x, i) => f(x, b.data[i])));
}

export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error(`reference: cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const c = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i + k * a.rows] * b.data[k + j * b.rows];
      c.data[i + j * a.rows] = s;
    }
  return c;
}

export function transpose(a: Mat): Mat {
  const t = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j + i * a.cols] = a.data[i + j * a.rows];
  return t;
}

export function eye(n: number): Mat {
  const e = mat(n, n);
  for (let i = 0; i < n; i++) e.data[i + i * n] = 1;
  return e;
}

/** LU with partial pivoting; returns the factors in one matrix, the pivots and the sign. */
function lu(a: Mat): { lu: Mat; piv: number[]; sign: number } {
  const n = a.rows;
  const m = mat(n, n, a.data);
  const piv = Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m.data[i + k * n]) > Math.abs(m.data[p + k * n])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [m.data[k + j * n], m.data[p + j * n]] = [m.data[p + j * n], m.data[k + j * n]];
      [piv[k], piv[p]] = [piv[p], piv[k]];
      sign = -sign;
    }
    const d = m.data[k + k * n];
    if (d === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const l = (m.data[i + k * n] /= d);
      for (let j = k + 1; j < n; j++) m.data[i + j * n] -= l * m.data[k + j * n];
    }
  }
  return { lu: m, piv, sign };
}

export function det(a: Mat): number {
  const { lu: m, sign } = lu(a);
  let d = sign;
  for (let i = 0; i < a.rows; i++) d *= m.data[i + i * a.rows];
  return d;
}

/**
 * log(abs(det(a))) as the sum of the logs of the pivots: the determinant
 * itself overflows or underflows long before its logarithm does (det(1e30 I)
 * of size 13 is 1e390).
 */
export function logAbsDet(a: Mat): number {
  const { lu: m } = lu(a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += Math.log(Math.abs(m.data[i + i * a.rows]));
  return s;
}

/** Euclidean norm, scaled by the largest magnitude so that it neither overflows nor underflows needlessly. */
export function norm2(data: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < data.length; i++) big = Math.max(big, Math.abs(data[i]));
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  for (let i = 0; i < data.length; i++) s += (data[i] / big) ** 2;
  return big * Math.sqrt(s);
}

export function inv(a: Mat): Mat {
  const n = a.rows;
  const { lu: m, piv } = lu(a);
  const x = mat(n, n);
  for (let c = 0; c < n; c++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = piv[i] === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= m.data[i + k * n] * y[k];
      y[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= m.data[i + k * n] * x.data[k + c * n];
      x.data[i + c * n] = s / m.data[i + i * n];
    }
  }
  return x;
}

function kron(a: Mat, b: Mat): Mat {
  const k = mat(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++)
      for (let p = 0; p < b.rows; p++)
        for (let q = 0; q < b.cols; q++) k.data[i * b.rows + p + (j * b.cols + q) * k.rows] = a.data[i + j * a.rows] * b.data[p + q * b.rows];
  return k;
}

const scalar = (x: number) => mat(1, 1, [x]);
/** The largest entry, NaN if any is NaN; a loop, since Math.max(...data) overflows the stack past ~100,000 arguments. */
const maxOf = (a: Mat) => a.data.reduce((m, v) => Math.max(m, v), -Infinity);
const sumOf = (a: Mat) => a.data.reduce((s, x) => s + x, 0);

const ELEMENTWISE: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  abs: Math.abs,
  // NaN stays NaN, as in the engine (Math.sign): a domain error upstream must not read as 0.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  relu: (x) => Math.max(x, 0),
  // Both computed stably, as docs/engine-abi.md specifies: the naive
  // 1 / (1 + exp(-x)) gives 0 for x in [-745, -709.8] (exp(-x) overflows)
  // where the value is a positive subnormal, and log(1 + exp(x)) is infinite
  // for x > 709.8 and 0 for x < -37 (1 + exp(x) rounds to 1).
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
};

/**
 * Evaluates `e` (typed by `a`) with the given input values; `sizes` resolves
 * the shapes of `eye`, `vector(c)` and `matrix(c)`.
 */
export function evaluateReference(a: Analysis, e: Expr, inputs: ReadonlyMap<string, Mat>, sizes: Readonly<Record<string, number>>): Mat {
  const shape = (x: Expr): [number, number] => {
    const s = a.types.shapes.get(x)!;
    return [a.types.dims.resolve(s[0], sizes), a.types.dims.resolve(s[1], sizes)];
  };
  const ev = (x: Expr): Mat => {
    switch (x.kind) {
      case 'number':
        return scalar(x.value);
      case 'var': {
        const v = inputs.get(x.name);
        if (!v) throw new Error(`reference: no value for ${x.name}`);
        return v;
      }
      case 'neg':
        return map(ev(x.arg), (v) => -v);
      case 'transpose':
        return transpose(ev(x.arg));
      case 'binary': {
        const l = ev(x.left);
        if (x.op === '^' && !isScalar(l)) {
          const k = integerExponent(x.right)!;
          const base = k < 0 ? inv(l) : l;
          let r = eye(l.rows);
          for (let i = 0; i < Math.abs(k); i++) r = matmul(r, base);
          return r;
        }
        const r = ev(x.right);
        switch (x.op) {
          case '+':
            return zip(l, r, (p, q) => p + q);
          case '-':
            return zip(l, r, (p, q) => p - q);
          case '.*':
            return zip(l, r, (p, q) => p * q);
          case './':
          case '/':
            return zip(l, r, (p, q) => p / q);
          case '^':
          case '.^':
            return zip(l, r, Math.pow);
          case '*':
            return isScalar(l) || isScalar(r) ? zip(l, r, (p, q) => p * q) : matmul(l, r);
        }
        throw new Error('unreachable');
      }
      case 'call': {
        if (x.name === 'eye') return eye(shape(x)[0]);
        const args = x.args.map(ev);
        const [m] = args;
        switch (x.name) {
          case 'sum':
            return scalar(sumOf(m));
          case 'norm1':
            return scalar(m.data.reduce((s, v) => s + Math.abs(v), 0));
          case 'norm2':
            return scalar(norm2(m.data));
          case 'tr': {
            let s = 0;
            for (let i = 0; i < m.rows; i++) s += m.data[i + i * m.rows];
            return scalar(s);
          }
          case 'det':
            return scalar(det(m));
          case 'logdet':
            return scalar(logAbsDet(m));
          case 'inv':
            return inv(m);
          case 'kron':
            return kron(m, args[1]);
          case 'vec':
            return mat(m.rows * m.cols, 1, m.data);
          case 'dot':
            return scalar(zip(m, args[1], (p, q) => p * q).data.reduce((s, v) => s + v, 0));
          case 'diag': {
            if (a.types.diagMode.get(x) === 'toMatrix') {
              const n = m.rows * m.cols;
              const d = mat(n, n);
              for (let i = 0; i < n; i++) d.data[i + i * n] = m.data[i];
              return d;
            }
            return mat(m.rows, 1, Array.from({ length: m.rows }, (_, i) => m.data[i + i * m.rows]));
          }
          case 'vector':
          case 'matrix': {
            const [r, c] = shape(x);
            return mat(r, c, new Array(r * c).fill(m.data[0]));
          }
          case 'softmax': {
            const mx = maxOf(m);
            const e2 = map(m, (v) => Math.exp(v - mx));
            const s = sumOf(e2);
            return map(e2, (v) => v / s);
          }
          case 'logsumexp': {
            const mx = maxOf(m);
            return scalar(mx + Math.log(sumOf(map(m, (v) => Math.exp(v - mx)))));
          }
          default:
            return map(m, ELEMENTWISE[x.name]);
        }
      }
    }
  };
  return ev(e);
}
