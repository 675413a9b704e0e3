// A two-layer network with a hand-written backward pass: the code under test.
//   H = tanh(W1 X + b1 1'),  P = W2 H + b2 1',  loss = 0.5 |P - Y|^2 / n
// Matrices are matcheck's { rows, cols, data } (column-major), so that
// toMatchGradient can call these functions directly.
import { mat, type Mat } from 'matcheck';

function matmul(a: Mat, b: Mat, transA = false, transB = false): Mat {
  const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const n = transB ? b.rows : b.cols;
  const A = (i: number, p: number) => (transA ? a.data[p + i * a.rows] : a.data[i + p * a.rows]);
  const B = (p: number, j: number) => (transB ? b.data[j + p * b.rows] : b.data[p + j * b.rows]);
  const c = mat(m, n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      c.data[i + j * m] = s;
    }
  return c;
}

/** M + b 1': b added to every column. */
const addBias = (M: Mat, b: Mat): Mat => mat(M.rows, M.cols, M.data.map((v, i) => v + b.data[i % M.rows]));
/** M 1: the sum of every row. */
function rowSums(M: Mat): Mat {
  const s = mat(M.rows, 1);
  M.data.forEach((v, i) => (s.data[i % M.rows] += v));
  return s;
}

export interface Params {
  W1: Mat;
  b1: Mat;
  W2: Mat;
  b2: Mat;
}

function forward(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat) {
  const H = mat(W1.rows, X.cols, addBias(matmul(W1, X), b1).data.map(Math.tanh));
  const P = addBias(matmul(W2, H), b2);
  return { H, P };
}

/** The mean squared-error loss of the network on a batch (X: inputs as columns, Y: targets). */
export function loss(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat): number {
  const { P } = forward(W1, b1, W2, b2, X);
  return (0.5 * P.data.reduce((s, p, i) => s + (p - Y.data[i]) ** 2, 0)) / X.cols;
}

/** The backward pass: the gradient of the loss with respect to each parameter. */
export function backward(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat): Params {
  return backpropagate(W1, b1, W2, b2, X, Y, {});
}

/** The same backward pass with a deliberate bug: tanh' taken as 1 - tanh instead of 1 - tanh^2. */
export function backwardWithTanhBug(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat): Params {
  return backpropagate(W1, b1, W2, b2, X, Y, { bug: 'tanh-derivative' });
}

function backpropagate(W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat, options: { bug?: 'tanh-derivative' }): Params {
  const n = X.cols;
  const { H, P } = forward(W1, b1, W2, b2, X);
  const dP = mat(P.rows, P.cols, P.data.map((p, i) => (p - Y.data[i]) / n));
  const dH = matmul(W2, dP, true);
  // tanh'(z) = 1 - tanh(z)^2; the bug forgets the square.
  const dZ = mat(dH.rows, dH.cols, dH.data.map((g, i) => g * (options.bug === 'tanh-derivative' ? 1 - H.data[i] : 1 - H.data[i] ** 2)));
  return { W1: matmul(dZ, X, false, true), b1: rowSums(dZ), W2: matmul(dP, H, false, true), b2: rowSums(dP) };
}
