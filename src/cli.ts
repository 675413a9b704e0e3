// The command line: `matcheck table|check|parse|eval`. Exit codes: 0 every
// row met its expectation, 1 some row did not, 2 usage error or unreadable
// input. No stack trace reaches the user.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dimNamesOf } from './check/compiled-rows.js';
import { checkFormula, type CheckOptions } from './check/formula.js';
import { checkDimNames, unknownIds } from './check/options.js';
import { checkTablesParallel, type ParallelOptions } from './check/parallel.js';
import { checkTables, selectRows, type TableResult } from './check/table.js';
import { drawPoint } from './check/trial.js';
import { lower } from './compile/lower.js';
import { isMatcheckError, MatcheckError, renderError } from './errors.js';
import { chooseVariant, engineVariant, sharedEngine, type Engine } from './run/module.js';
import { rowJson, tableJson } from './report/json.js';
import { rowDetails, rowLine, tableText } from './report/text.js';
import { treeText } from './report/tree.js';
import { CLAIM_TYPES, MAX_TRIALS, sizeProblem, type FormulaRow, type Mode } from './row.js';
import { deriveSeed, makeTrialRng } from './sample/index.js';
import { analyze } from './shapes/analyze.js';
import { decodeTable, readTable, type Table } from './table/read.js';
import { closest } from './suggest.js';
import { TOOL } from './version.js';
import { ProgressBar } from './report/progress.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stdout is a terminal: colour and progress. */
  tty: boolean;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  tty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

const USAGE = `matcheck ${TOOL.version}: checks matrix-calculus formulas against finite differences

usage:
  matcheck table FILE|DIR... [--json] [--seed S] [--trials N] [--tolerance T] [--only ID,...] [--entrywise] [--threads N]
                 --trials and --tolerance override a table's defaults, not a row's own trials: or tolerance:.
  matcheck check --f "..." --wrt X (--grad|--jacobian|--differential|--hessian|--equals) "..."
                 [--var X=matrix(m,n) ...] [--dims n=5,...] [--layout denominator|numerator]
                 [--convention free-entries|projected|unconstrained] [--seed S] [--trials N] [--tolerance T]
                 [--entrywise] [--json]
                 --seed S is the row's seed, the one check prints: giving it back reproduces the result.
  matcheck parse "FORMULA" [--var X=matrix(m,n) ...]
  matcheck eval "FORMULA" [--var X=matrix(m,n) ...] [--dims n=3] [--seed S]
  matcheck --help | --version

  --engine simd|relaxed|auto   the WebAssembly build for table, check and eval (default MATCHECK_ENGINE,
                               else auto: relaxed SIMD where supported); the builds draw the same points but
                               round differently, so a result is reproduced bit for bit with the build it names
  --convention                 which gradient w.r.t. a symmetric or diagonal wrt is meant (G: the gradient
                               w.r.t. a general matrix): free-entries (default, the Matrix Cookbook's: w.r.t.
                               the independent entries, G + G' - diag(diag(G))), projected ((G + G')/2),
                               unconstrained (G)

exit codes: 0 every row met its expectation; 1 some row did not (eval: the engine flagged the value as
non-finite, outside its domain or singular); 2 a usage error or an unreadable file`;

/** One line of usage per command, printed under a usage error instead of the whole --help. */
const USAGE_LINE: Readonly<Record<string, string>> = {
  table: 'matcheck table FILE|DIR... [options]',
  check: 'matcheck check --f "..." --wrt X --grad|--jacobian|--differential|--hessian|--equals "..." [options]',
  parse: 'matcheck parse "FORMULA" [--var X=KIND ...]',
  eval: 'matcheck eval "FORMULA" [--var X=KIND ...] [--dims n=3] [--seed S]',
};
const COMMANDS = Object.keys(USAGE_LINE);

/** The line under a usage error: the command's usage (or the commands), and where the rest is. */
function usagePointer(command: string | undefined): string {
  const line = command !== undefined && Object.hasOwn(USAGE_LINE, command) ? USAGE_LINE[command] : `matcheck ${COMMANDS.join('|')} ...`;
  return `usage: ${line}  (matcheck --help lists the options)`;
}

class UsageError extends Error {}

