// Kernel benchmark: matmul, inv, det for n in {4, 16, 64, 128, 256}.
// The WebAssembly engine (through `run` with a one-instruction program, inputs
// written once beforehand) against the best plain-TypeScript kernels we could
// write (bench/baselines/plain-kernels.ts) and against mathjs.
//
//   npx tsx bench/kernels.ts [--quick]   prints a table, writes bench/results/kernels.json
//   node --experimental-wasm-relaxed-simd --import tsx bench/kernels.ts --variant relaxed
//                                         (Node 20 runs the relaxed build only with that flag;
//                                          writes bench/results/kernels-relaxed.json)
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matrix, multiply, inv as mathInv, det as mathDet, type Matrix } from 'mathjs';
import { loadEngine, type Engine, type Variant } from '../src/run/module.js';
import { matmulPlain, detPlain, invPlain } from './baselines/plain-kernels.js';
import { alternateRounds, median, pairedRatio, type Budget } from './measure.js';

const ROUNDS = 5;

export type KernelName = 'matmul' | 'inv' | 'det';

export interface KernelRow {
  name: KernelName;
  n: number;
  wasmMedianNs: number;
  plainTsMedianNs: number;
  mathjsMedianNs: number;
  /** How many times faster the engine is than plain TS: the median over rounds of their ratio in a round (pairedRatio). */
  ratioPlainTs: number;
  /** The same against mathjs. */
  ratioMathjs: number;
}

export interface KernelBenchOptions {
  /** Shorter time budgets (a smoke run). */
  quick?: boolean;
  /** Engine variant (default `simd`; `relaxed` only where the engine validates it). */
  variant?: Variant;
  /** Sizes (default 4, 16, 64, 128, 256). */
  sizes?: number[];
}

const SIZES = [4, 16, 64, 128, 256];
const KERNELS: KernelName[] = ['matmul', 'inv', 'det'];
const OP = { matmul: 5, det: 12, inv: 14 } as const;

/** Flop counts, only for the GFLOP/s column. */
const FLOPS: Record<KernelName, (n: number) => number> = {
  matmul: (n) => 2 * n ** 3,
  det: (n) => (2 / 3) * n ** 3,
  inv: (n) => 2 * n ** 3,
};

/**
 * A seeded, well-conditioned test matrix (column-major): I + E / sqrt(n) with
 * E uniform in [-0.5, 0.5], so its det stays near 1 (no overflow at n = 256).
 */
function testMatrix(n: number, seed: number): Float64Array {
  let s = seed;
  const next = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = next() / Math.sqrt(n);
  for (let i = 0; i < n; i++) a[i + i * n] += 1;
  return a;
}

function toMathjs(a: Float64Array, n: number): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(a[i + j * n]);
    rows.push(row);
  }
  return matrix(rows);
}

function fromMathjs(m: Matrix, n: number): Float64Array {
  const rows = m.toArray() as number[][];
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i + j * n] = rows[i][j];
  return out;
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

/** Buffers for one size inside the engine: a, b, c, scratch and three one-instruction programs. */
class EngineSetup {
  readonly progs: Record<KernelName, number>;
  readonly c: number;

  constructor(private readonly engine: Engine, n: number, a: Float64Array, b: Float64Array) {
    let next = engine.heapBase;
    const alloc = (bytes: number): number => {
      const p = (next + 15) & ~15;
      next = p + bytes;
      const have = engine.memory.buffer.byteLength;
      if (next > have) engine.memory.grow(Math.ceil((next - have) / 65536));
      return p;
    };
    const pa = alloc(8 * n * n);
    const pb = alloc(8 * n * n);
    this.c = alloc(8 * n * n);
    const scratch = alloc(8 * (n * n + n));
    const prog = alloc(3 * 32);
    // Views after every grow: the old ones are detached.
    const f64 = new Float64Array(engine.memory.buffer);
    const i32 = new Int32Array(engine.memory.buffer);
    f64.set(a, pa / 8);
    f64.set(b, pb / 8);
    i32.set([OP.matmul, this.c, pa, pb, n, n, n, 0], prog / 4);
    i32.set([OP.inv, this.c, pa, scratch, n, 0, 0, 0], prog / 4 + 8);
    i32.set([OP.det, this.c, pa, scratch, n, 0, 0, 0], prog / 4 + 16);
    this.progs = { matmul: prog, inv: prog + 32, det: prog + 64 };
  }

  result(len: number): Float64Array {
    return new Float64Array(this.engine.memory.buffer).slice(this.c / 8, this.c / 8 + len);
  }
}

