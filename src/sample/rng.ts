// The seeded generator every random draw goes through, and the derivation
// of per-row and per-trial seeds from a table's seed.
//
// Generator: seedrandom's Tyche-i (S. Neves and F. Araujo, "Fast and small
// nonlinear pseudorandom number generators for computer simulation", PPAM
// 2011, which reports it passing TestU01's BigCrush), seeded from a string
// exactly as seedrandom's `tychei(seed)` and stepped exactly as its
// `next()`, both in the engine (assembly/random.ts): the same uniform draws
// as seedrandom's tychei `double()`, bit for bit (tests hold it to
// seedrandom itself), turned into normals (Marsaglia's polar method) with
// the engine's own log, so that a seed gives the same values on every
// JavaScript engine and Node version. seedrandom's own tychei seeded in
// TypeScript took 0.6 us a trial, an eighth of a small check.
//
// Tyche-i, not seedrandom's Alea: its step is a handful of 32-bit operations
// where Alea's is a chain of floating-point operations (5.4 against 20 ns a
// uniform draw here), and its seeding reads the string once where Alea's
// hashes it three times (a fresh generator is seeded for every trial of
// every row). seedrandom's default, ARC4, is cryptographic, which buys
// nothing here.
import { MatcheckError } from '../errors.js';
import { sharedMemory, type Memory } from '../run/memory.js';
import { sharedEngine, type Engine } from '../run/module.js';

export interface Rng {
  /** Uniform on (0, 1), 53 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1), by Marsaglia's polar method. */
  normal(): number;
  /** Uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** out[at .. at + n) = n standard normals: the values of n calls of normal(). */
  normals(out: Float64Array, at: number, n: number): void;
  /** out[at .. at + n) = lo + (hi - lo) * u for n uniform draws u. */
  uniforms(out: Float64Array, at: number, n: number, lo: number, hi: number): void;
  /** A Haar-distributed orthogonal n x n matrix at out[at ...], from n * n normals (see haarInto, its plain JavaScript). */
  orthogonal(n: number, out: Float64Array, at: number): void;
  /**
   * U diag(s) V' at out[at ...] (n x n): U then V Haar-distributed as by
   * orthogonal() (V = U when `symmetric`, and the result exactly symmetric),
   * then s, n uniforms in [lo, hi). See haarProductInto.
   */
  haarProduct(n: number, symmetric: boolean, lo: number, hi: number, out: Float64Array, at: number): void;
  /** An independent copy of this generator in its current state: it draws what this one would draw next. */
  fork(): Rng;
}

/** The integer in [lo, hi] that uniform draw `u` picks (every generator's `int`). */
export function intFrom(u: number, lo: number, hi: number): number {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
    throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message: `cannot draw an integer from [${lo}, ${hi}]` });
  }
  return lo + Math.floor(u * (hi - lo + 1));
}

/** A generator seeded by `seed`, drawing in `engine` (any engine gives the same values). */
export function makeRng(seed: string, engine: Engine = sharedEngine()): Rng {
  const memory = sharedMemory(engine);
  const e = engine.exports;
  const st = e.rngState();
  inStaging(memory, 2 * seed.length, (chars) => {
    const u16 = memory.u16;
    for (let i = 0, w = chars >>> 1; i < seed.length; i++) u16[w + i] = seed.charCodeAt(i);
    e.rngSeed(st, chars, seed.length);
  });
  return seeded(memory, st);
}

/**
 * The generator of trial `trial` of a row: makeRng(trialSeed(rowSeed,
 * trial)), the same draws, with the trial's seed hashed and used inside the
 * engine (its string is never needed: a report names the row's seed and
 * the trial). A trial's seeding took 1 us in TypeScript.
 */
export function makeTrialRng(rowSeed: string, trial: number, engine: Engine = sharedEngine()): Rng {
  const parts = trialParts(rowSeed, trial);
  const memory = sharedMemory(engine);
  const st = engine.exports.rngState();
  inStream(memory, parts, (start, length, digits) => engine.exports.rngSeedHashed(st, start, length, digits));
  return seeded(memory, st);
}

