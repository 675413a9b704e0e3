// Views on the engine's linear memory, re-created whenever the memory has
// grown (growing detaches every old view, and a stale view drops writes
// silently), plus a bump allocator for the region above a layout.
import type { Engine } from './module.js';

const PAGE = 65536;

export class Memory {
  f64: Float64Array;
  i32: Int32Array;
  private capacity: number;
  private top: number;

  // The engine never grows its memory itself (stub runtime, no allocation),
  // so every growth goes through ensure(), which re-creates the views.
  constructor(readonly engine: Engine) {
    this.f64 = new Float64Array(engine.memory.buffer);
    this.i32 = new Int32Array(engine.memory.buffer);
    this.capacity = engine.memory.buffer.byteLength;
    this.top = engine.heapBase;
  }

  /** Makes sure bytes [0, end) exist. */
  ensure(end: number): void {
    if (end <= this.capacity) return;
    this.engine.memory.grow(Math.ceil((end - this.capacity) / PAGE));
    this.f64 = new Float64Array(this.engine.memory.buffer);
    this.i32 = new Int32Array(this.engine.memory.buffer);
    this.capacity = this.engine.memory.buffer.byteLength;
  }

  /** Restarts the bump allocator at `at` (the end of a layout). */
  reset(at: number): void {
    this.top = (at + 15) & ~15;
  }

  /** Reserves `bytes` (16-aligned) above the last reservation. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + Math.max(bytes, 8) + 15) & ~15;
    this.ensure(this.top);
    return at;
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
