// Large tables across cores: batches of rows go to a pool of worker threads
// (tinypool), each with its own engine. Measured on the 2-core machine this
// was built on (bench/tables.ts): a fresh worker checks its first 500 rows
// about 1 s slower than a warm thread (JIT warm-up, slower still when every
// core is busy and V8's background compiler and GC threads starve), and two
// busy workers reach only about 1.4x the throughput of one. So the pool is
// used only for large tables, with one core left to those V8 threads; on
// two cores the default is this thread alone.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { engineVariant } from '../run/module.js';
import type { Table } from '../table/read.js';
import type { RowResult } from '../verdict/result.js';
import { DEFAULT_SEED } from './formula.js';
import { checkTableOptions } from './options.js';
import { checkTables, placeResult, problemResult, selectRows, tableResult, type TableOptions, type TableResult } from './table.js';
import type { Batch } from './worker.js';

/** Below this many rows to check, workers cost more than they save (see above). */
export const PARALLEL_MIN_ROWS = 2000;

/** Worker threads by default: all cores but one. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
/** Rows per batch: small enough to balance rows of unequal cost, large enough to amortise messages. */
const BATCH_ROWS = 40;

/** The compiled worker (dist/check/worker.js), also when this module runs from src/ under a test runner. */
function workerFile(): string | undefined {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  const built = fileURLToPath(new URL('../../dist/check/worker.js', import.meta.url));
  return [here, built].find((f) => existsSync(f));
}

export interface ParallelOptions extends TableOptions {
  /** Worker threads; default defaultThreads(), at most the cores. 1 checks on this thread; an explicit number also lifts the row threshold. */
  threads?: number;
}

/**
 * The workers for `rows` rows to check: as many as asked, but no more than
 * the cores (each further worker only competes for them, with its own engine
 * and JIT warm-up: --threads 999 on two cores took 10x as long and 1.3 GB for
 * 4,000 rows) or than batches.
 */
export function poolThreads(requested: number | undefined, rows: number): number {
  return Math.max(1, Math.min(requested ?? defaultThreads(), availableParallelism(), Math.ceil(rows / BATCH_ROWS)));
}

export async function checkTablesParallel(tables: readonly Table[], options: ParallelOptions = {}): Promise<TableResult> {
  // Checked here too: the pool's path never reaches checkTables, which checks them.
  checkTableOptions(tables, options, true);
  const seed = String(options.seed ?? DEFAULT_SEED);
  const selected = selectRows(tables, options);
  const toCheck = selected.filter((s) => !s.r.problem);
  const threads = poolThreads(options.threads, toCheck.length);
  const file = workerFile();
  const enough = options.threads !== undefined || toCheck.length >= PARALLEL_MIN_ROWS;
  if (threads < 2 || !enough || !file) {
    const { threads: _threads, ...onThisThread } = options;
    return checkTables(tables, onThisThread);
  }

  const { onRow, engine, threads: _threads, only: _only, ...checkOptions } = options;
  const variant = engine?.variant ?? engineVariant();
  // Imported here: only large tables use it, and importing it took 30 ms.
  const { default: Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: file, minThreads: threads, maxThreads: threads });
  const results: (RowResult | undefined)[] = new Array(selected.length);
  let done = 0;
  const note = (i: number, r: RowResult) => {
    results[i] = placeResult(r, selected[i]);
    onRow?.(++done, selected.length, results[i]!);
  };
  try {
    selected.forEach((s, i) => s.r.problem && note(i, problemResult(s, seed, options)));
    const indices = selected.map((s, i) => (s.r.problem ? -1 : i)).filter((i) => i >= 0);
    const batches: number[][] = [];
    for (let b = 0; b < indices.length; b += BATCH_ROWS) batches.push(indices.slice(b, b + BATCH_ROWS));
    await Promise.all(
      batches.map(async (batch) => {
        const task: Batch = { rows: batch.map((i) => selected[i].r.row), options: { ...checkOptions, seed }, variant };
        const out = (await pool.run(task)) as RowResult[];
        out.forEach((r, k) => note(batch[k], r));
      }),
    );
  } finally {
    await pool.destroy();
  }
  return tableResult(seed, results as RowResult[], options);
}
