// Whole tables end to end, from process start: `node bin/matcheck.js table`
// on the shipped tables and on generated tables, wall time over several runs.
import { spawnSync } from 'node:child_process';
import { generateTable } from './generate-table.js';

export interface TableRunResult {
  name: string;
  rows: number;
  runs: number;
  medianWallMs: number;
  minWallMs: number;
  /** The time the checker itself reports (after start-up and reading). */
  medianCheckMs: number;
}

function runOnce(args: string[]): { wall: number; check: number; rows: number } {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ['bin/matcheck.js', 'table', ...args], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (p.status !== 0) throw new Error(`matcheck table ${args.join(' ')} exited ${p.status}: ${p.stderr || p.stdout.slice(-500)}`);
  const m = /(\d+) rows:.* in ([\d.]+) (ms|s)/.exec(p.stdout);
  if (!m) throw new Error(`unexpected output: ${p.stdout.slice(-300)}`);
  return { wall, rows: Number(m[1]), check: Number(m[2]) * (m[3] === 's' ? 1000 : 1) };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runTableBench(opts: { quick?: boolean } = {}): TableRunResult[] {
  const runs = opts.quick ? 3 : 7;
  const generated = [100, 1000].map((n) => ({ name: `generated ${n}`, args: [generateTable(n, `bench/tables/generated-${n}.yaml`)] }));
  const cases = [{ name: 'seed tables', args: ['tables/seeds'] }, { name: 'cookbook', args: ['tables/cookbook.yaml'] }, { name: 'all shipped tables', args: ['tables/'] }, ...generated];
  return cases.map(({ name, args }) => {
    const samples = Array.from({ length: runs }, () => runOnce(args));
    return { name, rows: samples[0].rows, runs, medianWallMs: med(samples.map((s) => s.wall)), minWallMs: Math.min(...samples.map((s) => s.wall)), medianCheckMs: med(samples.map((s) => s.check)) };
  });
}
