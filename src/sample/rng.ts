// The seeded generator every random draw goes through, and the derivation
// of per-row and per-trial seeds from a table's seed.
//
// Generator: seedrandom's Tyche-i (S. Neves and F. Araujo, "Fast and small
// nonlinear pseudorandom number generators for computer simulation", PPAM
// 2011, which reports it passing TestU01's BigCrush). seedrandom seeds it
// from the string and the engine (assembly/random.ts) continues the stream:
// the same uniform draws as seedrandom's tychei `double()`, bit for bit,
// turned into normals (Marsaglia's polar method) with the engine's own log,
// so that a seed gives the same values on every JavaScript engine and Node
// version.
//
// Tyche-i, not seedrandom's Alea: its step is a handful of 32-bit operations
// where Alea's is a chain of floating-point operations (5.4 against 20 ns a
// uniform draw here), and its seeding reads the string once where Alea's
// hashes it three times (a fresh generator is seeded for every trial of
// every row). seedrandom's default, ARC4, is cryptographic, which buys
// nothing here.
import seedrandom from 'seedrandom';
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
  const s = seedrandom.tychei(seed, { state: true }).state();
  return new EngineRng(sharedMemory(engine), [s.a, s.b, s.c, s.d, 0, 0]);
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
 * MurmurHash3's 64-bit finaliser: FNV-1a alone barely mixes the last
 * bytes, so the hashes of `row1` and `row2` would differ by a small multiple
 * of the FNV prime, in about 11 of 64 bits.
 *
 * All 64-bit arithmetic is done on signed 32-bit halves (no BigInt, no
 * floating division): seeds are hashed for every trial of every row.
 */
export function hashParts(parts: readonly string[]): string {
  fnvHi = 0xcbf29ce4 | 0;
  fnvLo = 0x84222325 | 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    // An ASCII string (every seed, most ids) is its own UTF-8; other text is
    // fed as a string of its UTF-8 bytes.
    const bytes = isAscii(part) ? part : byteString(utf8.encode(part));
    fnvFeed(`${bytes.length}:`);
    fnvFeed(bytes);
  }
  // MurmurHash3's fmix64: k ^= k >>> 33 is lo ^= hi >>> 1.
  mul64(fnvHi, fnvLo ^ (fnvHi >>> 1), 0xff51afd7, 0xed558ccd);
  mul64(mulHi, mulLo ^ (mulHi >>> 1), 0xc4ceb9fe, 0x1a85ec53);
  return hex64(mulHi, mulLo ^ (mulHi >>> 1));
}

/** The FNV-1a state (module variables: no object per hash). */
let fnvHi = 0;
let fnvLo = 0;

/** FNV-1a over the char codes of `s` (each below 256). */
function fnvFeed(s: string): void {
  let hi = fnvHi;
  let lo = fnvLo;
  for (let i = 0; i < s.length; i++) {
    lo ^= s.charCodeAt(i);
    // h * (2^40 + 0x1b3) mod 2^64: lo * 0x1b3 carries into hi, and h << 40
    // adds lo << 8 to hi. lo * 0x1b3 is formed from 16-bit halves.
    const a = (lo & 0xffff) * 0x1b3;
    const b = (lo >>> 16) * 0x1b3 + (a >>> 16);
    hi = (Math.imul(hi, 0x1b3) + (b >>> 16) + (lo << 8)) | 0;
    lo = (b << 16) | (a & 0xffff);
  }
  fnvHi = hi;
  fnvLo = lo;
}

/** The last mul64 result. */
let mulHi = 0;
let mulLo = 0;

/** (ah:al) * (bh:bl) mod 2^64 into mulHi:mulLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  // The high word of al * bl, exactly, from 16-bit limbs (each product below 2^32).
  const a1 = al >>> 16, a0 = al & 0xffff, b1 = bl >>> 16, b0 = bl & 0xffff;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  mulHi = (Math.imul(ah, bl) + Math.imul(al, bh) + carry) | 0;
  mulLo = Math.imul(al, bl);
}

/** The char code of hex digit (x >>> shift) & 15. */
const hexDigit = (x: number, shift: number): number => {
  const d = (x >>> shift) & 15;
  return d < 10 ? 48 + d : 87 + d;
};

/** 16 hex digits as one flat string (joined pieces would be flattened by every reader). */
function hex64(hi: number, lo: number): string {
  return String.fromCharCode(
    hexDigit(hi, 28), hexDigit(hi, 24), hexDigit(hi, 20), hexDigit(hi, 16), hexDigit(hi, 12), hexDigit(hi, 8), hexDigit(hi, 4), hexDigit(hi, 0),
    hexDigit(lo, 28), hexDigit(lo, 24), hexDigit(lo, 20), hexDigit(lo, 16), hexDigit(lo, 12), hexDigit(lo, 8), hexDigit(lo, 4), hexDigit(lo, 0),
  );
}

/** The string whose char codes are `bytes` (in slices: a call takes only so many arguments). */
function byteString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
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
  if (!Number.isSafeInteger(trial) || trial < 0) {
    throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message: `a trial number must be a non-negative integer, got ${trial}` });
  }
  return hashParts(['trial', rowSeed, String(trial)]);
}
