// A program laid out in engine memory for one trial's sizes: inputs written
// once, streams run in one call each, results read back.
import { layoutProgram, type Layout, type Value } from '../compile/layout.js';
import type { Program, Stream } from '../compile/program.js';
import { MatcheckError } from '../errors.js';
import type { DimTable } from '../shapes/dims.js';
import { bytesText, sharedMemory, type Memory } from './memory.js';
import type { Engine } from './module.js';

/** Layouts per program and sizes: a check's trials and rechecks often repeat sizes. */
const layouts = new WeakMap<Program, { byKey: Map<string, Layout>; last?: { base: number; sizes: Readonly<Record<string, number>>; layout: Layout } }>();

function cachedLayout(program: Program, dims: DimTable, sizes: Readonly<Record<string, number>>, base: number): Layout {
  let cache = layouts.get(program);
  if (!cache) layouts.set(program, (cache = { byKey: new Map() }));
  // Most trials repeat the sizes of the one before (every size fixed by dims): no key to build.
  const last = cache.last;
  if (last && last.base === base && sameSizes(last.sizes, sizes)) return last.layout;
  let key = String(base);
  for (const k in sizes) key += `,${k}=${sizes[k]}`;
  let layout = cache.byKey.get(key);
  if (!layout) {
    if (cache.byKey.size > 64) cache.byKey.clear();
    cache.byKey.set(key, (layout = layoutProgram(program, dims, sizes, base)));
  }
  cache.last = { base, sizes: { ...sizes }, layout };
  return layout;
}

function sameSizes(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  let count = 0;
  for (const k in b) {
    if (a[k] !== b[k]) return false;
    count++;
  }
  for (const k in a) count--;
  return count === 0;
}

/**
 * The most engine memory one trial's values may use (an 8000 x 8000 matrix
 * is 0.5 GiB). Past it, sizes were mistyped (n: 20000) rather than meant: a
 * check of that size would run for hours, and its finite differences need
 * several times the values' memory again, up to the engine's 2 GiB.
 */
export const MAX_TRIAL_BYTES = 512 * 1024 * 1024;

/**
 * One trial at a time per engine: every trial lays its program out from the
 * engine's heap base, so creating a trial ends the previous one.
 */
export class Trial {
  readonly layout: Layout;
  readonly memory: Memory;

  constructor(
    readonly engine: Engine,
    readonly program: Program,
    dims: DimTable,
    readonly sizes: Readonly<Record<string, number>>,
    memory?: Memory,
  ) {
    this.memory = memory ?? sharedMemory(engine);
    this.layout = cachedLayout(program, dims, sizes, engine.heapBase);
    if (this.layout.end > MAX_TRIAL_BYTES) {
      const at = Object.entries(sizes).map(([k, n]) => `${k} = ${n}`).join(', ');
      throw new MatcheckError({
        code: 'E_SIZE',
        stage: 'run',
        message: `${at ? `at ${at}, ` : ''}this formula's values need ${bytesText(this.layout.end)} of engine memory, more than the ${bytesText(MAX_TRIAL_BYTES)} matcheck gives one check`,
        hint: 'choose smaller sizes (dims, or the sizes written in the kinds)',
      });
    }
    this.memory.ensure(this.layout.end);
    this.memory.reset(this.layout.end);
    this.memory.i32.set(this.layout.words, this.layout.streams.const.addr >>> 2);
    for (const c of this.layout.consts) this.memory.f64[c.addr >>> 3] = c.value;
  }

  input(name: string): Value {
    const v = this.layout.inputs.get(name);
    if (!v) throw new Error(`internal: no input ${name}`);
    return v;
  }

  setInput(name: string, data: ArrayLike<number>): void {
    this.memory.write(this.input(name).addr, data);
  }

  /** Runs one stream; returns the engine's status word. */
  run(stream: Stream): number {
    const s = this.layout.streams[stream];
    return s.count === 0 ? 0 : this.engine.exports.run(s.addr, s.count);
  }

  /** Runs the streams that compute f (and the claim, unless `fOnly`) at the current inputs. */
  evaluate(fOnly = false): number {
    let status = this.run('const') | this.run('f');
    if (!fOnly) status |= this.run('claimConst') | this.run('claim');
    return status;
  }

  read(v: Value): Float64Array {
    return this.memory.read(v.addr, v.rows * v.cols);
  }
}
