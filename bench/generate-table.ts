// Writes a table of N rows for the end-to-end table benchmark: the shipped
// tables' rows, cycled with fresh ids (so every row is its own check).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { tableFiles } from '../src/cli.js';
import { readTable } from '../src/table/read.js';

/**
 * `shared`: rows with equal vars share one mapping, written once with an
 * anchor and then as aliases (yaml's default), as a person writes rows that
 * share fields; else every row is written out in full.
 */
export function generateTable(rows: number, out: string, { shared = false, sources = ['tables/seeds', 'tables/cookbook.yaml'] } = {}): string {
  const pool = tableFiles(sources)
    .flatMap((f) => readTable(readFileSync(f, 'utf8'), f).rows)
    .filter((r) => !r.problem)
    .map((r) => r.row);
  const formulas = Array.from({ length: rows }, (_, i) => ({ ...pool[i % pool.length], id: `r${i}-${pool[i % pool.length].id}` }));
  mkdirSync(dirname(out), { recursive: true }); // bench/tables/ is not in git: a fresh clone has none
  // The rows share their vars objects, which yaml writes as aliases unless told not to.
  writeFileSync(out, stringify({ name: `generated-${rows}`, formulas }, { aliasDuplicateObjects: shared }));
  return out;
}

if (process.argv[1]?.endsWith('/generate-table.js')) {
  const n = Number(process.argv[2] ?? 1000);
  console.log(generateTable(n, process.argv[3] ?? `bench/tables/generated-${n}.yaml`));
}
