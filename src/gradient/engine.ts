// checkGradient's arithmetic on the numbers it compares: the claimed values
// along directions, the comparisons and the worst entries all run in the
// WebAssembly engine, on buffers in its memory, through the same exports
// (and the same judge) the formula checker uses.
import { OPCODE } from '../compile/program.js';
import { sharedMemory, type Memory } from '../run/memory.js';
import type { Engine } from '../run/module.js';
import { judge, type Judgement } from '../verdict/judge.js';

export class EngineScratch {
  readonly memory: Memory;

  constructor(readonly engine: Engine) {
    this.memory = sharedMemory(engine);
  }

  /** Forgets every buffer: the next put starts at the bottom of the arena again. */
  reset(): void {
    this.memory.reset(this.engine.heapBase);
  }

  put(data: ArrayLike<number>): number {
    const addr = this.memory.alloc(8 * Math.max(1, data.length));
    this.memory.write(addr, data);
    return addr;
  }

  read(addr: number, len: number): Float64Array {
    return this.memory.read(addr, len);
  }

  // Every operation below starts from an empty arena and reads its result
  // back before returning, so no buffer outlives the call that made it.

  dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
    this.reset();
    return this.engine.exports.dot(this.put(a), this.put(b), a.length);
  }

  /** `sum_ij w_ij c_ij d_ij` over n x n c and d, w = 1 on the diagonal and `offDiag` off it (the engine's pairDirections, as checkFormula pairs a claim with a direction). */
  paired(c: ArrayLike<number>, d: ArrayLike<number>, offDiag: number, n: number): number {
    this.reset();
    const out = this.memory.alloc(8);
    this.engine.exports.pairDirections(this.put(c), this.put(d), n * n, 1, offDiag, n, out);
    return this.read(out, 1)[0];
  }

  /** `m x k` (column-major) times a `k`-vector, by the engine's MATMUL. */
  matvec(a: ArrayLike<number>, m: number, k: number, v: ArrayLike<number>): Float64Array {
    this.reset();
    const pa = this.put(a);
    const pv = this.put(v);
    const out = this.memory.alloc(8 * m);
    const prog = this.memory.alloc(32);
    this.memory.i32.set([OPCODE.matmul, out, pa, pv, m, 1, k, 0], prog >>> 2);
    this.engine.exports.run(prog, 1);
    return this.read(out, m);
  }

  /** The engine's first-derivative stencil on six blocks of nF values (fdCombine's order). */
  richardson(samples: readonly ArrayLike<number>[], s: number, nF: number): { values: Float64Array; errors: Float64Array } {
    this.reset();
    const at = this.memory.alloc(8 * 6 * nF);
    samples.forEach((y, k) => this.memory.write(at + 8 * k * nF, y));
    const out = this.memory.alloc(8 * nF);
    const err = this.memory.alloc(8 * nF);
    this.engine.exports.fdCombine(at, nF, s, out, err, this.memory.alloc(8 * 4 * nF));
    return { values: this.read(out, nF), errors: this.read(err, nF) };
  }

  /**
   * `errors` (nF estimates of a stencil with step s) raised where the noise
   * of f, measured on `samples` (f at x + j tau d, j = 0 .. 7, tau =
   * noiseTau(spacing) s), says they are too small (the engine's
   * fdNoiseSamples); undefined when the samples do not resolve f's rounding
   * and a wider spacing is left to try.
   */
  raisedByNoise(samples: readonly ArrayLike<number>[], s: number, errors: Float64Array, spacing: number, force: boolean): Float64Array | undefined {
    this.reset();
    const nF = errors.length;
    const at = this.memory.alloc(8 * samples.length * nF);
    samples.forEach((y, k) => this.memory.write(at + 8 * k * nF, y));
    const err = this.put(errors);
    const done = this.engine.exports.fdNoiseSamples(at, nF, s, err, this.memory.alloc(8 * samples.length), spacing, force ? 1 : 0);
    return done ? this.read(err, nF) : undefined;
  }

  /** How many spacings the noise measurement tries, and the spacing of each (times the step). */
  noiseSpacings(): number {
    return this.engine.exports.noiseSpacings();
  }

  noiseTau(spacing: number): number {
    return this.engine.exports.noiseTau(spacing);
  }

  /** Judges numerical against claimed values (src/verdict/judge.ts). */
  judge(num: ArrayLike<number>, claim: ArrayLike<number>, err: ArrayLike<number>, tolerance?: number, noiseMeasured = false): Judgement {
    this.reset();
    return judge(this, this.put(num), this.put(claim), this.put(err), num.length, tolerance, noiseMeasured);
  }

  /** `norm2(num - claim) / max(norm2(num), norm2(claim), tiny)`, as the judge measures it. */
  relErr(num: ArrayLike<number>, claim: ArrayLike<number>): number {
    this.reset();
    return judge(this, this.put(num), this.put(claim), 0, num.length, 1).relErr;
  }

  /** Indices of the `k` largest |num_i - claim_i|, largest first. */
  worst(num: ArrayLike<number>, claim: ArrayLike<number>, k: number): number[] {
    this.reset();
    const idx = this.memory.alloc(4 * k);
    const n = this.engine.exports.worst(this.put(num), this.put(claim), num.length, k, idx);
    return Array.from(this.memory.i32.subarray(idx >>> 2, (idx >>> 2) + n));
  }
}
