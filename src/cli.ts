// The command line: `matcheck table|check|parse|eval`. Exit codes: 0 every
// row met its expectation, 1 some row did not, 2 a usage error or a file that
// could not be read as a table. No stack trace reaches the user.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dimNamesOf } from './check/compiled-rows.js';
import { checkFormula, type CheckOptions } from './check/formula.js';
import { checkDimNames, idGuess, unknownIds } from './check/options.js';
import { checkTablesParallel, type ParallelOptions } from './check/parallel.js';
import { checkTables, isUnreadable, selectRows, unreadableTable, type TableResult } from './check/table.js';
import { drawPoint } from './check/trial.js';
import { lower } from './compile/lower.js';
import { isMatcheckError, MatcheckError, renderError } from './errors.js';
import { chooseVariant, engineVariant, sharedEngine, type Engine } from './run/module.js';
import { rowJson, tableJson } from './report/json.js';
import { rowDetails, rowLine, tableText } from './report/text.js';
import { treeText } from './report/tree.js';
import { CLAIM_TYPES, isRecord, MAX_TRIALS, sizeProblem, type FormulaRow, type Mode } from './row.js';
import { deriveSeed, makeTrialRng } from './sample/index.js';
import { analyze } from './shapes/analyze.js';
import { tableError } from './table/assemble.js';
import { whyUnreadable } from './table/file.js';
import { decodeTable, readTable, type Table } from './table/read.js';
import { jsYaml } from './table/yaml-lib.js';
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
                 A DIR means the tables below it; there, a file without a top-level formulas: key is skipped
                 (and said so on stderr), and node_modules and hidden directories are not searched.
  matcheck check --f "..." (--wrt X (--grad|--jacobian|--differential|--hessian) "..." | --equals "...")
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
non-finite, outside its domain or singular); 2 a usage error, or a file that could not be read as a table
(the other tables are still checked and reported)`;

/** One line of usage per command, printed under a usage error instead of the whole --help. */
const USAGE_LINE: Readonly<Record<string, string>> = {
  table: 'matcheck table FILE|DIR... [options]',
  check: 'matcheck check --f "..." --wrt X --grad|--jacobian|--differential|--hessian "..." (or --equals "..." without --wrt) [options]',
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
  if (v.engine === undefined) return sharedEngine(engineVariant());
  let variant;
  try {
    variant = chooseVariant(v.engine, '--engine');
  } catch (e) {
    // A bad flag value is a usage error like any other: the message, its fix, and the usage line.
    if (isMatcheckError(e) && e.code === 'E_ENGINE') throw new UsageError(`${e.message}: ${e.hint}`);
    throw e;
  }
  return sharedEngine(variant);
}

/** A path named on the command line that cannot be read: a usage error, before anything is checked. */
function unreadable(p: string, e: unknown): UsageError {
  return new UsageError(`cannot read '${p}': ${whyUnreadable(p, e)}`);
}

const TABLE_NAME = /\.(ya?ml|json)$/i;

const NOT_REGULAR = 'it is not a regular file (a pipe, socket or device), so it is not read';

/** A table file to read: named on the command line, or found in a directory named there. */
interface Found {
  file: string;
  /** Named on the command line: it must be a table. Found in a directory, a file that is evidently not one is skipped. */
  named: boolean;
  /** What keeps it from being read (a dangling link, a directory that cannot be listed), when found in a directory. */
  problem?: string;
  /** Its real path, once per file however often it is reached. */
  real: string;
}

interface Walk {
  found: Found[];
  /** Directories (and table files) not searched: node_modules and hidden ones. */
  notSearched: string[];
  /** For each directory named on the command line, the real paths of the table files below it (also those reached before). */
  below: Map<string, string[]>;
}

/**
 * The table files the command line names; a directory means every
 * .yaml/.yml/.json below it, in name order, except below node_modules and
 * hidden directories (`.git`, `.github`: never tables, and node_modules is
 * other people's files). A path named on the command line that cannot be
 * read is a usage error; an entry found in a directory that cannot be read (a
 * dangling symbolic link named like a table, a directory that cannot be
 * listed) is found with its problem, reported as that file's error: a table
 * silently left out would make a run look complete when it is not. A
 * directory reached twice (through a symbolic link that loops back, or two
 * links to the same place) is walked once, and a file reached twice (named
 * and in a named directory, say) is read once, where it is first reached.
 */
function walkTables(paths: string[]): Walk {
  const found: Found[] = [];
  const notSearched: string[] = [];
  const below = new Map<string, string[]>();
  const walked = new Set<string>();
  const taken = new Set<string>();
  const add = (f: Found, root: string | undefined) => {
    if (root !== undefined) below.get(root)!.push(f.real);
    if (!taken.has(f.real)) found.push(f);
    taken.add(f.real);
  };
  const visitDir = (dir: string, root: string) => {
    let names: string[];
    let real: string;
    try {
      real = realpathSync(dir);
      names = readdirSync(dir).sort();
    } catch (e) {
      // Only a directory below a named one gets here: a named one that cannot be listed is a usage error (below).
      add({ file: dir, named: false, problem: `cannot list the directory: ${whyUnreadable(dir, e)}`, real: dir }, root);
      return;
    }
    if (walked.has(real)) return;
    walked.add(real);
    for (const name of names) {
      const child = join(dir, name);
      const isTable = TABLE_NAME.test(name);
      let isDir: boolean;
      let isFile: boolean;
      try {
        const st = statSync(child);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (e) {
        // Only a table name says the entry was meant to be read; a broken
        // entry of another name is skipped like any other non-table file.
        if (isTable && !name.startsWith('.')) add({ file: child, named: false, problem: `cannot read the file: ${whyUnreadable(child, e)}`, real: child }, root);
        continue;
      }
      if (!isDir && !isTable) continue;
      if (name.startsWith('.') || (isDir && name === 'node_modules')) {
        notSearched.push(child);
        continue;
      }
      // Reading a FIFO named like a table waited forever: a CI job hung.
      if (!isDir && !isFile) {
        add({ file: child, named: false, problem: NOT_REGULAR, real: child }, root);
        continue;
      }
      if (isDir) visitDir(child, root);
      else add({ file: child, named: false, real: realOr(child) }, root);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw unreadable(p, e);
    }
    if (st.isDirectory()) {
      let real: string;
      try {
        real = realpathSync(p);
        readdirSync(p);
      } catch (e) {
        throw unreadable(p, e);
      }
      // A directory named again (or through a link) holds what it held the first time: nothing more to walk or to say.
      if (walked.has(real)) continue;
      below.set(p, []);
      visitDir(p, p);
    } else if (!st.isFile()) {
      throw new UsageError(`cannot read '${p}': ${NOT_REGULAR}`);
    } else {
      add({ file: p, named: true, real: realOr(p) }, undefined);
    }
  }
  return { found, notSearched, below };
}

/** The real path of a file that exists, or the path itself should it vanish meanwhile (reading it then says why). */
function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Table files below the paths, as `matcheck table` finds them (the benchmark's table generator reads them too). */
export function tableFiles(paths: string[]): string[] {
  return walkTables(paths).found.map((f) => f.file);
}

/**
 * Why a file found in a directory is evidently not a table, or undefined if
 * it is meant as one: a table is a mapping with a top-level `formulas:` key
 * (or one a typo away, as `formula:`, whose table error then says so), or a
 * list of rows with `f:` (a table missing its `formulas:`). A file that is
 * not YAML at all is meant as a table if a line starts with a formulas key.
 */
function notATable(text: string, file: string): string | undefined {
  // Nothing but comments (js-yaml refuses an empty document).
  if (text.replace(/#.*$/gm, '').trim() === '') return 'not a table (empty)';
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? JSON.parse(text) : jsYaml().load(text);
  } catch {
    try {
      doc = jsYaml().load(text);
    } catch {
      return /^\s*["']?formulas["']?\s*:/im.test(text) ? undefined : 'not a table (not YAML or JSON that can be read, and no formulas: key)';
    }
  }
  if (doc === undefined || doc === null) return 'not a table (empty)';
  if (Array.isArray(doc)) return holdsRows(doc) ? undefined : 'not a table (a list, not a mapping with a formulas: key)';
  if (!isRecord(doc)) return 'not a table (not a mapping with a formulas: key)';
  // A key a typo away counts only with rows under it: a benchmark's `formula:` results are no table.
  return Object.entries(doc).some(([key, value]) => key === 'formulas' || (closest(key, ['formulas']) !== undefined && holdsRows(value))) ? undefined : 'not a table (no top-level formulas: key)';
}

/** A list with a row in it (a mapping with an `f:`). */
function holdsRows(value: unknown): boolean {
  return Array.isArray(value) && value.some((item) => isRecord(item) && 'f' in item);
}

/** What reading a found file gave: a table, a file skipped as evidently no table, or a file that could not be read as one. */
type Loaded = { kind: 'table' | 'unreadable'; table: Table } | { kind: 'skipped'; why: string };

function loadFound(f: Found): Loaded {
  const fail = (e: MatcheckError): Loaded => ({ kind: 'unreadable', table: unreadableTable(f.file, e) });
  if (f.problem) return fail(tableError(f.problem, f.file));
  let bytes: Buffer;
  try {
    bytes = readFileSync(f.file);
  } catch (e) {
    return fail(tableError(`cannot read the file: ${whyUnreadable(f.file, e)}`, f.file));
  }
  // Whether the file says formulas anywhere (also in UTF-16, whose ASCII is
  // letters and zero bytes): one that does not is told apart without reading
  // it as a table, as yaml's reader, which reads what the fast one leaves,
  // takes about a second for a megabyte of package-lock.json.
  const mentions = /formulas/i.test(bytes.toString('latin1').replace(/\0/g, ''));
  let text: string;
  try {
    text = decodeTable(bytes, f.file);
  } catch (e) {
    // Not UTF-8: a table saved in another encoding (its error says how to convert it), or no table at all.
    if (f.named || mentions) return fail(e as MatcheckError);
    return { kind: 'skipped', why: 'not a table (not UTF-8 text, and no formulas: key)' };
  }
  if (!f.named && !mentions) {
    const why = notATable(text, f.file);
    if (why) return { kind: 'skipped', why };
  }
  try {
    return { kind: 'table', table: readTable(text, f.file) };
  } catch (e) {
    if (!f.named) {
      const why = notATable(text, f.file);
      if (why) return { kind: 'skipped', why };
    }
    if (isMatcheckError(e)) return fail(e);
    // A bug of matcheck's own is this file's error, not the end of the run.
    return fail(new MatcheckError({ code: 'E_INTERNAL', stage: 'table', message: `${f.file}: internal error in matcheck while reading the table: ${(e as Error).message}`, hint: 'please report it with this file' }));
  }
}

interface LoadedTables {
  /** In the order found; a file that could not be read as a table is one (unreadableTable). */
  tables: Table[];
  /** How many files could not be read as tables. */
  unreadable: number;
}

/**
 * Reads the tables the paths name. What was skipped as no table, and what was
 * not searched, is said on stderr, one line each (never in the report:
 * --json's stdout stays one document).
 */
function loadTables(paths: string[], io: Io): LoadedTables {
  const walk = walkTables(paths);
  const tables: Table[] = [];
  let unreadable = 0;
  const skipped = new Set<string>();
  const notes: string[] = [];
  if (walk.notSearched.length) notes.push(`matcheck: not searched: ${walk.notSearched.join(', ')} (node_modules and hidden files and directories are not searched; name one to check it)`);
  for (const f of walk.found) {
    const loaded = loadFound(f);
    if (loaded.kind === 'skipped') {
      skipped.add(f.real);
      notes.push(`matcheck: skipped ${f.file}: ${loaded.why}`);
      continue;
    }
    if (loaded.kind === 'unreadable') unreadable++;
    tables.push(loaded.table);
  }
  for (const note of notes) io.err(note);
  // A directory without tables is most likely the wrong one: checking nothing must not look like success.
  for (const [dir, reals] of walk.below) {
    if (reals.some((r) => !skipped.has(r))) continue;
    const files = reals.length === 1 ? 'its one .yaml, .yml or .json file is not a table' : `none of its ${reals.length} .yaml, .yml or .json files is a table`;
    throw new UsageError(reals.length === 0 ? `'${dir}' holds no table files (.yaml, .yml or .json)` : `'${dir}' holds no tables: ${files} (skipped, as said above)`);
  }
  return { tables, unreadable };
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
  // Paths left or not, a seed that names a table file is a slip (`--seed a.yaml b/` checked only b/, with a.yaml as its seed).
  if (typeof v.seed === 'string' && /\.(ya?ml|json)$/i.test(v.seed) && existsSync(v.seed)) {
    throw new UsageError(`--seed took '${v.seed}', a table file, as its value; give --seed its own value (e.g. --seed 7 ${v.seed})`);
  }
  // From the parsed options, so `--threads 4` and `--threads=4` are the same.
  const threads = positiveInt('threads', v.threads);
  let only = v.only?.split(',').map((s) => s.trim()).filter(Boolean);
  // `--only ""` selected nothing and then reported that every row met its expectation.
  if (only?.length === 0) throw new UsageError(`--only takes row ids separated by commas, got '${v.only}'`);
  // Every option is checked before a table is read: a bad one is refused before any note on what was read.
  const common = checkOptions(v);
  const { tables, unreadable } = loadTables(positionals, io);
  if (only) {
    const missing = unknownIds(tables.filter((t) => !isUnreadable(t)), only);
    const named = missing.map((m) => `'${m}'`).join(', ');
    if (missing.length && unreadable === 0) {
      const guess = idGuess(tables, missing[0]);
      throw new UsageError(`--only names ${named}, which no table has${guess ? ` (${guess})` : ''}`);
    }
    // They may be rows of a file that could not be read: the others are still checked, and that file reported.
    if (missing.length) io.err(`matcheck: --only names ${named}, which no table that could be read has (${unreadable === 1 ? 'a table file' : `${unreadable} table files`} could not be read: see the report)`);
    only = only.filter((id) => !missing.includes(id));
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
    io.out(v.json ? tableJson(result) : tableText(result, { color: io.tty, unreadable }, elapsed));
    // A file that could not be read as a table is exit 2, as a usage error: the input is broken, whatever the rows said.
    return unreadable > 0 ? 2 : result.summary.unmet === 0 ? 0 : 1;
  };
  const options: ParallelOptions = { ...common, threads, only, onRow: bar ? (done) => bar.update(done) : undefined };
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

/** The CLI on this thread only (tables are checked row after row; --threads is then read by nobody). */
export function main(argv: string[], io: Io = defaultIo): number {
  return run(argv, io, (tables, { threads: _threads, ...options }) => checkTables(tables, options)) as number;
}

/** The CLI as the `matcheck` binary runs it: large tables across all cores. */
export async function mainAsync(argv: string[], io: Io = defaultIo): Promise<number> {
  return run(argv, io, checkTablesParallel);
}
