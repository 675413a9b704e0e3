// The intermediate representation: a graph of operations over values with
// symbolic shapes, each node assigned to the stream that recomputes it.
//
// Streams exist so that a check recomputes only what changes:
// - `const`: depends on neither the differentiated variable nor the
//   direction; computed once per trial and kept;
// - `f`: the function's nodes that depend on `wrt`; rerun at every
//   finite-difference point;
// - `claimConst`: claim nodes that do not depend on the direction (those that
//   depend on nothing are here too, apart from f's, so that their failures
//   are the claim's);
// - `claim`: claim nodes that depend on the direction `dX` (differentials).
import type { Shape } from '../shapes/dims.js';

export type Stream = 'const' | 'f' | 'claimConst' | 'claim';
export const STREAMS: readonly Stream[] = ['const', 'f', 'claimConst', 'claim'];

/** Opcodes of docs/engine-abi.md. */
export const OPCODE = {
  copy: 1,
  fill: 2,
  binary: 3,
  unary: 4,
  matmul: 5,
  transpose: 6,
  sum: 7,
  trace: 8,
  norm1: 9,
  norm2: 10,
  dot: 11,
  det: 12,
  logdet: 13,
  inv: 14,
  kron: 15,
  diagToMatrix: 16,
  diagOfMatrix: 17,
  eye: 18,
  softmax: 19,
  logsumexp: 20,
  matpow: 21,
  checkFinite: 22,
  traceMatmul: 23,
} as const;

export type EngineOp = keyof typeof OPCODE;
/** `input` and `const` are written by TypeScript; `alias` shares its argument's buffer. */
export type Op = EngineOp | 'input' | 'const' | 'alias';

export const UNARY_ID: Record<string, number> = {
  neg: 0,
  exp: 1,
  log: 2,
  sin: 3,
  cos: 4,
  tan: 5,
  arcsin: 6,
  arccos: 7,
  arctan: 8,
  sqrt: 9,
  tanh: 10,
  abs: 11,
  sign: 12,
  relu: 13,
  sigmoid: 14,
  softplus: 15,
};

export const BINARY_ID = { add: 0, sub: 1, mul: 2, div: 3, pow: 4 } as const;

export interface Node {
  id: number;
  op: Op;
  args: number[];
  shape: Shape;
  stream: Stream;
  /** unary: function id; binary: operator id; matmul: transpose flags; matpow: exponent. */
  p: number;
  /** binary: broadcast (0 none, 1 left scalar, 2 right scalar). */
  q: number;
  /** const: the value; input: the variable name. */
  value?: number;
  name?: string;
}

export interface Program {
  nodes: Node[];
  /** Output node of f, and of the claim if there is one. */
  f: number;
  claim?: number;
  /** Input node per variable name (including the direction `dX`). */
  inputs: Map<string, number>;
  wrt?: string;
  direction?: string;
}

/** Builds nodes with common-subexpression elimination within a stream. */
export class ProgramBuilder {
  readonly nodes: Node[] = [];
  private keys = new Map<string, number>();

  /** `shapeKey` names a shape by its unified dimensions, so `eye(m)` and `eye(n)` stay apart. */
  constructor(private readonly shapeKey: (s: Shape) => string) {}

  /**
   * The node, or the equal one already built. `alsoIn`: a stream whose equal
   * node may serve too (a claim's constant part reuses f's).
   */
  add(init: Omit<Node, 'id' | 'p' | 'q'> & { p?: number; q?: number }, alsoIn?: Stream): number {
    const node: Node = { p: 0, q: 0, ...init, id: this.nodes.length };
    const rest = [node.op, node.args.join(','), node.p, node.q, node.value ?? '', node.name ?? '', this.shapeKey(node.shape)].join('|');
    const found = this.keys.get(`${node.stream}|${rest}`) ?? (alsoIn ? this.keys.get(`${alsoIn}|${rest}`) : undefined);
    if (found !== undefined) return found;
    this.nodes.push(node);
    this.keys.set(`${node.stream}|${rest}`, node.id);
    return node.id;
  }
}
