// Views on the engine's linear memory, re-created whenever the memory has
// grown (growing detaches every old view, and a stale view drops writes
// silently), plus a bump allocator for the region above a layout.
import { MatcheckError } from '../errors.js';
import type { Engine } from './module.js';

const PAGE = 65536;

/**
 * The most engine memory matcheck uses. Addresses travel through the
 * engine's i32 instruction words, so they must stay below 2^31.
 */
export const MAX_ENGINE_BYTES = 2 ** 31 - PAGE;

/** An amount of memory in MiB or GiB, rounded up (a need just over a limit must not print as the limit). */
export function bytesText(bytes: number): string {
  const mib = Math.ceil(bytes / 1024 ** 2);
  return mib < 1024 ? `${mib} MiB` : `${(Math.ceil((bytes / 1024 ** 3) * 10) / 10).toFixed(1)} GiB`;
}

// Not (n + 15) & ~15: bitwise operators wrap past 2^31.
const align16 = (n: number) => Math.ceil(n / 16) * 16;

export class Memory {
  f64!: Float64Array;
  i32!: Int32Array;
  /** Bytes and UTF-16 code units: the strings hashed and seeded in the engine. */
  u8!: Uint8Array;
  u16!: Uint16Array;
  private capacity: number;
  private top: number;

  // The engine never grows its memory itself (stub runtime, no allocation),
  // so every growth goes through ensure(), which re-creates the views.
  constructor(readonly engine: Engine) {
    this.capacity = this.views();
    this.top = engine.heapBase;
  }

  /** Views on the memory as it is now; returns its size. */
  private views(): number {
    const buffer = this.engine.memory.buffer;
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    return buffer.byteLength;
  }

  /** Makes sure bytes [0, end) exist. */
  ensure(end: number): void {
    if (end <= this.capacity) return;
    if (end > MAX_ENGINE_BYTES) {
      throw new MatcheckError({
        code: 'E_SIZE',
        stage: 'run',
        message: `this check needs ${bytesText(end)} of engine memory, more than the ${bytesText(MAX_ENGINE_BYTES)} the engine can address`,
        hint: 'choose smaller sizes (dims, or the sizes written in the kinds)',
      });
    }
    this.engine.memory.grow(Math.ceil((end - this.capacity) / PAGE));
    this.capacity = this.views();
  }

  /** Restarts the bump allocator at `at` (the end of a layout). */
  reset(at: number): void {
    this.top = align16(at);
  }

  /** Reserves `bytes` (16-aligned) above the last reservation. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = align16(at + Math.max(bytes, 8));
    this.ensure(this.top);
    return at;
  }

  /**
   * Runs `use` with `bytes` reserved above the last reservation, then gives
   * them back. The memory may grow: `use` must go through this Memory's
   * views (or addresses), not views taken before.
   */
  withScratch<T>(bytes: number, use: (addr: number) => T): T {
    const top = this.top;
    try {
      return use(this.alloc(bytes));
    } finally {
      this.top = top;
    }
  }

  write(addr: number, data: ArrayLike<number>): void {
    this.f64.set(data, addr >>> 3);
  }

  read(addr: number, length: number): Float64Array {
    return this.f64.slice(addr >>> 3, (addr >>> 3) + length);
  }

  scalar(addr: number): number {
    return this.f64[addr >>> 3];
  }
}

const shared = new WeakMap<Engine, Memory>();

/**
 * The one Memory of an engine. Views are re-created only by the Memory that
 * grows the engine's memory, so everything that reads or writes an engine
 * (trials, checkGradient) goes through this one, never a Memory of its own.
 */
export function sharedMemory(engine: Engine): Memory {
  let m = shared.get(engine);
  if (!m) shared.set(engine, (m = new Memory(engine)));
  return m;
}
