// Test harness for the raw engine: a bump arena above heapBase, views that
// follow memory growth, and helpers to write programs of 8-word instructions.
import { loadEngine, relaxedSupported, type Engine, type EngineExports, type Variant } from '../../src/run/module.js';

export const OP = {
  NOP: 0, COPY: 1, FILL: 2, BINARY: 3, UNARY: 4, MATMUL: 5, TRANSPOSE: 6, SUM: 7, TRACE: 8,
  NORM1: 9, NORM2: 10, DOT: 11, DET: 12, LOGDET: 13, INV: 14, KRON: 15, DIAG_TO_MATRIX: 16,
  DIAG_OF_MATRIX: 17, EYE: 18, SOFTMAX: 19, LOGSUMEXP: 20, MATPOW: 21, CHECK_FINITE: 22,
  TRACE_MATMUL: 23,
} as const;

export const FN = {
  neg: 0, exp: 1, log: 2, sin: 3, cos: 4, tan: 5, arcsin: 6, arccos: 7, arctan: 8, sqrt: 9,
  tanh: 10, abs: 11, sign: 12, relu: 13, sigmoid: 14, softplus: 15,
} as const;

export const STATUS = { NONFINITE: 1, DOMAIN: 2, SINGULAR: 4, KINK: 8 } as const;

/** One instruction: [op, dst, a, b, m, n, k, x]; missing words are 0. */
export type Instr = [number, number?, number?, number?, number?, number?, number?, number?];

export function ins(op: number, dst = 0, a = 0, b = 0, m = 0, n = 0, k = 0, x = 0): Instr {
  return [op, dst, a, b, m, n, k, x];
}

const PAGE = 65536;

export class Harness {
  readonly engine: Engine;
  readonly exports: EngineExports;
  readonly memory: WebAssembly.Memory;
  private next: number;
  private f64View: Float64Array;
  private i32View: Int32Array;

  constructor(variant: Variant) {
    this.engine = loadEngine(variant);
    this.exports = this.engine.exports;
    this.memory = this.engine.memory;
    this.next = this.engine.heapBase;
    this.f64View = new Float64Array(this.memory.buffer);
    this.i32View = new Int32Array(this.memory.buffer);
  }

  /** Forget every buffer (the memory keeps its size). */
  reset(): void {
    this.next = this.engine.heapBase;
  }

  /** Views over the current buffer: memory.grow detaches the old ones. */
  get f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }

  get i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer) this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  /** A 16-aligned block of `bytes` bytes, growing the memory when needed. */
  alloc(bytes: number): number {
    const addr = (this.next + 15) & ~15;
    this.next = addr + Math.max(bytes, 0);
    const have = this.memory.buffer.byteLength;
    if (this.next > have) this.memory.grow(Math.ceil((this.next - have) / PAGE));
    return addr;
  }

  /** A buffer of `len` doubles, zeroed (or filled with `values`). */
  buf(len: number, values?: ArrayLike<number>): number {
    const p = this.alloc(8 * len);
    this.f64.fill(0, p / 8, p / 8 + len);
    if (values) this.write(p, values);
    return p;
  }

  write(ptr: number, values: ArrayLike<number>): void {
    this.f64.set(values, ptr / 8);
  }

  /** A copy of `len` doubles at `ptr`. */
  read(ptr: number, len: number): Float64Array {
    return this.f64.slice(ptr / 8, ptr / 8 + len);
  }

  i32buf(values: ArrayLike<number>): number {
    const p = this.alloc(4 * values.length);
    this.i32.set(values, p / 4);
    return p;
  }

  readI32(ptr: number, len: number): Int32Array {
    return this.i32.slice(ptr / 4, ptr / 4 + len);
  }

  /** The raw bytes at `ptr` (for bit-for-bit comparisons). */
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer).slice(ptr, ptr + len);
  }

  program(instrs: Instr[]): number {
    const words: number[] = [];
    for (const w of instrs) for (let i = 0; i < 8; i++) words.push(w[i] ?? 0);
    return this.i32buf(words);
  }

  /** Writes and runs a program; returns the status word. */
  run(instrs: Instr[]): number {
    return this.exports.run(this.program(instrs), instrs.length);
  }
}

/** Variants the tests run: simd and debug always, relaxed where the engine validates it. */
export const VARIANTS: Variant[] = relaxedSupported() ? ['simd', 'debug', 'relaxed'] : ['simd', 'debug'];
