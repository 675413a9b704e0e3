// A seeded generator of random formulas over a fixed set of declared (and a
// few undeclared) variables, for differential fuzzing of the front end,
// lowering, layout and engine. Many of its formulas are ill-shaped: those
// must fail with a MatcheckError, the others must evaluate like the reference.
import type { Rng } from '../../src/sample/index.js';

export const FUZZ_VARS: Record<string, string> = {
  A: 'matrix(m,n)',
  B: 'matrix(n,m)',
  S: 'invertible(n)',
  P: 'positive matrix(m,n)',
  x: 'vector(n)',
  y: 'vector(m)',
  c: 'scalar',
  d: 'positive scalar',
};

// X, z and a are undeclared: a matrix, a vector and a scalar by their initials.
const LEAVES = ['A', 'B', 'S', 'P', 'x', 'y', 'c', 'd', '2', '0.5', 'X', 'z', 'a', 'eye(n)', 'vector(c)', 'matrix(2)'];
const BINARY = ['+', '-', '*', '*', '*', '.*', './', '/'];
const UNARY = ['sin', 'cos', 'exp', 'tanh', 'abs', 'sign', 'relu', 'sigmoid', 'softplus', 'arctan', 'sum', 'norm1', 'norm2', 'tr', 'det', 'inv', 'diag', 'vec', 'softmax', 'logsumexp', 'sqrt', 'log'];

export function randomFormula(rng: Rng, depth: number): string {
  const pick = <T>(a: readonly T[]): T => a[rng.int(0, a.length - 1)];
  const gen = (d: number): string => {
    if (d === 0 || rng.uniform() < 0.25) return pick(LEAVES);
    const r = rng.uniform();
    if (r < 0.4) return `(${gen(d - 1)}${pick(BINARY)}${gen(d - 1)})`;
    if (r < 0.5) return `${gen(d - 1)}'`;
    if (r < 0.55) return `-${gen(d - 1)}`;
    if (r < 0.62) return `(${gen(d - 1)})^${pick(['0', '1', '2', '3', '-1', '-2'])}`;
    if (r < 0.66) return `(${gen(d - 1)}).^${pick(['2', '3'])}`;
    if (r < 0.72) return `${pick(['kron', 'dot'])}(${gen(d - 1)},${gen(d - 1)})`;
    return `${pick(UNARY)}(${gen(d - 1)})`;
  };
  return gen(depth);
}