const OPTIONS = {
  json: { type: 'boolean' },
  seed: { type: 'string' },
  trials: { type: 'string' },
  only: { type: 'string' },
  entrywise: { type: 'boolean' },
  tolerance: { type: 'string' },
  var: { type: 'string', multiple: true },
  dims: { type: 'string', multiple: true },
  f: { type: 'string' },
  wrt: { type: 'string' },
  layout: { type: 'string' },
  convention: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  threads: { type: 'string' },
  engine: { type: 'string' },
  grad: { type: 'string' },
  jacobian: { type: 'string' },
  differential: { type: 'string' },
  hessian: { type: 'string' },
  equals: { type: 'string' },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

type Flag = keyof typeof OPTIONS;

/** The flags each command reads (and --help, --version): any other is refused, never silently ignored. */
const COMMAND_FLAGS: Readonly<Record<string, readonly Flag[]>> = {
  table: ['json', 'seed', 'trials', 'tolerance', 'only', 'entrywise', 'threads', 'engine'],
  check: ['f', 'wrt', ...CLAIM_TYPES, 'var', 'dims', 'layout', 'convention', 'seed', 'trials', 'tolerance', 'entrywise', 'json', 'engine'],
  parse: ['var'],
  eval: ['var', 'dims', 'seed', 'engine'],
};

/** What to do instead of a flag the command does not read. */
const INSTEAD: Partial<Record<Flag, string>> = {
  var: 'a table declares kinds in its rows (vars:) or in defaults:',
  dims: 'a table fixes sizes in its rows (dims:) or in defaults:',
  layout: 'a table sets layout: in its rows or in defaults:',
  convention: 'a table sets convention: in its rows or in defaults:',
};

function checkFlags(command: string, v: Values): void {
  const allowed = COMMAND_FLAGS[command];
  if (!allowed) return;
  const extra = (Object.keys(v) as Flag[]).filter((k) => v[k] !== undefined && !allowed.includes(k) && k !== 'help' && k !== 'version');
  if (extra.length === 0) return;
  const instead = command === 'table' ? INSTEAD[extra[0]] : undefined;
  const flags = extra.map((k) => `--${k}`).join(', ');
  throw new UsageError(`${flags} ${extra.length === 1 ? 'is not an option' : 'are not options'} of 'matcheck ${command}'${instead ? `: ${instead}` : ''}`);
}

function positiveInt(name: string, text: string | undefined, max = Infinity): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a positive integer, got '${text}'`);
  if (n > max) throw new UsageError(`--${name} takes a positive integer of at most ${max}, got '${text}'`);
  return n;
}

function pairs(flag: string, items: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (items ?? []).flatMap((s) => (flag === 'dims' ? s.split(',') : [s]))) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} takes NAME=${flag === 'var' ? 'KIND, e.g. --var X=matrix(m,n)' : 'SIZE, e.g. --dims n=5'}; got '${item}'`);
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (Object.hasOwn(out, name) && out[name] !== value) throw new UsageError(`--${flag} ${name} is given twice: '${out[name]}' and '${value}'`);
    out[name] = value;
  }
  return out;
}

