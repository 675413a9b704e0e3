// Concrete layout of a program for one trial's sizes: a byte address for
// every value, buffers reused once dead, and the instruction words of each
// stream (docs/engine-abi.md). Everything is relative to `base`.
import { resolveSize, type DimTable, type SizeRef } from '../shapes/dims.js';
import { OPCODE, STREAMS, type Node, type Program, type Stream } from './program.js';

export interface Value {
  addr: number;
  rows: number;
  cols: number;
}

export interface Layout {
  words: Int32Array;
  /** Byte address of each stream's first instruction, and its instruction count. */
  streams: Record<Stream, { addr: number; count: number }>;
  inputs: Map<string, Value>;
  consts: { addr: number; value: number }[];
  f: Value;
  claim?: Value;
  /** First free byte after the layout (16-aligned). */
  end: number;
  /** Per node: its value's place (aliases share their root's address). */
  values: (Value | undefined)[];
}

// Not (n + 15) & ~15: bitwise operators wrap past 2^31 bytes, and a layout
// of mistyped sizes must come out too large (and be refused), not small.
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Ops whose kernels may write over an argument element by element. */
const IN_PLACE = new Set<Node['op']>(['binary', 'unary', 'fill']);

/** Workspace of the LU-based and power kernels, for an m x m argument. */
function scratchBytes(n: Node, m: number): number {
  if (n.op === 'det' || n.op === 'logdet' || n.op === 'inv') return 8 * (m * m + m);
  if (n.op === 'matpow') return 16 * m * m;
  return 0;
}

/**
 * The values each stream needs, in dependency (id) order. Every input is
 * needed, read or not: the layout's inputs are the buffers a check writes
 * (values of each variable, the point that finite differences move, the
 * direction dX), and a formula may mention a variable that no instruction
 * reads (`tr(X^0)` lowers to the trace of an identity).
 */
function reachable(p: Program): Node[][] {
  const need = new Set<number>();
  // An explicit stack: a flat chain a+b+c+... lowers to a chain of nodes as long as the formula.
  const todo = [p.f, ...(p.claim !== undefined ? [p.claim] : []), ...p.inputs.values()];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (need.has(id)) continue;
    need.add(id);
    todo.push(...p.nodes[id].args);
  }
  return STREAMS.map((s) => p.nodes.filter((n) => need.has(n.id) && n.stream === s));
}

/**
 * What a program's layout needs that does not depend on sizes: the stream
 * order, where each value dies, which values live to the end. Computed once
 * per program (a table lays a row out again for every trial's sizes).
 */
interface Plan {
  perStream: Node[][];
  order: Node[];
  position: Map<number, number>;
  root: (id: number) => number;
  /** Per node id: the roots of its arguments whose last use it is (buffers that may be reused). */
  dying: Map<number, number[]>;
  /** How many instructions every layout has: one per computed node, one CHECK_FINITE per output. */
  instructions: number;
  /** Per node id: where its rows and columns are read from, for the dimension table last laid out with. */
  shapes?: { dims: DimTable; refs: (readonly [SizeRef, SizeRef])[] };
}

const plans = new WeakMap<Program, Plan>();

function planOf(p: Program): Plan {
  let plan = plans.get(p);
  if (plan) return plan;
  const perStream = reachable(p);
  const root = (id: number): number => (p.nodes[id].op === 'alias' ? root(p.nodes[id].args[0]) : id);

  // Liveness over the concatenated stream order. A value used by a later
  // stream than its own, or an output, lives to the end.
  const order = perStream.flat();
  const position = new Map<number, number>();
  order.forEach((n, i) => position.set(n.id, i));
  const lastUse = new Map<number, number>();
  const pinned = new Set<number>([root(p.f), ...(p.claim !== undefined ? [root(p.claim)] : [])]);
  for (const n of order) {
    for (const a of n.args) {
      const r = root(a);
      if (p.nodes[r].stream !== n.stream) pinned.add(r);
      lastUse.set(r, Math.max(lastUse.get(r) ?? -1, position.get(n.id)!));
    }
  }
  const dying = new Map<number, number[]>();
  for (const n of order) {
    const i = position.get(n.id)!;
    dying.set(n.id, [...new Set(n.args.map(root))].filter((r) => !pinned.has(r) && lastUse.get(r) === i && p.nodes[r].op !== 'input' && p.nodes[r].op !== 'const'));
  }
  const computed = order.filter((n) => n.op !== 'input' && n.op !== 'const' && n.op !== 'alias').length;
  plan = { perStream, order, position, root, dying, instructions: computed + (p.claim !== undefined ? 2 : 1) };
  plans.set(p, plan);
  return plan;
}

