// Reading tables: readTable (plain tables from js-yaml's events) against
// yaml's document reader, which read every table before and still reads
// those with anchors, merges and the like. Warm: in this process, alternating
// rounds, paired ratios. Cold: each read in a fresh process, from importing
// the reader to the last row, as one `matcheck table` run pays it.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTable } from '../src/table/read.js';
import { readYamlTable } from '../src/table/yaml-document.js';
import { generateTable } from './generate-table.js';
import { alternateRounds, median, pairedRatio, type Budget } from './measure.js';

export interface ReadingResult {
  name: string;
  bytes: number;
  rows: number;
  warm: { readTableMedianNs: number; yamlMedianNs: number; ratio: number };
  cold: { readTableMedianMs: number; yamlMedianMs: number; ratio: number };
}

const shipped = ['tables/', 'tables/seeds/'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => dir + f));

/** Milliseconds from importing `module` (built: dist/, from the repository root, as bench/tables.ts runs bin/) to reading every file with `fn`, in a fresh process. */
function coldRead(module: string, fn: string, files: string[]): number {
  const script = `
    import { readFileSync } from 'node:fs';
    const texts = ${JSON.stringify(files)}.map((f) => [f, readFileSync(f, 'utf8')]);
    const t0 = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(resolve(`dist/table/${module}.js`)).href)});
    let rows = 0;
    for (const [f, t] of texts) rows += m.${fn}(t, f).rows.length;
    console.log(performance.now() - t0, rows);`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`cold read failed: ${p.stderr}`);
  return Number(p.stdout.split(' ')[0]);
}

export function runReadingBench(opts: { quick?: boolean } = {}): ReadingResult[] {
  const ms = opts.quick ? 100 : 500;
  const rounds = opts.quick ? 2 : 5;
  const budget: Budget = { time: ms / rounds, iterations: 3, warmupTime: 50, warmupIterations: 2 };
  const cases = [
    { name: 'all shipped tables', files: shipped },
    { name: 'generated 1000', files: [generateTable(1000, 'bench/tables/generated-1000.yaml')] },
    { name: 'generated 1000, vars shared by anchors', files: [generateTable(1000, 'bench/tables/generated-1000-shared.yaml', { shared: true })] },
  ];
  return cases.map(({ name, files }) => {
    const texts = files.map((f) => [f, readFileSync(f, 'utf8')] as const);
    const readAll = (read: typeof readTable) => () => texts.forEach(([f, t]) => read(t, f));
    const [viaReadTable, viaYaml] = alternateRounds([readAll(readTable), readAll(readYamlTable)], budget, rounds);
    const cold: [number[], number[]] = [[], []];
    for (let r = 0; r < (opts.quick ? 2 : 7); r++) {
      cold[0].push(coldRead('read', 'readTable', files));
      cold[1].push(coldRead('yaml-document', 'readYamlTable', files));
    }
    return {
      name,
      bytes: texts.reduce((n, [, t]) => n + Buffer.byteLength(t), 0),
      rows: texts.reduce((n, [f, t]) => n + readTable(t, f).rows.length, 0),
      warm: { readTableMedianNs: median(viaReadTable), yamlMedianNs: median(viaYaml), ratio: pairedRatio(viaYaml, viaReadTable) },
      cold: { readTableMedianMs: median(cold[0]), yamlMedianMs: median(cold[1]), ratio: pairedRatio(cold[1], cold[0]) },
    };
  });
}
