// The worker pool gives the same results as one thread, row for row: a
// row's verdict depends only on the row and its seed.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkTablesParallel, defaultThreads, PARALLEL_MIN_ROWS, poolThreads } from '../../src/check/parallel.js';
import { checkTables, UNREADABLE_ID, unreadableTable } from '../../src/check/table.js';
import { tableError } from '../../src/table/assemble.js';
import { readTable } from '../../src/table/read.js';

const table = readTable(readFileSync('tables/cookbook.yaml', 'utf8'), 'tables/cookbook.yaml');

describe('checkTablesParallel', () => {
  it('splits a table across two workers and returns what one thread returns', async () => {
    const seen: number[] = [];
    const parallel = await checkTablesParallel([table], { seed: 'p', threads: 2, onRow: (done) => seen.push(done) });
    const sequential = checkTables([table], { seed: 'p' });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
    expect(seen.length).toBe(table.rows.length);
    expect(seen[seen.length - 1]).toBe(table.rows.length);
  });

  it('entry-wise too, on every construct: a row never depends on the rows a worker checked before it', async () => {
    const constructs = readTable(readFileSync('tables/constructs.yaml', 'utf8'), 'tables/constructs.yaml');
    const options = { seed: '1', mode: 'entrywise' as const };
    const parallel = await checkTablesParallel([constructs], { ...options, threads: 2 });
    const sequential = checkTables([constructs], options);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
  });

  it('a file that could not be read is one error entry where its file is, across workers as on one thread, and --only keeps it', async () => {
    // As the readers make them: the file and line are the error's own, and at the head of its message.
    const problem = tableError("unknown top-level field 'formula'", 'broken.yaml', 7);
    const tables = [unreadableTable('broken.yaml', problem), table, unreadableTable('gone.yaml', tableError('cannot read the file: permission denied', 'gone.yaml'))];
    const parallel = await checkTablesParallel(tables, { seed: 'p', threads: 2 });
    const sequential = checkTables(tables, { seed: 'p' });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
    expect(parallel.rows).toHaveLength(table.rows.length + 2);
    expect([parallel.rows[0], parallel.rows[parallel.rows.length - 1]].map((r) => [r.id, r.file, r.line, r.verdict, r.met, r.message])).toEqual([
      [UNREADABLE_ID, 'broken.yaml', 7, 'error', false, "error[E_TABLE]: broken.yaml:7: unknown top-level field 'formula'"],
      [UNREADABLE_ID, 'gone.yaml', undefined, 'error', false, 'error[E_TABLE]: gone.yaml: cannot read the file: permission denied'],
    ]);
    // the rows of the readable table are what it gives alone
    expect(JSON.stringify(parallel.rows.slice(1, -1))).toBe(JSON.stringify(checkTables([table], { seed: 'p' }).rows));
    expect(parallel.summary.unmet - checkTables([table], { seed: 'p' }).summary.unmet).toBe(2);
    const only = checkTables(tables, { seed: 'p', only: ['eq101-tr-a-x-b'] });
    expect(only.rows.map((r) => r.id)).toEqual([UNREADABLE_ID, 'eq101-tr-a-x-b', UNREADABLE_ID]);
  });

  it('keeps small tables on this thread by default', async () => {
    expect(table.rows.length).toBeLessThan(PARALLEL_MIN_ROWS);
    const r = await checkTablesParallel([table], { seed: 'p', only: ['eq101-tr-a-x-b'] });
    expect(r.rows.map((x) => x.id)).toEqual(['eq101-tr-a-x-b']);
    expect(r.rows[0].verdict).toBe('pass');
  });

  it('starts no more workers than there are cores, or batches of 40 rows (--threads 999 started 100 workers for 4,000 rows on two cores)', () => {
    const cores = availableParallelism();
    expect(poolThreads(999, 4000)).toBe(Math.min(cores, 100));
    expect(poolThreads(999, 80)).toBe(Math.min(cores, 2));
    expect(poolThreads(999, 1)).toBe(1);
    expect(poolThreads(1, 4000)).toBe(1);
    expect(poolThreads(undefined, 4000)).toBe(defaultThreads());
  });
});