/** Each node's shape as SizeRefs: resolving one is a lookup, not a walk of the dimension table. */
function shapeRefs(p: Program, plan: Plan, dims: DimTable): (readonly [SizeRef, SizeRef])[] {
  if (plan.shapes?.dims === dims) return plan.shapes.refs;
  const refs: (readonly [SizeRef, SizeRef])[] = new Array(p.nodes.length);
  for (const n of plan.order) refs[n.id] = [dims.sizeRef(n.shape[0]), dims.sizeRef(n.shape[1])];
  plan.shapes = { dims, refs };
  return refs;
}

export function layoutProgram(p: Program, dims: DimTable, sizes: Readonly<Record<string, number>>, base: number): Layout {
  const plan = planOf(p);
  const { perStream, order, root, dying } = plan;
  const refs = shapeRefs(p, plan, dims);

  let top = align16(base);
  const bump = (bytes: number) => {
    const at = top;
    top = align16(top + Math.max(bytes, 8));
    return at;
  };
  const free: { addr: number; bytes: number }[] = [];
  const take = (bytes: number): number => {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      if (free[i].bytes >= bytes && (best < 0 || free[i].bytes < free[best].bytes)) best = i;
    }
    if (best < 0) return bump(bytes);
    return free.splice(best, 1)[0].addr;
  };
  const release = (addr: number, bytes: number) => free.push({ addr, bytes: align16(Math.max(bytes, 8)) });

  const values: (Value | undefined)[] = new Array(p.nodes.length);
  const bytesOf = (v: Value) => 8 * v.rows * v.cols;
  const inputs = new Map<string, Value>();
  const consts: { addr: number; value: number }[] = [];

  // Inputs and constants first: they are written once per trial.
  for (const n of order) {
    if (n.op !== 'input' && n.op !== 'const') continue;
    const rows = resolveSize(refs[n.id][0], sizes);
    const cols = resolveSize(refs[n.id][1], sizes);
    const v = { addr: bump(8 * rows * cols), rows, cols };
    values[n.id] = v;
    if (n.op === 'input') inputs.set(n.name!, v);
    else consts.push({ addr: v.addr, value: n.value! });
  }

  // Instruction words are written in place, 8 a node (an array per
  // instruction copied in afterwards was a fifth of a layout's time).
  const words = new Int32Array(plan.instructions * 8);
  let count = 0;
  const streamRanges = {} as Record<Stream, { first: number; count: number }>;

  for (let si = 0; si < STREAMS.length; si++) {
    const stream = STREAMS[si];
    const first = count;
    for (const n of perStream[si]) {
      if (n.op === 'input' || n.op === 'const') continue;
      const rows = resolveSize(refs[n.id][0], sizes);
      const cols = resolveSize(refs[n.id][1], sizes);
      if (n.op === 'alias') {
        values[n.id] = { addr: values[root(n.id)]!.addr, rows, cols };
        continue;
      }
      const dead = dying.get(n.id)!;
      // An element-wise kernel may write over an argument it reads entry by
      // entry (same length as dst), so such a dead argument's buffer is
      // released before dst is placed. A broadcast scalar (or FILL's value)
      // is read for every entry instead: if dst took its buffer (a 2-entry
      // dst fits the 16 bytes of a scalar), writing dst[0] would change the
      // scalar before dst[1] is computed (the engine's pow loop rereads it).
      // Those are released only after dst is placed.
      const bytes = 8 * rows * cols;
      const inPlace = IN_PLACE.has(n.op);
      const early = (r: number) => inPlace && bytesOf(values[r]!) === bytes;
      for (const r of dead) if (early(r)) release(values[r]!.addr, bytesOf(values[r]!));
      const v = { addr: take(bytes), rows, cols };
      values[n.id] = v;
      const a = values[n.args[0]];
      const scratch = a ? scratchBytes(n, a.rows) : 0;
      const scratchAddr = scratch ? take(scratch) : 0;
      // (Ops without arguments read neither: eye.)
      encode(n, v, a!, values[n.args[1]]!, scratchAddr, words, 8 * count++);
      if (scratch) release(scratchAddr, scratch);
      for (const r of dead) if (!early(r)) release(values[r]!.addr, bytesOf(values[r]!));
    }
    // A non-finite output is flagged at the end of the stream that computes it.
    for (const out of [p.f, p.claim]) {
      if (out === undefined) continue;
      if (p.nodes[root(out)].stream !== stream) continue;
      // The output may be an alias placed in a later stream than its root
      // (grad: "x'" for wrt x: the alias is claimConst, x is an f input), so
      // values[out] is not set yet: read the root's buffer, of equal length.
      const v = values[root(out)]!;
      put(words, 8 * count++, OPCODE.checkFinite, 0, v.addr, 0, v.rows * v.cols, 0, 0, 0);
    }
    streamRanges[stream] = { first, count: count - first };
  }
  if (count !== plan.instructions) throw new Error(`internal: ${count} instructions laid out, ${plan.instructions} planned`);

  const progAddr = align16(top);
  const streams = {} as Layout['streams'];
  for (const s of STREAMS) streams[s] = { addr: progAddr + 32 * streamRanges[s].first, count: streamRanges[s].count };
  return {
    words,
    streams,
    inputs,
    consts,
    f: values[p.f]!,
    claim: p.claim !== undefined ? values[p.claim] : undefined,
    end: align16(progAddr + words.byteLength),
    values,
  };
}