function budgets(n: number, quick: boolean): { fast: Budget; mathjs: Budget } {
  const q = quick ? 0.2 : 1;
  // Per round (ROUNDS rounds of each, the three implementations in turn).
  const fast: Budget = { time: (n >= 64 ? 100 : 60) * q, iterations: 8, warmupTime: 30 * q, warmupIterations: 3 };
  // mathjs takes up to about a second per call at n = 256: one call a round
  // there (measure() makes two more to size its batch).
  const mathjs: Budget =
    n >= 128 ? { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 }
    : { time: 50 * q, iterations: 2, warmupTime: 10 * q, warmupIterations: 1 };
  return { fast, mathjs };
}

/** Runs the benchmark; rows in the order matmul, inv, det per size. */
export function runKernelBench(opts: KernelBenchOptions = {}): KernelRow[] {
  const quick = opts.quick ?? false;
  const engine = loadEngine(opts.variant ?? 'simd');
  const rows: KernelRow[] = [];
  for (const n of opts.sizes ?? SIZES) {
    const a = testMatrix(n, 12345 + n);
    const b = testMatrix(n, 54321 + n);
    const setup = new EngineSetup(engine, n, a, b);
    const run = engine.exports.run;
    const c = new Float64Array(n * n);
    const work = new Float64Array(n * n);
    const piv = new Int32Array(n);
    const perm = new Int32Array(n);
    const ma = toMathjs(a, n);
    const mb = toMathjs(b, n);
    const { fast, mathjs } = budgets(n, quick);
    for (const name of KERNELS) {
      const prog = setup.progs[name];
      const wasm = (): number => run(prog, 1);
      let plain: () => unknown;
      let viaMathjs: () => unknown;
      // Every implementation must agree before it is timed.
      if (name === 'matmul') {
        plain = () => matmulPlain(c, a, b, n, n, n);
        viaMathjs = () => multiply(ma, mb);
        wasm();
        plain();
        const want = fromMathjs(viaMathjs() as Matrix, n);
        check(name, n, relDiff(setup.result(n * n), want), relDiff(c, want));
      } else if (name === 'inv') {
        plain = () => invPlain(c, a, n, work, piv, perm);
        viaMathjs = () => mathInv(ma);
        wasm();
        plain();
        const want = fromMathjs(viaMathjs() as Matrix, n);
        check(name, n, relDiff(setup.result(n * n), want), relDiff(c, want));
      } else {
        let d = 0;
        plain = () => (d = detPlain(a, n, work, piv));
        viaMathjs = () => mathDet(ma);
        wasm();
        plain();
        const want = mathDet(ma);
        check(name, n, Math.abs(setup.result(1)[0] - want) / Math.abs(want), Math.abs(d - want) / Math.abs(want));
      }
      // mathjs in the same rounds: its ratio, too, compares like with like.
      const [wasmNs, plainNs, mathjsNs] = alternateRounds([wasm, plain, viaMathjs], [fast, fast, mathjs], quick ? 2 : ROUNDS);
      rows.push({
        name, n,
        wasmMedianNs: median(wasmNs),
        plainTsMedianNs: median(plainNs),
        mathjsMedianNs: median(mathjsNs),
        ratioPlainTs: pairedRatio(plainNs, wasmNs),
        ratioMathjs: pairedRatio(mathjsNs, wasmNs),
      });
    }
  }
  return rows;
}

function check(name: string, n: number, wasmErr: number, plainErr: number): void {
  if (!(wasmErr <= 1e-9 && plainErr <= 1e-9)) {
    throw new Error(`${name} n=${n}: results disagree with mathjs (wasm ${wasmErr}, plain TS ${plainErr})`);
  }
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} us`;
  return `${ns.toFixed(0)} ns`;
}

export function formatTable(rows: KernelRow[]): string {
  const head = ['kernel', 'n', 'wasm', 'GFLOP/s', 'plain TS', 'mathjs', 'vs plain TS', 'vs mathjs'];
  const body = rows.map((r) => [
    r.name, String(r.n), fmtNs(r.wasmMedianNs), (FLOPS[r.name](r.n) / r.wasmMedianNs).toFixed(2),
    fmtNs(r.plainTsMedianNs), fmtNs(r.mathjsMedianNs), `${r.ratioPlainTs.toFixed(2)}x`, `${r.ratioMathjs.toFixed(1)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--variant');
  const variant = (at > 0 ? process.argv[at + 1] : 'simd') as Variant;
  const started = performance.now();
  const rows = runKernelBench({ quick, variant });
  const seconds = (performance.now() - started) / 1000;
  console.log(formatTable(rows));
  console.log(`\n${seconds.toFixed(1)} s, engine variant ${variant}, node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const out = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, variant, quick, seconds, rows };
  writeFileSync(`${dir}${variant === 'simd' ? 'kernels' : `kernels-${variant}`}.json`, JSON.stringify(out, null, 2) + '\n');
}
