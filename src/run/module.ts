// The only place that knows how the WebAssembly engine is instantiated.
// Everything else receives an `Engine` and calls its raw exports.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateSync } from '@assemblyscript/loader';

export type Variant = 'simd' | 'relaxed' | 'debug';

/** Raw exports of the module (see docs/engine-abi.md). */
export interface EngineExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  run(prog: number, count: number): number;
  kinkSignature(): number;
  fdDirectional(prog: number, count: number, x: number, nX: number, dirs: number, nDir: number, hRel: number, f: number, nF: number, out: number, err: number, scratch: number): number;
  fdBasis(prog: number, count: number, x: number, nX: number, pairs: number, nBasis: number, hRel: number, f: number, nF: number, out: number, err: number, scratch: number): number;
  fdMixed(prog: number, count: number, x: number, nX: number, us: number, vs: number, nPairs: number, hRel: number, f: number, nF: number, out: number, err: number, scratch: number): number;
  fdCombine(samples: number, nF: number, s: number, out: number, err: number, scratch: number): void;
  pairDirections(c: number, dirs: number, nX: number, nDir: number, offDiag: number, n: number, out: number): void;
  compare(a: number, b: number, len: number, out: number): void;
  worst(a: number, b: number, len: number, k: number, outIdx: number): number;
  norm2(a: number, len: number): number;
  dot(a: number, b: number, len: number): number;
  rngState(): number;
  rngStaging(): number;
  rngStagingLength(): number;
  rngUniform(st: number): number;
  rngNormal(st: number): number;
  rngNormals(st: number, out: number, n: number): void;
  rngUniforms(st: number, out: number, n: number, lo: number, width: number): void;
  rngOrthogonal(st: number, n: number, out: number, work: number): void;
  rngHaarProduct(st: number, n: number, symmetric: number, lo: number, width: number, out: number, work: number): void;
}

export interface Engine {
  readonly variant: Variant;
  readonly exports: EngineExports;
  readonly memory: WebAssembly.Memory;
  readonly heapBase: number;
}

const FILES: Record<Variant, string> = {
  simd: 'matcheck.wasm',
  relaxed: 'matcheck-relaxed.wasm',
  debug: 'matcheck-debug.wasm',
};

const compiled = new Map<Variant, WebAssembly.Module>();

function wasmPath(variant: Variant): string {
  // src/run/module.ts and dist/run/module.js sit two levels below the package
  // root, where the build writes build/*.wasm; the compiled benchmarks
  // (dist-bench/src/run/module.js) three.
  const candidates = ['../../build/', '../../../build/'].map((dir) => fileURLToPath(new URL(dir + FILES[variant], import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

function readModuleBytes(variant: Variant): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(readFileSync(wasmPath(variant)));
  } catch {
    throw new Error(`matcheck: the WebAssembly engine ${wasmPath(variant)} is missing; run \`npm run build\` first`);
  }
}

/** The relaxed-SIMD build is used only where the engine validates it. */
function pickVariant(): Variant {
  const bytes = (() => {
    try {
      return new Uint8Array(readFileSync(wasmPath('relaxed')));
    } catch {
      return undefined;
    }
  })();
  return bytes && WebAssembly.validate(bytes) ? 'relaxed' : 'simd';
}

let autoVariant: Variant | undefined;

/** Compiles (once per process and variant) and instantiates a fresh engine. */
export function loadEngine(variant?: Variant): Engine {
  const v = variant ?? (autoVariant ??= pickVariant());
  let mod = compiled.get(v);
  if (!mod) {
    mod = new WebAssembly.Module(readModuleBytes(v));
    compiled.set(v, mod);
  }
  const { instance } = instantiateSync(mod, {});
  const exports = instance.exports as unknown as EngineExports;
  return { variant: v, exports, memory: exports.memory, heapBase: exports.heapBase() };
}

let shared: Engine | undefined;

/** One engine per process (per worker thread) for the checker to reuse. */
export function sharedEngine(): Engine {
  return (shared ??= loadEngine());
}