/** The 8 words of one instruction at words[at ...]. */
function put(words: Int32Array, at: number, op: number, dst: number, a: number, b: number, m: number, n: number, k: number, x: number): void {
  words[at] = op;
  words[at + 1] = dst;
  words[at + 2] = a;
  words[at + 3] = b;
  words[at + 4] = m;
  words[at + 5] = n;
  words[at + 6] = k;
  words[at + 7] = x;
}

/** Writes n's instruction (docs/engine-abi.md) at words[at ...]; a and b are its arguments' values. */
function encode(n: Node, dst: Value, a: Value, b: Value, scratch: number, words: Int32Array, at: number): void {
  const len = dst.rows * dst.cols;
  const op = n.op as keyof typeof OPCODE;
  const code = OPCODE[op];
  switch (op) {
    case 'fill':
      return put(words, at, code, dst.addr, a.addr, 0, len, 0, 0, 0);
    case 'binary':
      return put(words, at, code, dst.addr, a.addr, b.addr, len, n.p, n.q, 0);
    case 'unary':
      return put(words, at, code, dst.addr, a.addr, 0, len, n.p, 0, 0);
    case 'matmul': {
      const inner = n.p & 1 ? a.rows : a.cols;
      return put(words, at, code, dst.addr, a.addr, b.addr, dst.rows, dst.cols, inner, n.p);
    }
    case 'traceMatmul': {
      // op(a) is m x k: m its rows, k the inner dimension.
      const transposed = (n.p & 1) !== 0;
      return put(words, at, code, dst.addr, a.addr, b.addr, transposed ? a.cols : a.rows, 0, transposed ? a.rows : a.cols, n.p);
    }
    case 'transpose':
      return put(words, at, code, dst.addr, a.addr, 0, a.rows, a.cols, 0, 0);
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'softmax':
    case 'logsumexp':
      return put(words, at, code, dst.addr, a.addr, 0, a.rows * a.cols, 0, 0, 0);
    case 'dot':
      return put(words, at, code, dst.addr, a.addr, b.addr, a.rows * a.cols, 0, 0, 0);
    case 'trace':
    case 'diagOfMatrix':
      return put(words, at, code, dst.addr, a.addr, 0, a.rows, 0, 0, 0);
    case 'det':
    case 'logdet':
    case 'inv':
      return put(words, at, code, dst.addr, a.addr, scratch, a.rows, 0, 0, 0);
    case 'kron':
      return put(words, at, code, dst.addr, a.addr, b.addr, a.rows, a.cols, b.rows, b.cols);
    case 'diagToMatrix':
      return put(words, at, code, dst.addr, a.addr, 0, a.rows * a.cols, 0, 0, 0);
    case 'eye':
      return put(words, at, code, dst.addr, 0, 0, dst.rows, 0, 0, 0);
    case 'matpow':
      return put(words, at, code, dst.addr, a.addr, scratch, a.rows, 0, n.p, 0);
    default:
      throw new Error(`internal: cannot encode ${op}`);
  }
}