function dimsOf(v: Values): Record<string, number> | undefined {
  const raw = pairs('dims', v.dims);
  const out: Record<string, number> = {};
  for (const [k, s] of Object.entries(raw)) {
    out[k] = positiveInt(`dims ${k}`, s)!;
    const problem = sizeProblem(k, out[k]);
    if (problem) throw new UsageError(`--dims ${k}=${s}: ${problem.problem}; ${problem.hint}`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** --seed, any text but an empty one (`--seed ""`, or `--seed "$UNSET"`, was taken as the seed '' and printed as `(seed , ...)`). */
function seedOf(v: Values): string | undefined {
  if (v.seed !== undefined && v.seed.trim() === '') throw new UsageError(`--seed takes a seed, any text such as 7 or ci, got ${v.seed === '' ? 'an empty one' : `'${v.seed}'`}`);
  return v.seed;
}

function checkOptions(v: Values): CheckOptions {
  const tolerance = v.tolerance === undefined ? undefined : Number(v.tolerance);
  if (tolerance !== undefined && !(tolerance > 0 && tolerance < 1)) throw new UsageError(`--tolerance takes a number between 0 and 1, got '${v.tolerance}'`);
  return { seed: seedOf(v), trials: positiveInt('trials', v.trials, MAX_TRIALS), mode: (v.entrywise ? 'entrywise' : 'directional') as Mode, tolerance, engine: engineOf(v) };
}

/** The engine build --engine (or else MATCHECK_ENGINE) asks for: a bad request is refused before any row is checked. */
function engineOf(v: Values): Engine {
  return sharedEngine(v.engine === undefined ? engineVariant() : chooseVariant(v.engine, '--engine'));
}

/** Why `p` cannot be read, in words, for a "cannot read" usage error. */
function unreadable(p: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  let why: string;
  let isLink = false;
  try {
    isLink = lstatSync(p).isSymbolicLink();
  } catch {
    // p itself is missing: said below.
  }
  if (code === 'ENOENT') why = isLink ? 'it is a symbolic link to a file that does not exist; fix or remove the link' : 'no such file or directory';
  else if (code === 'ELOOP') why = 'it is a symbolic link that points (through other links) back to itself; fix or remove the link';
  else if (code === 'EACCES' || code === 'EPERM') why = 'permission denied';
  else if (code === 'ENOTDIR') why = 'a part of the path is not a directory';
  else why = (e as Error).message;
  return new UsageError(`cannot read '${p}': ${why}`);
}

/**
 * Table files named on the command line; a directory means every
 * .yaml/.yml/.json below it. A table that cannot be read (a dangling
 * symbolic link, say) is a usage error naming it, whether named on the
 * command line or found in a directory: a table silently left out would make
 * a run look complete when it is not. A directory reached twice (through a
 * symbolic link that loops back, or two links to the same place) is walked
 * once, and a file reached twice (named and in a named directory, say) is
 * checked once, where it is first reached.
 */
export function tableFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walked = new Set<string>();
  const taken = new Set<string>();
  /** Table files reached, new or not: a directory whose tables were all named before still holds tables. */
  let reached = 0;
  const visit = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw unreadable(p, e);
    }
    if (st.isDirectory()) {
      let real: string;
      let names: string[];
      try {
        real = realpathSync(p);
        names = readdirSync(p).sort();
      } catch (e) {
        throw unreadable(p, e);
      }
      if (walked.has(real)) return;
      walked.add(real);
      const before = reached;
      for (const name of names) {
        const child = join(p, name);
        const isTable = /\.(ya?ml|json)$/i.test(name);
        let isDir: boolean;
        try {
          isDir = statSync(child).isDirectory();
        } catch (e) {
          // Only a table name says the entry was meant to be read; a broken
          // entry of another name is skipped like any other non-table file.
          if (isTable) throw unreadable(child, e);
          continue;
        }
        if (isDir || isTable) visit(child);
      }
      // A directory without tables is most likely the wrong one: checking
      // nothing must not look like success.
      if (reached === before && paths.includes(p)) throw new UsageError(`'${p}' holds no table files (.yaml, .yml or .json)`);
    } else {
      reached++;
      let real: string;
      try {
        real = realpathSync(p);
      } catch (e) {
        throw unreadable(p, e);
      }
      if (!taken.has(real)) out.push(p);
      taken.add(real);
    }
  };
  paths.forEach(visit);
  return out;
}

function loadTables(paths: string[]): Table[] {
  return tableFiles(paths).map((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw unreadable(file, e);
    }
    return readTable(decodeTable(bytes, file), file);
  });
}

/**
 * --trials and --tolerance take the place of a table's `defaults:`; a row's
 * own field still wins. (The reader merges defaults into every row, and the
 * checker prefers a row's value to the options', so without this a table
 * with `defaults: { trials: 3 }` silently ignored --trials.)
 */
function commandLineOverDefaults(tables: readonly Table[], options: CheckOptions): void {
  for (const t of tables) {
    for (const r of t.rows) {
      if (options.trials !== undefined && !Object.hasOwn(r.fieldLines, 'trials')) delete r.row.trials;
      if (options.tolerance !== undefined && !Object.hasOwn(r.fieldLines, 'tolerance')) delete r.row.tolerance;
    }
  }
}

/** How a table command checks its tables: on this thread, or across a worker pool. */
type TableRunner = (tables: Table[], options: ParallelOptions) => TableResult | Promise<TableResult>;

/**
 * A path an option took as its value, said when no path is left: in
 * `matcheck table --seed tables/a.yaml` the file is the seed.
 */
function tookPath(v: Values): string {
  for (const flag of COMMAND_FLAGS.table) {
    const value = v[flag];
    if (typeof value !== 'string' || !(/\.(ya?ml|json)$/i.test(value) || existsSync(value))) continue;
    return `: --${flag} took '${value}' as its value; give --${flag} its own value (e.g. --${flag} ${EXAMPLE_VALUE[flag] ?? 'VALUE'} ${value})`;
  }
  return '';
}

const EXAMPLE_VALUE: Partial<Record<Flag, string>> = { seed: '7', trials: '10', tolerance: '1e-8', only: 'ID', threads: '2', engine: 'simd' };