/** A generator with the state just seeded at `st`. */
function seeded(memory: Memory, st: number): Rng {
  const i32 = memory.i32;
  const w = st >>> 2;
  return new EngineRng(memory, [i32[w], i32[w + 1], i32[w + 2], i32[w + 3], 0, 0]);
}

/**
 * Runs `use` with `bytes` bytes of engine memory: the module's staging area
 * when they fit (no reservation), else reserved above the last reservation.
 */
function inStaging<T>(memory: Memory, bytes: number, use: (addr: number) => T): T {
  const e = memory.engine.exports;
  return bytes <= 8 * e.rngStagingLength() ? use(e.rngStaging()) : memory.withScratch(bytes, use);
}

/**
 * The generator's state and the spare normal live here between draws
 * ([a, b, c, d, spare, hasSpare]) and are copied into the engine's state
 * block around each call: any number of generators may be alive at once.
 */
class EngineRng implements Rng {
  private readonly e: Engine['exports'];
  private readonly st: number;

  constructor(
    private readonly memory: Memory,
    private readonly state: number[],
  ) {
    this.e = memory.engine.exports;
    this.st = this.e.rngState();
  }

  /** The block's layout is assembly/random.ts's: four i32, the spare f64 at 16, the flag i32 at 24. */
  private enter(): void {
    const { i32, f64 } = this.memory;
    const w = this.st >>> 2;
    const s = this.state;
    i32[w] = s[0];
    i32[w + 1] = s[1];
    i32[w + 2] = s[2];
    i32[w + 3] = s[3];
    f64[(this.st + 16) >>> 3] = s[4];
    i32[w + 6] = s[5];
  }

  private leave(): void {
    const { i32, f64 } = this.memory;
    const w = this.st >>> 2;
    const s = this.state;
    s[0] = i32[w];
    s[1] = i32[w + 1];
    s[2] = i32[w + 2];
    s[3] = i32[w + 3];
    s[4] = f64[(this.st + 16) >>> 3];
    s[5] = i32[w + 6];
  }

  uniform(): number {
    this.enter();
    const u = this.e.rngUniform(this.st);
    this.leave();
    return u;
  }

  normal(): number {
    this.enter();
    const z = this.e.rngNormal(this.st);
    this.leave();
    return z;
  }

  int(lo: number, hi: number): number {
    return intFrom(this.uniform(), lo, hi);
  }

  fork(): Rng {
    return new EngineRng(this.memory, this.state.slice());
  }

  normals(out: Float64Array, at: number, n: number): void {
    this.inScratch(0, n, out, at, (_, dst) => this.e.rngNormals(this.st, dst, n));
  }

  uniforms(out: Float64Array, at: number, n: number, lo: number, hi: number): void {
    this.inScratch(0, n, out, at, (_, dst) => this.e.rngUniforms(this.st, dst, n, lo, hi - lo));
  }

  orthogonal(n: number, out: Float64Array, at: number): void {
    this.inScratch(n * n + n, n * n, out, at, (work, dst) => this.e.rngOrthogonal(this.st, n, dst, work));
  }

  haarProduct(n: number, symmetric: boolean, lo: number, hi: number, out: Float64Array, at: number): void {
    this.inScratch(4 * n * n + 2 * n, n * n, out, at, (work, dst) => this.e.rngHaarProduct(this.st, n, symmetric ? 1 : 0, lo, hi - lo, dst, work));
  }

  /**
   * Runs an engine draw of `length` values into out[at ...] with `work` f64
   * of work space: from the staging area when it fits, else reserved in
   * engine memory for the call. A JavaScript array gets the values through
   * the work space's end. Draws straight into engine memory (the common
   * case, every input of a trial) use no space at all.
   */
  private inScratch(work: number, length: number, out: Float64Array, at: number, draw: (work: number, dst: number) => void): void {
    if (length <= 0) return;
    // Told before anything can grow the memory (which detaches views).
    const inEngine = this.inEngine(out);
    const dst = inEngine ? out.byteOffset + 8 * at : -1;
    if (inEngine && work === 0) {
      this.enter();
      draw(0, dst);
      this.leave();
      return;
    }
    const run = (scratch: number) => {
      const target = inEngine ? dst : scratch + 8 * work;
      this.enter();
      draw(scratch, target);
      this.leave();
      if (!inEngine) out.set(this.memory.f64.subarray(target >>> 3, (target >>> 3) + length), at);
    };
    const total = work + (inEngine ? 0 : length);
    if (total <= this.e.rngStagingLength()) run(this.e.rngStaging());
    else this.memory.withScratch(8 * total, run);
  }

