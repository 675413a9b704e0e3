// The only place that knows how the WebAssembly engine is instantiated.
// Everything else receives an `Engine` and calls its raw exports.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateSync } from '@assemblyscript/loader';
import { MatcheckError } from '../errors.js';

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
  fdNoiseDirectional(prog: number, count: number, x: number, nX: number, dirs: number, nDir: number, hRel: number, f: number, nF: number, err: number, scratch: number): void;
  fdNoiseBasis(prog: number, count: number, x: number, nX: number, pairs: number, nBasis: number, hRel: number, f: number, nF: number, err: number, scratch: number): void;
  fdNoiseMixed(prog: number, count: number, x: number, nX: number, us: number, vs: number, nPairs: number, hRel: number, f: number, nF: number, err: number, scratch: number): void;
  fdNoiseSamples(samples: number, nF: number, s: number, err: number, work: number, spacing: number, force: number): number;
  noiseSpacings(): number;
  noiseTau(spacing: number): number;
  pairDirections(c: number, dirs: number, nX: number, nDir: number, offDiag: number, n: number, out: number): void;
  compare(a: number, b: number, len: number, out: number): void;
  fitFactor(a: number, b: number, len: number): number;
  worst(a: number, b: number, len: number, k: number, outIdx: number): number;
  norm2(a: number, len: number): number;
  dot(a: number, b: number, len: number): number;
  rngState(): number;
  rngSeed(st: number, chars: number, len: number): void;
  rngSeedHashed(st: number, bytes: number, len: number, digits: number): void;
  hashBytes(bytes: number, len: number, out: number): void;
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
    throw new MatcheckError({ code: 'E_ENGINE', stage: 'run', message: `the WebAssembly engine ${wasmPath(variant)} is missing`, hint: 'run `npm run build` first (an installed package ships it: install it again)' });
  }
}

/**
 * The environment variable that chooses the build of a process. The two
 * builds give the same draws but not the same result bits (relaxed SIMD
 * fuses multiply-adds), so a report names its build and a user can ask for
 * the one that made it.
 */
export const ENGINE_ENV = 'MATCHECK_ENGINE';

/** Whether this JavaScript engine runs the relaxed-SIMD build (Node 20 only with --experimental-wasm-relaxed-simd). */
export function relaxedSupported(): boolean {
  try {
    return WebAssembly.validate(new Uint8Array(readFileSync(wasmPath('relaxed'))));
  } catch {
    return false;
  }
}

/**
 * The build asked for as `simd`, `relaxed` or `auto` (relaxed where the
 * JavaScript engine validates it), by `where` (a flag or the variable).
 */
export function chooseVariant(asked: string, where: string): Variant {
  const text = asked.trim();
  if (text === 'simd') return 'simd';
  if (text === 'auto' || text === '') return relaxedSupported() ? 'relaxed' : 'simd';
  if (text !== 'relaxed') throw new MatcheckError({ code: 'E_ENGINE', stage: 'usage', message: `${where} is '${asked}'`, hint: 'it takes simd, relaxed or auto (the default: relaxed where supported)' });
  if (relaxedSupported()) return 'relaxed';
  throw relaxedRefused(where, 'on Node 20 start node with --experimental-wasm-relaxed-simd (matcheck never sets engine flags), or ask for simd');
}

/** The error for relaxed asked of a JavaScript engine that cannot compile it: what the build needs, then `hint`. */
function relaxedRefused(where: string, hint: string, field?: string): MatcheckError {
  const message = `${where} asks for relaxed, but this JavaScript engine does not run relaxed SIMD (fused multiply-add)`;
  return new MatcheckError({ code: 'E_ENGINE', stage: 'usage', message, hint, field });
}

const VARIANTS = Object.keys(FILES) as Variant[];

/** The build loadEngine was asked for: a name that is no build was read as the file build/undefined. */
function checkedVariant(variant: unknown): Variant {
  if (variant === undefined) return engineVariant();
  if (VARIANTS.includes(variant as Variant)) return variant as Variant;
  const got = typeof variant === 'string' ? `'${variant}'` : variant === null ? 'null' : `a ${typeof variant}`;
  throw new MatcheckError({
    code: 'E_ENGINE',
    stage: 'usage',
    field: 'variant',
    message: `loadEngine takes the build to load, simd or relaxed (or debug, the unoptimised one), got ${got}`,
    hint: 'leave it out for the build this process checks with (engineVariant(): relaxed where the JavaScript engine runs it, else simd)',
  });
}

/** Compiles a build; relaxed on an engine without relaxed SIMD is a usage error, not V8's CompileError. */
function compile(variant: Variant): WebAssembly.Module {
  const bytes = readModuleBytes(variant);
  try {
    return new WebAssembly.Module(bytes);
  } catch (e) {
    // Only the relaxed build uses instructions an engine that runs matcheck at all may lack.
    if (variant !== 'relaxed' || !(e instanceof WebAssembly.CompileError)) throw e;
    throw relaxedRefused(
      "loadEngine('relaxed')",
      "relaxed needs a JavaScript engine with relaxed SIMD: Node 20 has it only when started with --experimental-wasm-relaxed-simd (matcheck never sets engine flags). Leave the variant out for the build this process checks with (engineVariant(): relaxed only where it runs), or load 'simd'",
      'variant',
    );
  }
}

let defaultVariant: Variant | undefined;

/** The build this process checks with unless told otherwise: what a report must name to be reproduced. */
export function engineVariant(): Variant {
  return (defaultVariant ??= chooseVariant(process.env[ENGINE_ENV] ?? 'auto', ENGINE_ENV));
}

/**
 * Compiles (once per process and variant) and instantiates a fresh engine of
 * `variant` (default: engineVariant()). Throws MatcheckError E_ENGINE for a
 * name that is no build, or relaxed where this JavaScript engine cannot run it.
 */
export function loadEngine(variant?: Variant): Engine {
  const v = checkedVariant(variant);
  let mod = compiled.get(v);
  if (!mod) {
    mod = compile(v);
    compiled.set(v, mod);
  }
  const { instance } = instantiateSync(mod, {});
  const exports = instance.exports as unknown as EngineExports;
  return { variant: v, exports, memory: exports.memory, heapBase: exports.heapBase() };
}

const shared = new Map<Variant, Engine>();

/** One engine per build and process (per worker thread) for the checker to reuse. */
export function sharedEngine(variant: Variant = engineVariant()): Engine {
  let engine = shared.get(variant);
  if (!engine) shared.set(variant, (engine = loadEngine(variant)));
  return engine;
}