function commandTable(positionals: string[], v: Values, io: Io, runner: TableRunner): number | Promise<number> {
  if (positionals.length === 0) throw new UsageError(`matcheck table needs at least one table file or directory${tookPath(v)}`);
  // From the parsed options, so `--threads 4` and `--threads=4` are the same.
  const threads = positiveInt('threads', v.threads);
  const tables = loadTables(positionals);
  const only = v.only?.split(',').map((s) => s.trim()).filter(Boolean);
  // `--only ""` selected nothing and then reported that every row met its expectation.
  if (only?.length === 0) throw new UsageError(`--only takes row ids separated by commas, got '${v.only}'`);
  if (only) {
    const missing = unknownIds(tables, only);
    if (missing.length) throw new UsageError(`--only names ${missing.map((m) => `'${m}'`).join(', ')}, which no table has`);
  }
  // The rows that will be checked: --only leaves the others out of the bar too.
  const total = selectRows(tables, { only }).length;
  // Like a folder without tables: checking nothing must not look like success.
  if (total === 0) throw new UsageError(`${tables.map((t) => `'${t.file}'`).join(', ')} ${tables.length === 1 ? 'has' : 'have'} no rows to check (an empty formulas: list)`);
  const bar = io.tty && !v.json && total >= 50 ? new ProgressBar(total) : undefined;
  const start = performance.now();
  const finish = (result: TableResult): number => {
    bar?.stop();
    const elapsed = performance.now() - start;
    io.out(v.json ? tableJson(result) : tableText(result, { color: io.tty }, elapsed));
    return result.summary.unmet === 0 ? 0 : 1;
  };
  const options: ParallelOptions = { ...checkOptions(v), threads, only, onRow: bar ? (done) => bar.update(done) : undefined };
  commandLineOverDefaults(tables, options);
  let result: TableResult | Promise<TableResult>;
  try {
    result = runner(tables, options);
  } catch (e) {
    bar?.stop();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(finish, (e) => {
      bar?.stop();
      throw e;
    });
  }
  return finish(result);
}

function commandCheck(v: Values, io: Io): number {
  if (v.f === undefined) throw new UsageError('matcheck check needs --f "FUNCTION"');
  const given = CLAIM_TYPES.filter((c) => v[c] !== undefined);
  if (given.length !== 1) throw new UsageError(`matcheck check needs exactly one claim: ${CLAIM_TYPES.map((c) => `--${c}`).join(', ')}`);
  if (v.layout !== undefined && !['denominator', 'numerator'].includes(v.layout)) throw new UsageError(`--layout is denominator or numerator, got '${v.layout}'`);
  if (v.convention !== undefined && !['free-entries', 'projected', 'unconstrained'].includes(v.convention)) throw new UsageError(`--convention is free-entries, projected or unconstrained, got '${v.convention}'`);
  const options = checkOptions(v);
  const row: FormulaRow = {
    id: 'check',
    vars: pairs('var', v.var),
    dims: dimsOf(v),
    f: v.f,
    wrt: v.wrt,
    [given[0]]: v[given[0]],
    layout: v.layout as FormulaRow['layout'],
    convention: v.convention as FormulaRow['convention'],
    // --seed is the row's own seed, the one the report prints: what check
    // prints is what reproduces it. (As a table's seed, --seed S drew from a
    // seed derived from S, and giving back the printed one drew other points.)
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const result = checkFormula(row, options);
  if (v.json) io.out(JSON.stringify(rowJson(result), null, 2));
  else io.out([rowLine(result, { color: io.tty }), ...rowDetails(result, { color: io.tty, engine: options.engine?.variant })].join('\n'));
  return result.met ? 0 : 1;
}

function formulaArgument(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`matcheck ${command} takes one formula in quotes, e.g. matcheck ${command} "tr(A*X*B)"`);
  return positionals[0];
}

function commandParse(positionals: string[], v: Values, io: Io): number {
  const a = analyze({ f: formulaArgument(positionals, 'parse'), vars: pairs('var', v.var) });
  io.out(treeText(a.f, a.types));
  return 0;
}

/** Rows and columns `eval` prints of a value; the rest is summed up in a line. */
const SHOWN = 8;

function formatMatrix(data: Float64Array, rows: number, cols: number): string {
  const r = Math.min(rows, SHOWN);
  const c = Math.min(cols, SHOWN);
  const cells = Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => data[i + j * rows].toPrecision(6)));
  let width = 0;
  for (const row of cells) for (const cell of row) width = Math.max(width, cell.length);
  const lines = cells.map((row) => '  ' + row.map((cell) => cell.padStart(width)).join('  ') + (cols > c ? '  ...' : ''));
  if (rows > r || cols > c) lines.push(`  (the first ${r} of ${rows} rows and ${c} of ${cols} columns)`);
  return lines.join('\n');
}

