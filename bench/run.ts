// `npm run bench`: every benchmark, in one run, baselines measured in the same
// run; prints Markdown tables and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { HEADER, formatRow, runCheckBench } from './check.js';
import { runDiagnosisBench } from './diagnosis.js';
import { runFormulaBench } from './formula.js';
import { formatTable, runKernelBench } from './kernels.js';
import { runReadingBench } from './reading.js';
import { runTableBench } from './tables.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (part: string) => !only || only.includes(part);
const started = performance.now();
const ns = (x: number | null) => (x === null ? 'skipped' : x < 1e3 ? `${x.toFixed(0)} ns` : x < 1e6 ? `${(x / 1e3).toFixed(1)} us` : `${(x / 1e6).toFixed(2)} ms`);
const ratio = (r: number | null) => (r === null ? '-' : `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}x`);

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
console.log(`matcheck benchmarks on ${machine.cpu}, ${machine.cores} cores, node ${process.version}${quick ? ' (quick)' : ''}\n`);

const result: Record<string, unknown> = { machine, node: process.version, date: new Date().toISOString(), quick };

if (want('check')) {
  console.log('## Whole checks (one trial, 4 directions; times are medians; ratio = median over alternating rounds of baseline / matcheck within a round)\n');
  console.log(HEADER);
  result.cases = runCheckBench({ quick, log: console.log }).map(({ relErr: _relErr, ...c }) => c);
}

if (want('tables')) {
  console.log('\n## Tables end to end, from process start\n\n| table | rows | median wall | min wall | checking alone |\n|---|---|---|---|---|');
  const t = runTableBench({ quick });
  for (const r of t) console.log(`| ${r.name} | ${r.rows} | ${r.medianWallMs.toFixed(0)} ms | ${r.minWallMs.toFixed(0)} ms | ${r.medianCheckMs.toFixed(0)} ms |`);
  result.tables = t;
}

if (want('reading')) {
  console.log('\n## Reading tables: readTable against yaml\'s document reader (warm: this process; cold: a fresh process each)\n\n| tables | KB | rows | readTable warm | yaml warm | ratio | readTable cold | yaml cold | ratio |\n|---|---|---|---|---|---|---|---|---|');
  const r = runReadingBench({ quick });
  for (const c of r) console.log(`| ${c.name} | ${(c.bytes / 1024).toFixed(0)} | ${c.rows} | ${ns(c.warm.readTableMedianNs)} | ${ns(c.warm.yamlMedianNs)} | ${ratio(c.warm.ratio)} | ${c.cold.readTableMedianMs.toFixed(0)} ms | ${c.cold.yamlMedianMs.toFixed(0)} ms | ${ratio(c.cold.ratio)} |`);
  result.reading = r;
}

if (want('diagnosis')) {
  console.log('\n## Diagnosis cost\n\n| row | verdict | diagnosis | check | check + diagnosis | diagnosis / check |\n|---|---|---|---|---|---|');
  const d = runDiagnosisBench({ quick });
  for (const r of d) console.log(`| ${r.name} | ${r.verdict} | ${r.diagnosis ?? '-'} | ${ns(r.checkMedianNs)} | ${ns(r.withDiagnosisMedianNs)} | ${r.overhead.toFixed(2)} |`);
  result.diagnosis = d;
}

if (want('formula')) {
  console.log('\n## One formula evaluation: norm2(W2*tanh(W1*X) - Y)^2, n x n\n\n| n | wasm | plain TS (blocked) | ratio | reference evaluator | mathjs | ratio |\n|---|---|---|---|---|---|---|');
  const f = runFormulaBench({ quick });
  for (const r of f) console.log(`| ${r.n} | ${ns(r.wasmMedianNs)} | ${ns(r.plainTsMedianNs)} | ${ratio(r.ratioPlainTs)} | ${ns(r.referenceMedianNs)} | ${ns(r.mathjsMedianNs)} | ${ratio(r.ratioMathjs)} |`);
  result.formula = f;
}

if (want('kernels')) {
  console.log('\n## Kernels\n');
  const k = runKernelBench({ quick });
  console.log(formatTable(k));
  result.kernels = k;
}

const seconds = (performance.now() - started) / 1000;
result.seconds = seconds;
mkdirSync('bench/results', { recursive: true });
writeFileSync(quick ? 'bench/results/quick.json' : 'bench/results/latest.json', JSON.stringify(result, null, 2) + '\n');
console.log(`\n${seconds.toFixed(0)} s; written to bench/results/${quick ? 'quick' : 'latest'}.json`);