  /** Whether `out` is a view of the engine's memory (the memory's own view, the common case, is told without reading .buffer, 20 ns a read). */
  private inEngine(out: Float64Array): boolean {
    return out === this.memory.f64 || out.buffer === this.memory.f64.buffer;
  }
}

const utf8 = new TextEncoder();

/**
 * A 64-bit hash of a list of strings, as 16 hex digits. Each part is fed as
 * `<byte length>:<UTF-8 bytes>`, so no two lists give the same byte stream
 * (`a/b` + `c` differs from `a` + `b/c`). The hash is FNV-1a followed by
 * MurmurHash3's 64-bit finaliser (assembly/hash.ts): FNV-1a alone barely
 * mixes the last bytes, so the hashes of `row1` and `row2` would differ by a
 * small multiple of the FNV prime, in about 11 of 64 bits.
 *
 * Integer arithmetic: every build gives the same digits. Without `engine`,
 * the SIMD128 build's (it runs everywhere), so that deriving a seed never
 * depends on which build MATCHECK_ENGINE names, or on that name being valid.
 */
export function hashParts(parts: readonly string[], engine: Engine = sharedEngine('simd')): string {
  const memory = sharedMemory(engine);
  return inStream(memory, parts, (start, length, out) => {
    engine.exports.hashBytes(start, length, out);
    const u8 = memory.u8;
    return String.fromCharCode(u8[out], u8[out + 1], u8[out + 2], u8[out + 3], u8[out + 4], u8[out + 5], u8[out + 6], u8[out + 7],
      u8[out + 8], u8[out + 9], u8[out + 10], u8[out + 11], u8[out + 12], u8[out + 13], u8[out + 14], u8[out + 15]);
  });
}

/**
 * Runs `use(start, length, digits)` with the hashed stream of `parts`
 * written in engine memory at `start` and 16 bytes for hex digits just
 * before it (the staging area when they fit).
 */
function inStream<T>(memory: Memory, parts: readonly string[], use: (start: number, length: number, digits: number) => T): T {
  // At most 3 UTF-8 bytes a UTF-16 unit, and a length prefix of at most 17 bytes.
  let bound = 16;
  for (let p = 0; p < parts.length; p++) bound += 3 * parts[p].length + 17;
  return inStaging(memory, bound, (digits) => {
    const start = digits + 16;
    return use(start, writeStream(memory.u8, start, parts) - start, digits);
  });
}

/** Writes the hashed stream of `parts` (`<byte length>:<UTF-8 bytes>` each) at `at`; returns its end. */
function writeStream(u8: Uint8Array, at: number, parts: readonly string[]): number {
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    // An ASCII string (every seed, most ids) is its own UTF-8.
    const bytes = isAscii(part) ? undefined : utf8.encode(part);
    const length = String(bytes ? bytes.length : part.length);
    for (let i = 0; i < length.length; i++) u8[at++] = length.charCodeAt(i);
    u8[at++] = 58; // ':'
    if (bytes) {
      u8.set(bytes, at);
      at += bytes.length;
    } else {
      for (let i = 0; i < part.length; i++) u8[at++] = part.charCodeAt(i);
    }
  }
  return at;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The seed of one row: a function of the table's seed and the row's id
 * only, so adding, removing or reordering rows changes no other row's draws.
 */
export function deriveSeed(tableSeed: string, rowId: string): string {
  return hashParts(['row', tableSeed, rowId]);
}

/** The seed of trial `trial` (0, 1, ...) of a row. */
export function trialSeed(rowSeed: string, trial: number): string {
  return hashParts(trialParts(rowSeed, trial));
}

function trialParts(rowSeed: string, trial: number): string[] {
  if (!Number.isSafeInteger(trial) || trial < 0) {
    throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message: `a trial number must be a non-negative integer, got ${trial}` });
  }
  return ['trial', rowSeed, String(trial)];
}