function commandEval(positionals: string[], v: Values, io: Io): number {
  const a = analyze({ f: formulaArgument(positionals, 'eval'), vars: pairs('var', v.var) });
  const program = lower(a);
  const fixedDims = dimsOf(v);
  // A size for a dimension the formula does not have is a typo (N for n), as in check.
  checkDimNames(fixedDims, dimNamesOf(a), 'kind of this formula', (name) => `dims.${name}`);
  const engine = engineOf(v);
  const given = seedOf(v);
  const seed = deriveSeed(given ?? '1', 'eval');
  const { trial, sizes } = drawPoint({ engine, analysis: a, program, fixedDims: fixedDims ?? {} }, makeTrialRng(seed, 0, engine));
  const status = trial.evaluate(true);
  const lines: string[] = [];
  const dims = Object.entries(sizes).map(([k, n]) => `${k}=${n}`).join(' ');
  lines.push(`seed ${given ?? '1'}${dims ? `, dims ${dims}` : ''}`);
  for (const [name, value] of trial.layout.inputs) lines.push(`${name} (${a.types.vars.get(name)!.kind.base}, ${value.rows} x ${value.cols}) =`, formatMatrix(trial.read(value), value.rows, value.cols));
  const f = trial.layout.f;
  lines.push(`value (${f.rows} x ${f.cols}) =`, formatMatrix(trial.read(f), f.rows, f.cols));
  if (status) lines.push(`warning: the engine flagged this evaluation (status ${status}: ${['non-finite', 'domain', 'singular'].filter((_, i) => status & (1 << i)).join(', ')})`);
  io.out(lines.join('\n'));
  return status ? 1 : 0;
}

/** Runs a command with the table runner given; every failure becomes a message and exit code 2. */
function run(argv: string[], io: Io, runner: TableRunner): number | Promise<number> {
  try {
    const [command, ...rest] = argv;
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(argumentProblem(e as NodeJS.ErrnoException, command));
    }
    const { values: v, positionals } = parsed;
    if (command === '--version' || v.version) {
      io.out(TOOL.version);
      return 0;
    }
    if (command === undefined) {
      // No command is a usage error: the usage goes where errors go.
      io.err(USAGE);
      return 2;
    }
    if (command === '--help' || command === '-h' || v.help) {
      io.out(USAGE);
      return 0;
    }
    checkFlags(command, v);
    switch (command) {
      case 'table': {
        const out = commandTable(positionals, v, io, runner);
        return out instanceof Promise ? out.catch((e: unknown) => failure(e, io, command)) : out;
      }
      case 'check':
        if (positionals.length) throw new UsageError(`matcheck check takes its formulas as flags (--f, --grad, ...), not '${positionals[0]}'`);
        return commandCheck(v, io);
      case 'parse':
        return commandParse(positionals, v, io);
      case 'eval':
        return commandEval(positionals, v, io);
      default: {
        const guess = closest(command, COMMANDS);
        throw new UsageError(`unknown command '${command}'${guess ? `; did you mean '${guess}'?` : `; the commands are ${COMMANDS.join(', ')}`}`);
      }
    }
  } catch (e) {
    return failure(e, io, argv[0]);
  }
}

/** An option the parser refused, in matcheck's words: an unknown one with the nearest known one. */
function argumentProblem(e: NodeJS.ErrnoException, command: string | undefined): string {
  if (e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return e.message;
  const option = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  const known = command !== undefined && Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command] : (Object.keys(OPTIONS) as Flag[]);
  const guess = closest(option.replace(/^-+/, ''), [...known, 'help', 'version']);
  // A formula that starts with '-' is read as an option: for parse and eval it goes after --.
  const formula = command === 'parse' || command === 'eval' ? `; a formula that starts with '-' goes after --: matcheck ${command} -- "${option}..."` : '';
  return `unknown option '${option}'${guess ? `; did you mean --${guess}?` : ''}${formula}`;
}

function failure(e: unknown, io: Io, command?: string): number {
  if (e instanceof UsageError) {
    io.err(`matcheck: ${e.message}\n${usagePointer(command)}`);
    return 2;
  }
  if (isMatcheckError(e)) {
    io.err(renderError(e as MatcheckError));
    return 2;
  }
  io.err(`matcheck: internal error: ${(e as Error).message}\nplease report this with the command that caused it`);
  return 2;
}


/** The CLI on this thread only (tables are checked row after row). */
export function main(argv: string[], io: Io = defaultIo): number {
  return run(argv, io, checkTables) as number;
}

/** The CLI as the `matcheck` binary runs it: large tables across all cores. */
export async function mainAsync(argv: string[], io: Io = defaultIo): Promise<number> {
  return run(argv, io, checkTablesParallel);
}
