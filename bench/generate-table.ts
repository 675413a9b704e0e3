// Writes a table of N rows for the end-to-end table benchmark: the shipped
// tables' rows, cycled with fresh ids (so every row is its own check).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { tableFiles } from '../src/cli.js';
import { readTable } from '../src/table/read.js';

export function generateTable(rows: number, out: string, sources = ['tables/seeds', 'tables/cookbook.yaml']): string {
  const pool = tableFiles(sources)
    .flatMap((f) => readTable(readFileSync(f, 'utf8'), f).rows)
    .filter((r) => !r.problem)
    .map((r) => r.row);
  const formulas = Array.from({ length: rows }, (_, i) => ({ ...pool[i % pool.length], id: `r${i}-${pool[i % pool.length].id}` }));
  mkdirSync(dirname(out), { recursive: true }); // bench/tables/ is not in git: a fresh clone has none
  // Rows written out in full, as a person writes a table: the rows share
  // their vars objects, which yaml would otherwise write as 2,000 aliases.
  writeFileSync(out, stringify({ name: `generated-${rows}`, formulas }, { aliasDuplicateObjects: false }));
  return out;
}

if (process.argv[1]?.endsWith('/generate-table.js')) {
  const n = Number(process.argv[2] ?? 1000);
  console.log(generateTable(n, process.argv[3] ?? `bench/tables/generated-${n}.yaml`));
}
