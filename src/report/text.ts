// The human report: a line per row (verdict, id, where, error against
// tolerance, diagnosis), details under rows that did not meet their
// expectation, and a summary. Colour only when the caller says so.
import pc from 'picocolors';
import type { TableResult } from '../check/table.js';
import type { RowResult } from '../verdict/result.js';

export interface TextOptions {
  color: boolean;
  /** The engine build, said with a row's seed (`check`: a table names it once, in its last line). */
  engine?: string;
  /** How many of the errors are table files that could not be read (each one entry of the rows). */
  unreadable?: number;
}

const fmt = (x: number | null) => (x === null ? '-' : x === 0 ? '0' : x.toExponential(1));
const num = (x: number) => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(6) : x.toExponential(4));

function paint(color: boolean) {
  const id = (s: string) => s;
  return color
    ? { pass: pc.green, fail: pc.red, error: pc.magenta, dim: pc.dim, bold: pc.bold, yellow: pc.yellow }
    : { pass: id, fail: id, error: id, dim: id, bold: id, yellow: id };
}

export function rowLine(r: RowResult, o: TextOptions): string {
  const c = paint(o.color);
  const tag = { pass: c.pass('PASS '), fail: c.fail('FAIL '), error: c.error('ERROR') }[r.verdict];
  const where = r.file ? c.dim(` ${r.file}${r.line ? `:${r.line}` : ''}`) : '';
  const expectation = r.expected === 'pass' ? '' : r.met ? c.dim(` (expected ${r.expected})`) : '';
  const mark = r.met ? '' : c.bold(c.fail(` ✗ expected ${r.expected}`));
  let measure = '';
  if (r.relErr !== null && r.tolerance !== null) {
    // A claim of the transposed shape is measured after transposing it.
    const once = r.diagnosis?.kind === 'transposed' && r.relErr <= r.tolerance ? ' once transposed' : '';
    measure = c.dim(`  err ${fmt(r.relErr)} ${r.relErr <= r.tolerance ? '<=' : '>'} tol ${fmt(r.tolerance)}${once}`);
  }
  const diag = r.diagnosis ? `  ${c.yellow(r.diagnosis.detail)}` : '';
  // An expected error gets no details block: its reason goes on its line.
  const reason = r.verdict === 'error' && r.met && r.message ? c.dim(`  ${errorSummary(r.message)}`) : '';
  return `${tag} ${shownId(r.id)}${where}${expectation}${mark}${measure}${diag}${reason}`;
}

/** A row's id as the report shows it: an empty one (an error of its own) is named as such, not left a blank. */
function shownId(id: string): string {
  return id.trim() === '' ? '(no id)' : id;
}

/** A rendered error on one line: its first line and its hint. */
function errorSummary(message: string): string {
  const lines = message.split('\n');
  const hint = lines.find((l) => l.trimStart().startsWith('= hint:'));
  return hint ? `${lines[0]} (${hint.trimStart().slice(2)})` : lines[0];
}

/** Details for a row that did not meet its expectation: what, where, how to reproduce. */
export function rowDetails(r: RowResult, o: TextOptions): string[] {
  const c = paint(o.color);
  const out: string[] = [];
  if (r.message) out.push(...r.message.split('\n').map((l) => `    ${l}`));
  for (const w of r.worst) out.push(c.dim(`    ${w.entry}: claimed ${num(w.claimed)}, numerical ${num(w.numerical)}`));
  // An error met while drawing points (no valid point in 25 draws) depends on the seed as a verdict does.
  if (r.verdict !== 'error' || r.trial !== null || r.trials > 0) {
    const dims = Object.entries(r.dims).map(([k, v]) => `${k}=${v}`).join(' ');
    // Counted from 1 among the trials run (a row stops at its first failing
    // trial); the JSON's `trial` is the 0-based index of the same trial.
    out.push(c.dim(`    seed ${r.seed}${r.trial !== null ? `, trial ${r.trial + 1} of ${r.trials}` : ''}${dims ? `, dims ${dims}` : ''}${o.engine ? `, engine ${o.engine}` : ''}`));
  }
  return out;
}

export function tableText(t: TableResult, o: TextOptions, elapsedMs?: number): string {
  const c = paint(o.color);
  const lines: string[] = [];
  for (const r of t.rows) {
    lines.push(rowLine(r, o));
    if (!r.met) lines.push(...rowDetails(r, o));
  }
  const s = t.summary;
  const time = elapsedMs !== undefined ? ` in ${elapsedMs < 1000 ? `${elapsedMs.toFixed(0)} ms` : `${(elapsedMs / 1000).toFixed(2)} s`}` : '';
  const u = o.unreadable ?? 0;
  const files = u === 0 ? '' : ` (${u === s.error ? (u === 1 ? 'a table file' : 'table files') : `${u} of them ${u === 1 ? 'a table file' : 'table files'}`} that could not be read)`;
  const verdicts = `${s.rows} row${s.rows === 1 ? '' : 's'}: ${s.pass} pass, ${s.fail} fail, ${s.error} error${files}`;
  const met = s.unmet === 0 ? c.pass(`every row met its expectation`) : c.fail(`${s.unmet} row${s.unmet === 1 ? '' : 's'} did not meet ${s.unmet === 1 ? 'its' : 'their'} expectation`);
  lines.push('', `${verdicts}; ${met}${time} (seed ${t.seed}, engine ${t.tool.engine})`);
  return lines.join('\n');
}
