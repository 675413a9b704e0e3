// Helpers for structural tests of lowering and layout: compile a row for
// concrete sizes, decode the instruction words per stream, and check that no
// buffer is overwritten while its value is still needed.
import { layoutProgram, type Layout } from '../../src/compile/layout.js';
import { lower } from '../../src/compile/lower.js';
import { OPCODE, STREAMS, type Node, type Program, type Stream } from '../../src/compile/program.js';
import { analyze, type Analysis, type FormulaSpec } from '../../src/shapes/analyze.js';

export const OPNAME: Record<number, string> = Object.fromEntries(Object.entries(OPCODE).map(([k, v]) => [v, k]));

export interface Instr {
  op: number;
  name: string;
  dst: number;
  a: number;
  b: number;
  m: number;
  n: number;
  k: number;
  x: number;
}

export interface Compiled {
  analysis: Analysis;
  program: Program;
  layout: Layout;
  sizes: Record<string, number>;
  /** Decoded instructions of each stream. */
  code: Record<Stream, Instr[]>;
}

/** The sizes of every unknown dimension: `dims`, else 3, 4, 5, ... in order. */
export function defaultSizes(a: Analysis, dims: Readonly<Record<string, number>> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  let next = 3;
  for (const u of a.types.dims.unknowns()) out[u.name] = dims[u.name] ?? next++;
  return out;
}

export function compile(s: FormulaSpec, dims: Readonly<Record<string, number>> = {}, base = 1024): Compiled {
  const analysis = analyze(s);
  const program = lower(analysis);
  const sizes = defaultSizes(analysis, dims);
  const layout = layoutProgram(program, analysis.types.dims, sizes, base);
  return { analysis, program, layout, sizes, code: decode(layout) };
}

export function decode(layout: Layout): Record<Stream, Instr[]> {
  const origin = layout.streams.const.addr;
  const out = {} as Record<Stream, Instr[]>;
  for (const s of STREAMS) {
    const { addr, count } = layout.streams[s];
    const first = (addr - origin) / 32;
    out[s] = Array.from({ length: count }, (_, i) => {
      const w = layout.words.subarray(8 * (first + i), 8 * (first + i + 1));
      return { op: w[0], name: OPNAME[w[0]] ?? `op${w[0]}`, dst: w[1], a: w[2], b: w[3], m: w[4], n: w[5], k: w[6], x: w[7] };
    });
  }
  return out;
}

/** Instruction names of a stream, without the trailing CHECK_FINITE. */
export function opsOf(c: Compiled, stream: Stream): string[] {
  return c.code[stream].map((i) => i.name).filter((n) => n !== 'checkFinite');
}

export function allOps(c: Compiled): string[] {
  return STREAMS.flatMap((s) => opsOf(c, s));
}

const IN_PLACE = new Set(['binary', 'unary', 'fill']);

/**
 * Checks the layout's buffer assignment against a liveness analysis written
 * independently here: every value keeps its bytes from the instruction that
 * writes it to its last reader (to the end for outputs and values read by a
 * later stream); no other value may be written over them in between. An
 * element-wise op may write over an argument of its own length that it is
 * the last reader of. Scratch areas may not overlap anything live or the
 * op's own operands. Returns a list of violations (empty when sound).
 */
export function layoutViolations(c: Compiled): string[] {
  const { program: p, layout } = c;
  const root = (id: number): number => (p.nodes[id].op === 'alias' ? root(p.nodes[id].args[0]) : id);
  const need = new Set<number>();
  const mark = (id: number) => {
    if (need.has(id)) return;
    need.add(id);
    for (const a of p.nodes[id].args) mark(a);
  };
  mark(p.f);
  if (p.claim !== undefined) mark(p.claim);
  const order: Node[] = STREAMS.flatMap((s) => p.nodes.filter((n) => need.has(n.id) && n.stream === s));
  const pos = new Map(order.map((n, i) => [n.id, i]));
  const fixed = (n: Node) => n.op === 'input' || n.op === 'const';

  const def = new Map<number, number>();
  const last = new Map<number, number>();
  for (const n of order) {
    if (n.op === 'alias') continue;
    def.set(n.id, fixed(n) ? -1 : pos.get(n.id)!);
    last.set(n.id, fixed(n) ? Infinity : pos.get(n.id)!);
  }
  for (const n of order) {
    for (const a of n.args) {
      const r = root(a);
      const end = p.nodes[r].stream !== n.stream ? Infinity : pos.get(n.id)!;
      last.set(r, Math.max(last.get(r)!, end));
    }
  }
  for (const out of [p.f, p.claim]) if (out !== undefined) last.set(root(out), Infinity);

  const bytes = (id: number) => 8 * layout.values[id]!.rows * layout.values[id]!.cols;
  const range = (id: number): [number, number] => [layout.values[id]!.addr, layout.values[id]!.addr + bytes(id)];
  const overlap = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];
  const problems: string[] = [];
  const ids = [...def.keys()];
  for (const a of ids) {
    for (const b of ids) {
      if (a === b || def.get(a)! > def.get(b)!) continue;
      if (def.get(a) === def.get(b) && a > b) continue;
      if (!overlap(range(a), range(b))) continue;
      // b is written at def(b) while a is live until last(a).
      const writesB = def.get(b)!;
      if (writesB > last.get(a)!) continue;
      const nb = p.nodes[b];
      const inPlace = writesB === last.get(a) && IN_PLACE.has(nb.op) && nb.args.some((x) => root(x) === a) && bytes(a) === bytes(b);
      if (inPlace) continue;
      problems.push(`node ${b} (${nb.op}) is written over node ${a} (${p.nodes[a].op}), live until ${last.get(a)}`);
    }
  }
  // Scratch of the LU and power kernels.
  const scratchBytes = (i: Instr) => (i.name === 'matpow' ? 16 * i.m * i.m : 8 * (i.m * i.m + i.m));
  const all = STREAMS.flatMap((s) => c.code[s]);
  const computed = order.filter((n) => !fixed(n) && n.op !== 'alias');
  all.forEach((ins, idx) => {
    if (!['det', 'logdet', 'inv', 'matpow'].includes(ins.name)) return;
    const node = computed[idx - all.slice(0, idx).filter((i) => i.name === 'checkFinite').length];
    const at = pos.get(node.id)!;
    const scratch: [number, number] = [ins.b, ins.b + scratchBytes(ins)];
    for (const id of ids) {
      if (def.get(id)! <= at && last.get(id)! >= at && overlap(scratch, range(id))) problems.push(`scratch of node ${node.id} (${ins.name}) overlaps live node ${id}`);
    }
  });
  // Program words come after every buffer.
  const top = Math.max(...ids.map((id) => range(id)[1]));
  if (layout.streams.const.addr < top) problems.push(`program at ${layout.streams.const.addr} overlaps buffers up to ${top}`);
  return problems;
}
