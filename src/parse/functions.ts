// The functions of the formula language (spec section 1), as data: the
// parser checks names and arity here, shape inference and lowering switch on
// `shape` and the canonical name.

/** How a function maps argument shapes to a result shape. */
export type FunctionShape =
  | 'elementwise' //   any shape in, same shape out
  | 'reduce' //        any shape in, scalar out
  | 'square-scalar' // square matrix in, scalar out (tr, det, logdet)
  | 'square-square' // square matrix in, same square out (inv)
  | 'diag' //          vector -> diagonal matrix, or square matrix -> vector
  | 'kron'
  | 'vec'
  | 'eye' //           dimension argument -> identity
  | 'constant' //      scalar value, shape taken from the other operand
  | 'vector-vector' // vector in, same vector out (softmax)
  | 'vector-scalar' // vector in, scalar out (logsumexp)
  | 'dot';

export interface FunctionInfo {
  name: string;
  arity: number;
  shape: FunctionShape;
}

const table: FunctionInfo[] = [
  ...['sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'exp', 'log', 'sqrt', 'tanh', 'abs', 'sign', 'relu', 'sigmoid', 'softplus'].map(
    (name): FunctionInfo => ({ name, arity: 1, shape: 'elementwise' }),
  ),
  { name: 'sum', arity: 1, shape: 'reduce' },
  { name: 'norm1', arity: 1, shape: 'reduce' },
  { name: 'norm2', arity: 1, shape: 'reduce' },
  { name: 'tr', arity: 1, shape: 'square-scalar' },
  { name: 'det', arity: 1, shape: 'square-scalar' },
  { name: 'logdet', arity: 1, shape: 'square-scalar' },
  { name: 'inv', arity: 1, shape: 'square-square' },
  { name: 'diag', arity: 1, shape: 'diag' },
  { name: 'kron', arity: 2, shape: 'kron' },
  { name: 'vec', arity: 1, shape: 'vec' },
  { name: 'eye', arity: 1, shape: 'eye' },
  { name: 'vector', arity: 1, shape: 'constant' },
  { name: 'matrix', arity: 1, shape: 'constant' },
  { name: 'softmax', arity: 1, shape: 'vector-vector' },
  { name: 'logsumexp', arity: 1, shape: 'vector-scalar' },
  { name: 'dot', arity: 2, shape: 'dot' },
];

export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(table.map((f) => [f.name, f]));

/** Accepted alternative spellings, mapped to the canonical name. */
export const ALIASES: ReadonlyMap<string, string> = new Map([
  ['asin', 'arcsin'],
  ['acos', 'arccos'],
  ['atan', 'arctan'],
]);

/** Canonical info for a name as written, or undefined if it is no function. */
export function lookupFunction(written: string): FunctionInfo | undefined {
  return FUNCTIONS.get(ALIASES.get(written) ?? written);
}

export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys(), ...ALIASES.keys()];
