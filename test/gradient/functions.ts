// JavaScript functions and their hand-written gradients, right and wrong,
// for checkGradient's tests. Matrices are { rows, cols, data } column-major.
import { det, inv, matmul, transpose } from '../../src/run/reference.js';
import { mat, type Mat } from '../../src/gradient/index.js';

export const at = (m: Mat, i: number, j = 0) => m.data[i + j * m.rows];
export const trace = (m: Mat) => {
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += at(m, i, i);
  return s;
};
export const map = (m: Mat, f: (x: number, i: number) => number): Mat => mat(m.rows, m.cols, m.data.map(f));
export const sub = (a: Mat, b: Mat) => map(a, (x, i) => x - b.data[i]);
export const add = (a: Mat, b: Mat) => map(a, (x, i) => x + b.data[i]);
export const scale = (a: Mat, k: number) => map(a, (x) => k * x);
export const sumSq = (a: Mat) => a.data.reduce((s, x) => s + x * x, 0);

// ---- tr(A X B), gradient A' B'
export const trAXB = (A: Mat, X: Mat, B: Mat) => trace(matmul(matmul(A, X), B));
export const trAXBGrad = (A: Mat, _X: Mat, B: Mat) => matmul(transpose(A), transpose(B));
/** The numerator-layout mistake: (A' B')' = B A. */
export const trAXBGradTransposed = (A: Mat, _X: Mat, B: Mat) => matmul(B, A);

// ---- logdet(S) for an spd S: G = inv(S)' = inv(S) with every entry taken as
// independent (the unconstrained convention); with respect to the free
// entries of a symmetric S (the default convention): 2 inv(S) - diag(inv(S))
// (Matrix Cookbook (141)); within the symmetric matrices (projected): inv(S).
export const logdet = (S: Mat) => Math.log(Math.abs(det(S)));
export const logdetGrad = (S: Mat) => transpose(inv(S));
export const logdetGradFree = (S: Mat) => map(inv(S), (v, i) => (i % S.rows === Math.floor(i / S.rows) ? v : 2 * v));

// ---- least squares 0.5 |A x - b|^2, gradient A' (A x - b)
export const leastSquares = (A: Mat, x: Mat, b: Mat) => 0.5 * sumSq(sub(matmul(A, x), b));
export const leastSquaresGrad = (A: Mat, x: Mat, b: Mat) => matmul(transpose(A), sub(matmul(A, x), b));

// ---- a two-layer network: H = tanh(W1 X + b1 1'), P = W2 H + b2 1', loss = 0.5 |P - Y|^2
const addColumn = (M: Mat, b: Mat) => map(M, (x, i) => x + b.data[i % M.rows]);
const rowSums = (M: Mat) => {
  const out = mat(M.rows, 1);
  for (let j = 0; j < M.cols; j++) for (let i = 0; i < M.rows; i++) out.data[i] += at(M, i, j);
  return out;
};

export function twoLayerLoss(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat): number {
  const H = map(addColumn(matmul(W1, X), b1), Math.tanh);
  const P = addColumn(matmul(W2, H), b2);
  return 0.5 * sumSq(sub(P, Y));
}

/** The hand-written backward pass; `mistake` plants one of the usual bugs. */
export function twoLayerBackward(mistake?: 'tanh-derivative' | 'missing-transpose' | 'bias-sum') {
  return function twoLayerGrad(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat) {
    const Z = addColumn(matmul(W1, X), b1);
    const H = map(Z, Math.tanh);
    const P = addColumn(matmul(W2, H), b2);
    const dP = sub(P, Y);
    const dW2 = matmul(dP, transpose(H));
    const db2 = rowSums(dP);
    const dH = matmul(transpose(W2), dP);
    // d tanh(z) = 1 - tanh(z)^2
    const dZ = map(dH, (g, i) => g * (mistake === 'tanh-derivative' ? 1 - H.data[i] : 1 - H.data[i] * H.data[i]));
    const dW1 = mistake === 'missing-transpose' ? matmul(dZ, X) : matmul(dZ, transpose(X));
    const db1 = mistake === 'bias-sum' ? mat(dZ.rows, 1, dZ.data.slice(0, dZ.rows)) : rowSums(dZ);
    return { W1: dW1, b1: db1, W2: dW2, b2: db2 };
  };
}

export const twoLayerPoint = { W1: 'matrix(h,d)', b1: 'vector(h)', W2: 'matrix(o,h)', b2: 'vector(o)', X: 'matrix(d,n)', Y: 'matrix(o,n)' };
export const twoLayerParams = ['W1', 'b1', 'W2', 'b2'];
