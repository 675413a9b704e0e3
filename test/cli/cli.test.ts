// The command line through `main(argv, io)` with an injected Io, and a few
// runs of the real binary (bin/matcheck.js imports dist/: run `npm run
// build` first).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/cli.js';
import { checkTables } from '../../src/check/table.js';
import { engineVariant, loadEngine, relaxedSupported } from '../../src/run/module.js';
import { readTable } from '../../src/table/read.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

const ANSI = /\x1b\[/;
/** A JavaScript stack frame line. */
const STACK = /^\s+at\s/m;

let dir: string;
const path = (...p: string[]) => join(dir, ...p);

const PASSING = `name: passing
formulas:
  - id: quad
    vars: { x: "vector(n)", A: "matrix(n,n)" }
    f: "x'*A*x"
    wrt: x
    grad: "(A + A')*x"
  - id: trace
    vars: { A: "matrix(p,m)", X: "matrix(m,n)", B: "matrix(n,p)" }
    f: "tr(A*X*B)"
    wrt: X
    grad: "A'*B'"
  - id: known-wrong
    vars: { x: "vector(n)" }
    f: "x'*x"
    wrt: x
    grad: "x"
    expect: fail
`;

const JSON_TABLE = JSON.stringify(
  {
    formulas: [
      { id: 'json-logdet', vars: { X: 'invertible(n)' }, f: 'logdet(X)', wrt: 'X', grad: "inv(X)'" },
      { id: 'json-bad-field', f: 'x', equals: 'x', expect: 'error', tolerence: 0.1 },
    ],
  },
  null,
  2,
);

const FAILING = `formulas:
  - id: ok
    f: "x'*x"
    wrt: x
    grad: "2*x"
  - id: sign-mistake
    vars: { x: "vector(n)", A: "matrix(n,n)" }
    f: "-x'*A*x"
    wrt: x
    grad: "(A + A')*x"
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'matcheck-cli-'));
  writeFileSync(path('passing.yaml'), PASSING);
  writeFileSync(path('failing.yaml'), FAILING);
  writeFileSync(path('invalid.yaml'), 'formulas:\n  - id: a\n   f: "x"\n');
  writeFileSync(path('not-a-table.yaml'), 'formula:\n  - { id: a, f: "x", equals: "x" }\n');
  mkdirSync(path('dir', 'sub'), { recursive: true });
  writeFileSync(path('dir', 'a.yaml'), PASSING.replace(/id: /g, 'id: a-'));
  writeFileSync(path('dir', 'sub', 'b.json'), JSON_TABLE);
  writeFileSync(path('dir', 'notes.txt'), 'not a table: skipped');
  mkdirSync(path('empty'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('matcheck table', () => {
  it('checks the rows of several files and exits 0 when every row meets its expectation', () => {
    const r = run(['table', path('passing.yaml'), path('dir', 'sub', 'b.json')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^PASS  quad ${path('passing.yaml')}:3  err \\S+ <= tol \\S+$`));
    expect(lines[1]).toMatch(new RegExp(`^PASS  trace ${path('passing.yaml')}:8  err `));
    expect(lines[2]).toMatch(new RegExp(`^FAIL  known-wrong ${path('passing.yaml')}:13 \\(expected fail\\)  err 5\\.0e-1 > tol .*off by a constant factor`));
    expect(lines[3]).toMatch(/^PASS  json-logdet .*b\.json:3 /);
    expect(lines[4]).toMatch(/^ERROR json-bad-field .*b\.json:12 \(expected error\)  error\[E_TABLE\]: .*b\.json:17: unknown field 'tolerence' in formula 2 \(hint: did you mean 'tolerance'\?\)$/);
    expect(lines.at(-1)).toMatch(/^5 rows: 3 pass, 1 fail, 1 error; every row met its expectation in \d+ ms \(seed 1, engine (simd|relaxed)\)$/);
  });

  it('checks every .yaml/.yml/.json below a directory, in name order, skipping other files', () => {
    const r = run(['table', path('dir'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.rows.map((x: { id: string; file: string }) => [x.id, x.file])).toEqual([
      ['a-quad', path('dir', 'a.yaml')],
      ['a-trace', path('dir', 'a.yaml')],
      ['a-known-wrong', path('dir', 'a.yaml')],
      ['json-logdet', path('dir', 'sub', 'b.json')],
      ['json-bad-field', path('dir', 'sub', 'b.json')],
    ]);
  });

  it('exits 1 when a row does not meet its expectation, with the details under it', () => {
    const r = run(['table', path('failing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^PASS  ok /);
    expect(lines[1]).toMatch(/^FAIL  sign-mistake .*failing\.yaml:6 ✗ expected pass  err 2\.0e\+0 > tol .*wrong sign/);
    expect(r.out).toContain('    relative error 2.00e+0 exceeds the tolerance');
    expect(r.out).toMatch(/\n {4}d\/dx\[\d+\]: claimed -?\d/);
    expect(r.out).toMatch(/\n {4}seed [0-9a-f]{16}, trial 1 of 1, dims n=\d+\n/);
    expect(lines.at(-1)).toMatch(/^2 rows: 1 pass, 1 fail, 0 error; 1 row did not meet its expectation in /);
  });

  it('--json prints one document with the documented keys', () => {
    const r = run(['table', path('passing.yaml'), path('failing.yaml'), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'seed', 'rows', 'summary']);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: PKG.name, version: PKG.version, engine: engineVariant() });
    expect(doc.seed).toBe('1');
    expect(doc.summary).toEqual({ rows: 5, pass: 3, fail: 2, error: 0, met: 4, unmet: 1 });
    expect(doc.rows).toHaveLength(5);
    for (const row of doc.rows) {
      for (const key of ['id', 'file', 'line', 'verdict', 'expected', 'relErr', 'tolerance', 'trials', 'seed', 'dims', 'worst', 'diagnosis', 'message']) {
        expect(row, key).toHaveProperty(key);
      }
      expect(typeof row.line).toBe('number');
      expect(row.seed).toMatch(/^[0-9a-f]{16}$/);
    }
    const quad = doc.rows[0];
    expect(quad).toMatchObject({ id: 'quad', file: path('passing.yaml'), line: 3, verdict: 'pass', expected: 'pass', met: true, trials: 3, diagnosis: null, message: null, worst: [] });
    expect(quad.relErr).toBeLessThan(quad.tolerance);
    expect(Object.keys(quad.dims)).toEqual(['n']);
    const wrong = doc.rows.find((x: { id: string }) => x.id === 'sign-mistake');
    expect(wrong).toMatchObject({ verdict: 'fail', expected: 'pass', met: false, line: 6, trials: 1 });
    expect(wrong.diagnosis.kind).toBe('sign');
    expect(wrong.relErr).toBeCloseTo(2, 10);
    expect(wrong.worst.length).toBeGreaterThan(0);
    for (const w of wrong.worst) {
      expect(Object.keys(w)).toEqual(['entry', 'index', 'claimed', 'numerical']);
      expect(w.claimed).toBeCloseTo(-w.numerical, 6);
    }
    expect(r.out).not.toMatch(ANSI);
  });

  it('--seed: the same seed gives the same JSON text; another seed gives other row seeds and other draws', () => {
    const a = run(['table', path('passing.yaml'), '--json', '--seed', 'abc']);
    const b = run(['table', path('passing.yaml'), '--json', '--seed', 'abc']);
    const c = run(['table', path('passing.yaml'), '--json', '--seed', 'xyz']);
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
    const da = JSON.parse(a.out);
    const dc = JSON.parse(c.out);
    expect(da.seed).toBe('abc');
    expect(dc.seed).toBe('xyz');
    for (let i = 0; i < da.rows.length; i++) expect(dc.rows[i].seed).not.toBe(da.rows[i].seed);
    expect(dc.rows.map((x: { relErr: number }) => x.relErr)).not.toEqual(da.rows.map((x: { relErr: number }) => x.relErr));
    // the default seed is '1'
    expect(JSON.parse(run(['table', path('passing.yaml'), '--json']).out).seed).toBe('1');
  });

  it('--trials sets the number of trials of rows that do not set it', () => {
    const r = run(['table', path('passing.yaml'), '--json', '--trials', '5']);
    const rows = JSON.parse(r.out).rows;
    expect(rows.filter((x: { verdict: string }) => x.verdict === 'pass').map((x: { trials: number }) => x.trials)).toEqual([5, 5]);
    const one = JSON.parse(run(['table', path('passing.yaml'), '--json', '--trials', '1']).out).rows;
    expect(one.map((x: { trials: number; trial: number }) => [x.trials, x.trial])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    for (const bad of ['0', '-2', '1.5', 'many']) {
      const e = run(['table', path('passing.yaml'), `--trials=${bad}`]);
      expect(e.code).toBe(2);
      expect(e.err).toContain(`--trials takes a positive integer, got '${bad}'`);
    }
  });

  it('--trials above 1000 (the most a row may run) is a usage error, not an error on every row', () => {
    for (const args of [['table', path('passing.yaml'), '--trials', '1001'], ['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--trials', '100000']]) {
      const e = run(args);
      expect(e.code).toBe(2);
      expect(e.out).toBe('');
      expect(e.err).toContain(`matcheck: --trials takes a positive integer of at most 1000, got '${args[args.length - 1]}'`);
    }
    const most = JSON.parse(run(['table', path('passing.yaml'), '--only', 'quad', '--trials', '1000', '--json']).out).rows;
    expect(most.map((x: { verdict: string; trials: number }) => [x.verdict, x.trials])).toEqual([['pass', 1000]]);
  });

  it('checking no row at all is a usage error, not "every row met its expectation"', () => {
    for (const only of ['', ',', ' , ']) {
      const e = run(['table', path('passing.yaml'), '--only', only]);
      expect(e.code).toBe(2);
      expect(e.out).toBe('');
      expect(e.err).toContain(`matcheck: --only takes row ids separated by commas, got '${only}'`);
    }
    writeFileSync(path('no-rows.yaml'), 'formulas: []\n');
    const e = run(['table', path('no-rows.yaml'), '--json']);
    expect(e.code).toBe(2);
    expect(e.out).toBe('');
    expect(e.err).toContain(`matcheck: '${path('no-rows.yaml')}' has no rows to check (an empty formulas: list)`);
    // Beside a table with rows, an empty one is just empty.
    const both = run(['table', path('no-rows.yaml'), path('passing.yaml'), '--json']);
    expect(both.code).toBe(0);
    expect(JSON.parse(both.out).summary.rows).toBe(3);
  });

  it('--trials and --tolerance override the table defaults but not a row’s own field', () => {
    const table = `defaults:
  trials: 2
  tolerance: 1e-8
formulas:
  - { id: from-defaults, f: "x'*x", wrt: x, grad: "2*x" }
  - { id: own, f: "x'*x", wrt: x, grad: "2*x", trials: 4, tolerance: 1e-6 }
`;
    writeFileSync(path('defaults.yaml'), table);
    const plain = JSON.parse(run(['table', path('defaults.yaml'), '--json']).out).rows;
    expect(plain.map((x: { trials: number; tolerance: number }) => [x.trials, x.tolerance])).toEqual([
      [2, 1e-8],
      [4, 1e-6],
    ]);
    const flags = JSON.parse(run(['table', path('defaults.yaml'), '--json', '--trials', '5', '--tolerance', '1e-4']).out).rows;
    expect(flags.map((x: { trials: number; tolerance: number }) => [x.trials, x.tolerance])).toEqual([
      [5, 1e-4],
      [4, 1e-6],
    ]);
  });

  it('--only checks the named rows only, and an unknown id is a usage error', () => {
    const r = run(['table', path('passing.yaml'), path('failing.yaml'), '--only', 'trace, ok', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rows.map((x: { id: string }) => x.id)).toEqual(['trace', 'ok']);
    const unmet = run(['table', path('failing.yaml'), '--only', 'sign-mistake']);
    expect(unmet.code).toBe(1);
    const e = run(['table', path('passing.yaml'), '--only', 'quad,nope,nada']);
    expect(e.code).toBe(2);
    expect(e.out).toBe('');
    expect(e.err).toContain("matcheck: --only names 'nope', 'nada', which no table has");
    // A typo of an id gets the id it is near.
    expect(run(['table', path('passing.yaml'), '--only', 'qaud']).err).toContain("matcheck: --only names 'qaud', which no table has (did you mean 'quad'?)");
  });

  it('--entrywise compares entry by entry and says so', () => {
    const r = run(['table', path('passing.yaml'), '--json', '--entrywise']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out).rows;
    expect(rows.map((x: { mode: string }) => x.mode)).toEqual(['entrywise', 'entrywise', 'entrywise']);
    expect(rows.map((x: { verdict: string }) => x.verdict)).toEqual(['pass', 'pass', 'fail']);
    const directional = JSON.parse(run(['table', path('passing.yaml'), '--json']).out).rows;
    expect(directional[0].mode).toBe('directional');
  });

  it('an error met while drawing points (no valid point) shows the seed that reproduces it; one met before drawing does not', () => {
    writeFileSync(path('domain.yaml'), `formulas:
  - { id: dom, vars: { x: "vector(n)" }, dims: { n: 20 }, f: "sum(log(x))", wrt: x, grad: "1./x" }
  - { id: typo, vars: { x: "vector(n)" }, f: "sum(lg(x))", wrt: x, grad: "1./x" }
`);
    const r = run(['table', path('domain.yaml')]);
    expect(r.code).toBe(1);
    const rows = JSON.parse(run(['table', path('domain.yaml'), '--json']).out).rows;
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^ {4}trial 1: no valid point in 25 draws: /);
    expect(lines[2]).toBe(`    seed ${rows[0].seed}`);
    expect(lines[3]).toMatch(/^ERROR typo /);
    expect(r.out).not.toContain(`seed ${rows[1].seed}`);
  });

  it('a row with an empty id is shown as (no id), not as a blank', () => {
    writeFileSync(path('empty-id.yaml'), 'formulas:\n  - { id: "", f: "x", equals: "x" }\n');
    const r = run(['table', path('empty-id.yaml')]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(`ERROR (no id) ${path('empty-id.yaml')}:2 ✗ expected pass`);
    expect(r.out.split('\n').at(-1)).toMatch(/^1 row: 0 pass, 0 fail, 1 error; 1 row did not meet its expectation in /);
    // The JSON keeps the id as written.
    expect(JSON.parse(run(['table', path('empty-id.yaml'), '--json']).out).rows[0].id).toBe('');
  });

  it('exits 2 for a missing file, an invalid table, a directory without tables, or no file at all', () => {
    const missing = run(['table', path('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.out).toBe('');
    expect(missing.err).toContain(`matcheck: cannot read '${path('nope.yaml')}': no such file or directory`);
    // An invalid table is that file's error: the other tables are still checked and reported.
    const invalid = run(['table', path('passing.yaml'), path('invalid.yaml')]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toBe('');
    const lines = invalid.out.split('\n');
    expect(lines.slice(0, 3).map((l) => l.slice(0, 12))).toEqual(['PASS  quad /', 'PASS  trace ', 'FAIL  known-']);
    expect(lines[3]).toBe(`ERROR (table) ${path('invalid.yaml')}:3 ✗ expected pass`);
    expect(lines[4]).toMatch(new RegExp(`^ {4}error\\[E_TABLE\\]: ${path('invalid.yaml')}:3: cannot read the table: `));
    expect(lines.at(-1)).toMatch(/^4 rows: 2 pass, 1 fail, 1 error \(a table file that could not be read\); 1 row did not meet its expectation in /);
    // A file named on the command line must be a table, even one that looks like none.
    const notTable = run(['table', path('not-a-table.yaml')]);
    expect(notTable.code).toBe(2);
    expect(notTable.out).toContain(`${path('not-a-table.yaml')}:1: unknown top-level field 'formula'`);
    expect(notTable.out).toContain("hint: did you mean 'formulas'?");
    writeFileSync(path('config.json'), '{"name": "x"}\n');
    const config = run(['table', path('config.json'), '--json']);
    expect(config.code).toBe(2);
    expect(config.err).toBe('');
    expect(JSON.parse(config.out).rows).toEqual([expect.objectContaining({ id: '(table)', file: path('config.json'), line: 1, verdict: 'error', met: false, message: `error[E_TABLE]: ${path('config.json')}:1: the table has no \`formulas:\` list` })]);
    const empty = run(['table', path('empty')]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain(`'${path('empty')}' holds no table files`);
    const none = run(['table']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('matcheck table needs at least one table file or directory');
  });
});

describe('matcheck check', () => {
  const quad = ['--f', "x'*A*x", '--wrt', 'x', '--var', 'x=vector(n)', '--var', 'A=matrix(n,n)'];

  it('--grad: a right claim exits 0, a wrong one exits 1 with its diagnosis', () => {
    const ok = run(['check', ...quad, '--grad', "(A+A')*x"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^PASS  check  err \S+ <= tol \S+\n {4}seed [0-9a-f]{16}, trial \d of 3, dims n=\d, engine (simd|relaxed)$/);
    const wrong = run(['check', ...quad, '--grad', '2*A*x']);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^FAIL  check ✗ expected pass  err \S+ > tol \S+  holds only for symmetric A/);
  });

  it('--var is repeatable and declares kinds: a symmetric A makes 2*A*x right', () => {
    const r = run(['check', '--f', "x'*A*x", '--wrt', 'x', '--var', 'x=vector(n)', '--var', 'A=symmetric(n)', '--grad', '2*A*x']);
    expect(r.code).toBe(0);
  });

  it('--jacobian, --differential, --hessian and --equals', () => {
    expect(run(['check', '--f', 'A*x', '--wrt', 'x', '--var', 'A=matrix(m,n)', '--jacobian', 'A']).code).toBe(0);
    expect(run(['check', '--f', 'A*x', '--wrt', 'x', '--var', 'A=matrix(m,n)', '--jacobian', "A'"]).code).toBe(1);
    // a claim that starts with '-' is written --flag=-...
    expect(run(['check', '--f', 'inv(X)', '--wrt', 'X', '--var', 'X=invertible(n)', '--differential=-inv(X)*dX*inv(X)']).code).toBe(0);
    expect(run(['check', '--f', 'inv(X)', '--wrt', 'X', '--var', 'X=invertible(n)', '--differential=-inv(X)*inv(X)*dX']).code).toBe(1);
    expect(run(['check', '--f', 'inv(X)', '--wrt', 'X', '--var', 'X=invertible(n)', '--differential', '0-inv(X)*dX*inv(X)']).code).toBe(0);
    expect(run(['check', ...quad, '--hessian', "A+A'"]).code).toBe(0);
    expect(run(['check', ...quad, '--hessian', '2*A']).code).toBe(1);
    expect(run(['check', '--f', 'tr(A*B)', '--var', 'A=matrix(m,n)', '--var', 'B=matrix(n,m)', '--equals', 'tr(B*A)']).code).toBe(0);
    expect(run(['check', '--f', 'tr(A*B*C)', '--var', 'A=matrix(n,n)', '--var', 'B=matrix(n,n)', '--var', 'C=matrix(n,n)', '--equals', 'tr(B*A*C)']).code).toBe(1);
  });

  it('--json prints the row with the documented keys', () => {
    const r = run(['check', ...quad, '--grad', "(A+A')*x", '--json', '--dims', 'n=4', '--seed', 's1']);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.out);
    for (const key of ['id', 'file', 'line', 'verdict', 'expected', 'relErr', 'tolerance', 'trials', 'seed', 'dims', 'worst', 'diagnosis', 'message']) expect(row).toHaveProperty(key);
    expect(row).toMatchObject({ id: 'check', file: null, line: null, verdict: 'pass', expected: 'pass', claim: 'grad', trials: 3, dims: { n: 4 }, worst: [], diagnosis: null, message: null });
    expect(run(['check', ...quad, '--grad', "(A+A')*x", '--json', '--dims', 'n=4', '--seed', 's1']).out).toBe(r.out);
    expect(JSON.parse(run(['check', ...quad, '--grad', "(A+A')*x", '--json', '--seed', 's2']).out).seed).not.toBe(row.seed);
  });

  it('the seed check prints, given back with --seed, reproduces the result; --seed S is printed as S', () => {
    // The printed seed was the row's seed derived from --seed (default 1), and --seed derived again from it: other sizes, other points.
    const args = ['check', '--var', 'X=matrix(m,n)', '--var', 'A=matrix(p,m)', '--var', 'B=matrix(n,p)', '--f', 'tr(A*X*B)', '--wrt', 'X', '--grad', "2*A'*B'", '--engine', 'simd'];
    const first = run(args);
    expect(first.code).toBe(1);
    const printed = /\n {4}seed (\S+), trial 1 of 1, dims m=4 n=3 p=5, engine simd$/.exec(first.out);
    expect(printed?.[1]).toBe('84e881a0ccba9c67');
    const again = run([...args, '--seed', printed![1]]);
    expect(again.out).toBe(first.out);
    const json = JSON.parse(run([...args, '--seed', printed![1], '--json']).out);
    expect(json).toMatchObject({ seed: '84e881a0ccba9c67', trial: 0, trials: 1, dims: { m: 4, n: 3, p: 5 } });
    expect(json.relErr).toBe(JSON.parse(run([...args, '--json']).out).relErr);
    // any seed is printed as given, and reproduces
    const s = run([...args, '--seed', 's1']);
    expect(s.out).toMatch(/\n {4}seed s1, trial 1 of 1, dims /);
    expect(run([...args, '--seed', 's1']).out).toBe(s.out);
    expect(s.out).not.toBe(first.out);
  });

  it('an empty --seed is a usage error for table, check and eval, not the seed ""', () => {
    for (const args of [['table', path('passing.yaml')], ['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x'], ['eval', "x'*x"]]) {
      for (const seed of ['', '  ']) {
        const r = run([...args, '--seed', seed]);
        expect([r.code, r.out], args[0]).toEqual([2, '']);
        expect(r.err.split('\n')[0]).toBe(`matcheck: --seed takes a seed, any text such as 7 or ci, got ${seed === '' ? 'an empty one' : `'${seed}'`}`);
      }
    }
    expect(run(['table', path('passing.yaml'), '--seed', '0']).code).toBe(0);
  });

  it('--dims fixes sizes, comma-separated or repeated', () => {
    const r = run(['check', '--f', 'norm2(A*x)^2', '--wrt', 'x', '--var', 'A=matrix(m,n)', '--var', 'x=vector(n)', '--grad', "2*A'*A*x", '--dims', 'm=6,n=2', '--json']);
    expect(JSON.parse(r.out).dims).toEqual({ m: 6, n: 2 });
    const rep = run(['check', '--f', 'norm2(A*x)^2', '--wrt', 'x', '--var', 'A=matrix(m,n)', '--var', 'x=vector(n)', '--grad', "2*A'*A*x", '--dims', 'm=3', '--dims', 'n=5', '--json']);
    expect(JSON.parse(rep.out).dims).toEqual({ m: 3, n: 5 });
    for (const bad of ['n', 'n=0', 'n=2.5', '=3']) {
      const e = run(['check', ...quad, '--grad', "(A+A')*x", '--dims', bad]);
      expect(e.code, bad).toBe(2);
      expect(e.err, bad).toMatch(/--dims/);
    }
  });

  it('a --var or --dims name given twice is a usage error, not the later one silently winning', () => {
    const vars = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x=vector(n)', '--var', 'x=matrix(n,n)']);
    expect([vars.code, vars.out]).toEqual([2, '']);
    expect(vars.err).toContain("matcheck: --var x is given twice: 'vector(n)' and 'matrix(n,n)'");
    for (const dims of [['--dims', 'n=3,n=4'], ['--dims', 'n=3', '--dims', 'n=4']]) {
      const e = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x=vector(n)', ...dims]);
      expect(e.code).toBe(2);
      expect(e.err).toContain("matcheck: --dims n is given twice: '3' and '4'");
    }
    expect(run(['eval', 'x', '--var', 'x=vector(n)', '--var', 'x=vector(m)']).err).toContain('matcheck: --var x is given twice');
  });

  it('--layout numerator: the transposed gradient passes, the denominator one fails as transposed', () => {
    const bilinear = ['--f', "a'*X*b", '--wrt', 'X', '--var', 'a=vector(m)', '--var', 'X=matrix(m,n)', '--var', 'b=vector(n)'];
    expect(run(['check', ...bilinear, '--layout', 'numerator', '--grad', "b*a'"]).code).toBe(0);
    expect(run(['check', ...bilinear, '--grad', "a*b'"]).code).toBe(0);
    const mixed = run(['check', ...bilinear, '--layout', 'numerator', '--grad', "a*b'", '--json']);
    expect(mixed.code).toBe(1);
    expect(JSON.parse(mixed.out).diagnosis.kind).toBe('transposed');
    // Measured once transposed, every entry agrees: no worst entries to list.
    expect(JSON.parse(mixed.out).worst).toEqual([]);
    expect(JSON.parse(mixed.out).relErr).toBeLessThan(1e-9);
    const text = run(['check', ...bilinear, '--layout', 'numerator', '--grad', "a*b'"]);
    expect(text.out.split('\n')[0]).toMatch(/^FAIL  check ✗ expected pass  err \S+ <= tol \S+ once transposed  correct up to transpose: the claim is m x n, but it must be n x m \(it is in denominator layout\)$/);
    expect(text.out).toContain('transposed, it agrees (relative error');
    const wrongEither = run(['check', ...bilinear, '--layout', 'numerator', '--grad', "2*a*b'"]);
    expect(wrongEither.code).toBe(1);
    expect(wrongEither.out).toContain('and transposed it is still wrong');
    expect(wrongEither.out).not.toContain('once transposed');
    const bad = run(['check', ...bilinear, '--layout', 'rows', '--grad', "b*a'"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--layout is denominator or numerator, got 'rows'");
  });

  it('--convention picks the gradient w.r.t. a symmetric X', () => {
    const sym = ['--f', 'tr(A*X)', '--wrt', 'X', '--var', 'A=matrix(n,n)', '--var', 'X=symmetric(n)'];
    expect(run(['check', ...sym, '--grad', "A + A' - A.*eye(n)"]).code).toBe(0);
    expect(run(['check', ...sym, '--convention', 'free-entries', '--grad', "A + A' - A.*eye(n)"]).code).toBe(0);
    expect(run(['check', ...sym, '--convention', 'projected', '--grad', "(A + A')/2"]).code).toBe(0);
    expect(run(['check', ...sym, '--convention', 'unconstrained', '--grad', "A'"]).code).toBe(0);
    const wrong = run(['check', ...sym, '--grad', "(A + A')/2", '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out).diagnosis.kind).toBe('convention');
    const bad = run(['check', ...sym, '--convention', 'symmetric', '--grad', "A'"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--convention is free-entries, projected or unconstrained, got 'symmetric'");
  });

  it('--tolerance is the relative error a claim is held to', () => {
    // sin(x + 1e-7) differs from sin(x) by about 1e-7 relative
    const shifted = ['--f', 'sin(x + 1e-7)', '--var', 'x=vector(n)', '--equals', 'sin(x)', '--json'];
    const tight = run(['check', ...shifted, '--tolerance', '1e-12']);
    expect(tight.code).toBe(1);
    expect(JSON.parse(tight.out)).toMatchObject({ verdict: 'fail', tolerance: 1e-12 });
    const loose = run(['check', ...shifted, '--tolerance', '1e-3']);
    expect(loose.code).toBe(0);
    expect(JSON.parse(loose.out)).toMatchObject({ verdict: 'pass', tolerance: 1e-3 });
    for (const bad of ['0', '1', '-1e-3', 'abc']) {
      const e = run(['check', ...shifted, `--tolerance=${bad}`]);
      expect(e.code, bad).toBe(2);
      expect(e.err).toContain(`--tolerance takes a number between 0 and 1, got '${bad}'`);
    }
  });

  it('--trials and --entrywise', () => {
    const r = JSON.parse(run(['check', ...quad, '--grad', "(A+A')*x", '--json', '--trials', '7', '--entrywise']).out);
    expect(r).toMatchObject({ verdict: 'pass', trials: 7, mode: 'entrywise' });
  });

  it('needs --f and exactly one claim, and takes no positional arguments (exit 2)', () => {
    const noF = run(['check', '--wrt', 'x', '--grad', '2*x']);
    expect(noF.code).toBe(2);
    expect(noF.err).toContain('matcheck check needs --f "FUNCTION"');
    const noClaim = run(['check', '--f', "x'*x", '--wrt', 'x']);
    expect(noClaim.code).toBe(2);
    expect(noClaim.err).toContain('matcheck check needs exactly one claim: --grad, --jacobian, --differential, --hessian, --equals');
    const two = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--hessian', '2*eye(n)']);
    expect(two.code).toBe(2);
    const positional = run(['check', "x'*x", '--f', "x'*x", '--wrt', 'x', '--grad', '2*x']);
    expect(positional.code).toBe(2);
    expect(positional.err).toContain("not 'x'*x'");
    const badVar = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x']);
    expect(badVar.code).toBe(2);
    expect(badVar.err).toContain("--var takes NAME=KIND, e.g. --var X=matrix(m,n); got 'x'");
  });

  it('a variable or dimension given twice with different values is a usage error, not the last one silently', () => {
    const twice = run(['eval', 'x', '--var', 'x=vector(n)', '--var', 'x=matrix(m,n)']);
    expect(twice.code).toBe(2);
    expect(twice.out).toBe('');
    expect(twice.err).toContain("matcheck: --var x is given twice: 'vector(n)' and 'matrix(m,n)'");
    const dims = run(['eval', 'x', '--var', 'x=vector(n)', '--dims', 'n=3,n=4']);
    expect(dims.code).toBe(2);
    expect(dims.err).toContain("matcheck: --dims n is given twice: '3' and '4'");
    // the same value twice is harmless
    expect(run(['parse', 'x', '--var', 'x=vector(n)', '--var', 'x = vector(n)']).out).toBe('x  : n x 1');
  });

  it('a malformed formula is an error verdict (exit 1) with the rendered error', () => {
    const r = run(['check', '--f', 'tr(A*X', '--wrt', 'X', '--grad', "A'"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR check ✗ expected pass');
    expect(r.out).toContain("error[E_UNCLOSED_PAREN]: f: '(' at column 3 is never closed");
    expect(r.out).toContain('      | tr(A*X\n      |   ^ (column 3)');
    const noWrt = run(['check', '--f', "x'*x", '--grad', '2*x']);
    expect(noWrt.code).toBe(1);
    expect(noWrt.out).toContain("a grad claim needs 'wrt'");
  });
});

describe('matcheck parse', () => {
  it('prints the tree with the shape of every node', () => {
    const r = run(['parse', 'tr(A*X*B) + asin(c)', '--var', 'A=matrix(p,m)', '--var', 'X=matrix(m,n)', '--var', 'B=matrix(n,p)']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        '+  : a scalar',
        '├─ tr()  : a scalar',
        '│  └─ *  : p x p',
        '│     ├─ *  : p x n',
        '│     │  ├─ A  : p x m',
        '│     │  └─ X  : m x n',
        '│     └─ B  : n x p',
        '└─ asin() = arcsin()  : a scalar',
        '   └─ c  : a scalar',
      ].join('\n'),
    );
  });

  it('shows a sum of three or more terms as one node, so that a long sum prints in linear size', () => {
    const r = run(['parse', 'a+b-c*d']);
    expect(r.out).toBe(['sum of 3 terms  : a scalar', '├─ a  : a scalar', '├─ + b  : a scalar', '└─ - *  : a scalar', '   ├─ c  : a scalar', '   └─ d  : a scalar'].join('\n'));
    const long = run(['parse', Array.from({ length: 5000 }, (_, i) => `a${i % 7}`).join('+')]);
    expect(long.code).toBe(0);
    const lines = long.out.split('\n');
    expect(lines).toHaveLength(5001);
    expect(lines[0]).toBe('sum of 5000 terms  : a scalar');
    expect(lines[5000]).toBe('└─ + a1  : a scalar'); // term 4999: a(4999 % 7)
  });

  it('infers the shapes of undeclared variables from use', () => {
    const r = run(['parse', "x'*y"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(['*  : a scalar', "├─ transpose '  : 1 x len(y)", '│  └─ x  : len(y) x 1', '└─ y  : len(y) x 1'].join('\n'));
  });

  it('shows the argument of eye as a dimension, not a scalar', () => {
    const r = run(['parse', "x'*eye(n)*x + tr(eye(3))"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '+  : a scalar',
        '├─ *  : a scalar',
        '│  ├─ *  : 1 x n',
        "│  │  ├─ transpose '  : 1 x n",
        '│  │  │  └─ x  : n x 1',
        '│  │  └─ eye()  : n x n',
        '│  │     └─ n  : a dimension',
        '│  └─ x  : n x 1',
        '└─ tr()  : a scalar',
        '   └─ eye()  : 3 x 3',
        '      └─ 3  : a dimension',
      ].join('\n'),
    );
  });

  it('exits 2 with a caret under the mistake', () => {
    const r = run(['parse', "x'*"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        "error[E_MISSING_OPERAND]: f: '*' is missing its right operand at the end of the formula",
        "  | x'*",
        '  |   ^ (column 3)',
        "  = expected an operand: a number, a variable, '(' or a function call after '*'",
      ].join('\n'),
    );
    const unknown = run(['parse', 'trace(X)']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("error[E_UNKNOWN_FUNCTION]: f: unknown function 'trace'\n  | trace(X)\n  | ^^^^^ (column 1)");
    expect(unknown.err).toContain("hint: did you mean 'tr'?");
    const shape = run(['parse', 'inv(A)', '--var', 'A=matrix(m,n)']);
    expect(shape.code).toBe(2);
    expect(shape.err).toContain('error[E_NOT_SQUARE]');
    expect(shape.err).toContain('  |     ^ (column 5)');
  });

  it('takes exactly one formula', () => {
    expect(run(['parse']).code).toBe(2);
    expect(run(['parse', 'x', 'y']).err).toContain('matcheck parse takes one formula in quotes');
  });
});

describe('matcheck eval', () => {
  it('prints the corner of a large value, and says how much it left out', () => {
    const r = run(['eval', 'sum(X)', '--var', 'X=matrix(400,300)']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toBe('X (matrix, 400 x 300) =');
    expect(lines.slice(2, 10).every((l) => l.endsWith('  ...') && l.trim().split(/\s+/).length === 9)).toBe(true);
    expect(lines[10]).toBe('  (the first 8 of 400 rows and 8 of 300 columns)');
    expect(lines[11]).toBe('value (1 x 1) =');
  });

  it('prints the inputs and the value', () => {
    const r = run(['eval', 'A*x', '--var', 'A=matrix(2,3)', '--var', 'x=vector(3)', '--seed', '7']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('seed 7');
    expect(lines[1]).toBe('A (matrix, 2 x 3) =');
    expect(lines[4]).toBe('x (vector, 3 x 1) =');
    expect(lines[8]).toBe('value (2 x 1) =');
    expect(lines).toHaveLength(11);
    // the value is A*x of the printed inputs (to the printed precision)
    const nums = (l: string) => l.trim().split(/\s+/).map(Number);
    const A = [nums(lines[2]), nums(lines[3])];
    const x = [lines[5], lines[6], lines[7]].map((l) => Number(l.trim()));
    const value = [Number(lines[9].trim()), Number(lines[10].trim())];
    for (let i = 0; i < 2; i++) expect(value[i]).toBeCloseTo(A[i][0] * x[0] + A[i][1] * x[1] + A[i][2] * x[2], 4);
  });

  it('is reproducible with --seed and differs between seeds', () => {
    const a = run(['eval', "x'*x", '--var', 'x=vector(n)', '--dims', 'n=3', '--seed', '42']);
    const b = run(['eval', "x'*x", '--var', 'x=vector(n)', '--dims', 'n=3', '--seed', '42']);
    const c = run(['eval', "x'*x", '--var', 'x=vector(n)', '--dims', 'n=3', '--seed', '43']);
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
    expect(c.out).not.toBe(a.out);
    expect(a.out.split('\n')[0]).toBe('seed 42, dims n=3');
    expect(a.out).toContain('x (vector, 3 x 1) =');
    expect(a.out).toContain('value (1 x 1) =');
    // without --seed the seed is 1
    expect(run(['eval', "x'*x", '--var', 'x=vector(n)', '--dims', 'n=3']).out.split('\n')[0]).toBe('seed 1, dims n=3');
  });

  it('refuses --dims for a dimension the formula does not have, as check does (N for n is a typo, not a size to ignore)', () => {
    const r = run(['eval', "x'*x", '--var', 'x=vector(n)', '--dims', 'N=3']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("error[E_DIMS]: dims.N: dims names 'N', but no kind of this formula has a dimension 'N'\n  = hint: did you mean 'n'?");
    expect(run(['eval', "x'*A", '--var', 'x=vector(n)', '--var', 'A=matrix(n,m)', '--dims', 'q=3']).err).toContain('= hint: the dimensions are m, n');
    // the dimensions of undeclared variables are named as eval prints them
    expect(run(['eval', 'sum(x)', '--dims', 'len(x)=2']).out.split('\n')[0]).toBe('seed 1, dims len(x)=2');
  });

  it('warns and exits 1 when the value left its domain', () => {
    const r = run(['eval', 'log(x)', '--var', 'x=vector(n)', '--dims', 'n=6']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NaN');
    expect(r.out).toMatch(/warning: the engine flagged this evaluation \(status \d+: .*domain/);
    expect(run(['eval', 'log(x)', '--var', 'x=positive vector(n)', '--dims', 'n=6']).code).toBe(0);
  });
});

describe('global flags and usage errors', () => {
  it('--help prints the usage on stdout and exits 0', () => {
    for (const argv of [['--help'], ['-h'], ['table', '--help'], ['check', '-h']]) {
      const r = run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toContain('usage:\n  matcheck table FILE|DIR...');
      expect(r.out).toContain('exit codes: 0 every row met its expectation; 1 some row did not (eval: the engine flagged the value as\nnon-finite, outside its domain or singular); 2 a usage error, or a file that could not be read as a table\n(the other tables are still checked and reported)');
      expect(r.out).toContain('a file without a top-level formulas: key is skipped');
      // --version, and the conventions --convention takes, are there too.
      expect(r.out).toContain('  matcheck --help | --version\n');
      expect(r.out).toContain('[--convention free-entries|projected|unconstrained]');
      for (const convention of ['free-entries (default', 'projected ((G + G\')/2)', 'unconstrained (G)']) expect(r.out).toContain(convention);
    }
  });

  it('--version prints the version of package.json', () => {
    expect(run(['--version'])).toEqual({ code: 0, out: PKG.version, err: '' });
    expect(run(['table', '--version'])).toEqual({ code: 0, out: PKG.version, err: '' });
  });

  it('no command prints the usage on stderr and exits 2', () => {
    const r = run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('usage:');
  });

  it('an unknown command or flag exits 2 naming it, with the nearest name and one usage line, not the whole --help', () => {
    const cmd = run(['tables', path('passing.yaml')]);
    expect(cmd.code).toBe(2);
    expect(cmd.out).toBe('');
    expect(cmd.err).toBe("matcheck: unknown command 'tables'; did you mean 'table'?\nusage: matcheck table|check|parse|eval ...  (matcheck --help lists the options)");
    expect(run(['frobnicate']).err.split('\n')[0]).toBe("matcheck: unknown command 'frobnicate'; the commands are table, check, parse, eval");
    const flag = run(['table', path('passing.yaml'), '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.out).toBe('');
    expect(flag.err).toBe("matcheck: unknown option '--colour'\nusage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)");
    expect(run(['table', path('passing.yaml'), '--seeds', '3']).err.split('\n')[0]).toBe("matcheck: unknown option '--seeds'; did you mean --seed?");
    expect(run(['eval', '-x']).err).toBe(
      "matcheck: unknown option '-x'; a formula that starts with '-' goes after --: matcheck eval -- \"-x...\"\nusage: matcheck eval \"FORMULA\" [--var X=KIND ...] [--dims n=3] [--seed S]  (matcheck --help lists the options)",
    );
    expect(run(['eval', '--', '-x', '--var', 'x=vector(2)']).code).toBe(2); // after --, everything is a formula: two of them
    expect(run(['eval', '--', '-x']).code).toBe(0);
    const value = run(['table', path('passing.yaml'), '--seed']);
    expect(value.code).toBe(2);
    expect(value.err).toBe("matcheck: Option '--seed <value>' argument missing\nusage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)");
  });

  it('a usage error is the message and one usage line, whatever the command', () => {
    const cases: [string[], string][] = [
      [['table', path('passing.yaml'), '--trials', '0'], 'matcheck table FILE|DIR... [options]'],
      [['check', '--f', "x'*x"], 'matcheck check --f "..." --wrt X --grad|--jacobian|--differential|--hessian "..." (or --equals "..." without --wrt) [options]'],
      [['parse'], 'matcheck parse "FORMULA" [--var X=KIND ...]'],
      [['eval', 'x', '--dims', 'n=0'], 'matcheck eval "FORMULA" [--var X=KIND ...] [--dims n=3] [--seed S]'],
    ];
    for (const [argv, usage] of cases) {
      const r = run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      const lines = r.err.split('\n');
      expect(lines, argv.join(' ')).toHaveLength(2);
      expect(lines[0]).toMatch(/^matcheck: /);
      expect(lines[1]).toBe(`usage: ${usage}  (matcheck --help lists the options)`);
    }
  });

  it('a table path taken as the value of an option is said so, not just "needs a table file"', () => {
    const seed = run(['table', '--seed', path('passing.yaml')]);
    expect(seed.code).toBe(2);
    expect(seed.err.split('\n')[0]).toBe(
      `matcheck: matcheck table needs at least one table file or directory: --seed took '${path('passing.yaml')}' as its value; give --seed its own value (e.g. --seed 7 ${path('passing.yaml')})`,
    );
    // a directory, and another option
    expect(run(['table', '--only', path('dir')]).err.split('\n')[0]).toContain(`: --only took '${path('dir')}' as its value; give --only its own value (e.g. --only ID ${path('dir')})`);
    // a value that is no path is not blamed
    expect(run(['table', '--seed', '7']).err.split('\n')[0]).toBe('matcheck: matcheck table needs at least one table file or directory');
    // with paths left, a seed that names a table file is still a slip (only the other paths were checked)
    const left = run(['table', '--seed', path('passing.yaml'), path('dir')]);
    expect(left.code).toBe(2);
    expect(left.out).toBe('');
    expect(left.err.split('\n')[0]).toBe(`matcheck: --seed took '${path('passing.yaml')}', a table file, as its value; give --seed its own value (e.g. --seed 7 ${path('passing.yaml')})`);
  });

  it('a flag the command does not read exits 2 naming it, instead of being ignored', () => {
    // `table --dims n=50` checked at the drawn sizes, and said nothing.
    const dims = run(['table', path('passing.yaml'), '--dims', 'n=50', '--json']);
    expect(dims.code).toBe(2);
    expect(dims.out).toBe('');
    expect(dims.err).toBe("matcheck: --dims is not an option of 'matcheck table': a table fixes sizes in its rows (dims:) or in defaults:\nusage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)");
    expect(run(['table', path('passing.yaml'), '--layout', 'numerator']).err).toContain("matcheck: --layout is not an option of 'matcheck table': a table sets layout: in its rows or in defaults:");
    expect(run(['table', path('passing.yaml'), '--grad', 'x']).err).toContain("matcheck: --grad is not an option of 'matcheck table'\n");
    const check = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--only', 'a', '--threads', '2']);
    expect([check.code, check.out]).toEqual([2, '']);
    expect(check.err).toContain("matcheck: --only, --threads are not options of 'matcheck check'\n");
    expect(run(['eval', 'x', '--json']).err).toContain("matcheck: --json is not an option of 'matcheck eval'\n");
    expect(run(['parse', 'x', '--seed', '2']).err).toContain("matcheck: --seed is not an option of 'matcheck parse'\n");
    // --help still wins, and every flag a command reads is taken.
    expect(run(['table', '--dims', 'n=5', '--help']).code).toBe(0);
    const all = run(['table', path('passing.yaml'), '--json', '--seed', 's', '--trials', '1', '--tolerance', '1e-6', '--only', 'quad', '--entrywise', '--threads', '1']);
    expect(all.code).toBe(0);
  });

  // Every bad input ends in a message, never a JavaScript stack trace: a
  // usage or input error exits 2, a formula that cannot be checked is an
  // error verdict (exit 1), like a table row.
  const BAD: [string[], number][] = [
    [['nope'], 2],
    [['--nope'], 2],
    [['table'], 2],
    [['table', '/definitely/not/here.yaml'], 2],
    [['table', '--only'], 2],
    [['check'], 2],
    [['check', '--f', ''], 2],
    [['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--dims', 'n=abc'], 2],
    [['check', '--f', ')', '--wrt', 'x', '--grad', 'x'], 1],
    [['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x=matrix(n)'], 1],
    [['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x=vector(0)'], 1],
    [['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--var', 'x=positive orthogonal(n)'], 1],
    [['check', '--f', "x'*x", '--wrt', 'zz', '--grad', '2*x'], 1],
    [['check', '--f', "x'*x", '--wrt', 'x', '--grad', 'y*z*w'], 1],
    [['check', '--f', 'X', '--wrt', 'X', '--hessian', 'X'], 1],
    [['check', '--f', '1/0', '--equals', '1'], 1],
    [['check', '--f', 'log(0-1)', '--equals', '0'], 1],
    [['check', '--f', 'eye(0)', '--equals', '1'], 1],
    [['check', '--f', 'x^x^x^x^x', '--equals', 'x'], 1],
    [['check', '--f', '('.repeat(5000) + 'x' + ')'.repeat(5000), '--equals', 'x'], 1],
    [['parse', ''], 2],
    [['parse', '\u0000'], 2],
    [['parse', 'x +* y'], 2],
    [['parse', 'kron(A)'], 2],
    [['parse', 'A*B', '--var', 'A=matrix(m,n)', '--var', 'B=matrix(m,n)'], 2],
    [['parse', 'x', '--var', 'x=foo'], 2],
    [['parse', 'x', '--var', '=vector(n)'], 2],
    [['eval', 'inv(A)', '--var', 'A=matrix(m,n)'], 2],
    [['eval', '_x'], 2],
    [['eval', 'x', '--dims', 'n=-1'], 2],
  ];

  it.each(BAD.map(([argv, code]) => [argv.join(' ').slice(0, 60), argv, code] as const))('no stack trace for: %s', (_label, argv, code) => {
    const r = run([...argv]);
    expect(r.code).toBe(code);
    const text = r.out + '\n' + r.err;
    expect(text).not.toMatch(STACK);
    expect(text).not.toContain('internal error');
    expect(text).not.toMatch(ANSI);
    if (code === 1) expect(r.out).toMatch(/^ERROR check ✗ expected pass\n {4}\S/);
    else expect(r.out).toBe('');
    if (code === 2) expect(r.err.trim().length).toBeGreaterThan(0);
  });

  it('bad table files give no stack trace either', () => {
    const bad = [
      '',
      ':',
      '[',
      'formulas: 3',
      'formulas:\n  - id: [',
      'formulas:\n  - id: x\n    vars: "x"\n',
      'formulas:\n  - id: x\n    f: "x"\n    equals: "x"\n    vars: { x: "vector(n" }\n',
      'formulas:\n  - id: x\n    f: "x"\n    equals: "x"\n    dims: { n: 1e400 }\n',
      'a: &a [*a]\nformulas: []\n',
      'defaults: &d\n  vars: *d\nformulas: []\n',
      'formulas:\n  - &r { id: x, f: "x", equals: "x" }\n  - *r\n',
      '{"formulas": [{"id": "a", "f": "x", "equals": "x"}',
    ];
    bad.forEach((text, i) => {
      const file = path(`bad-${i}.yaml`);
      writeFileSync(file, text);
      const r = run(['table', file]);
      expect([0, 1, 2], text).toContain(r.code);
      const all = r.out + '\n' + r.err;
      expect(all, text).not.toMatch(STACK);
      expect(all, text).not.toContain('internal error');
    });
  });

  it('a table saved as Latin-1 or UTF-16 exits 2 with the line and column of the first byte that is not UTF-8', () => {
    // Read leniently, the byte became U+FFFD: a formula error that never said why, or a source: changed without a word.
    writeFileSync(path('latin1.yaml'), Buffer.from('formulas:\n  - id: a\n    source: "M\xfcller (2004)"\n    f: "x\'*x"\n    wrt: x\n    grad: "2*x"\n', 'latin1'));
    const latin = run(['table', path('latin1.yaml'), '--json']);
    expect(latin.code).toBe(2);
    expect(latin.err).toBe('');
    expect(JSON.parse(latin.out).rows.map((r: { id: string; line: number; message: string }) => [r.id, r.line, r.message])).toEqual([
      ['(table)', 3, `error[E_TABLE]: ${path('latin1.yaml')}:3: the file is not UTF-8 text: column 15 holds a byte that is not UTF-8\n  = hint: save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 FILE)`],
    ]);
    writeFileSync(path('utf16.yaml'), Buffer.from('\ufeffformulas: []\n', 'utf16le'));
    expect(run(['table', path('utf16.yaml')]).out).toContain(`${path('utf16.yaml')}:1: the file is not UTF-8 text: column 1 holds`);
    // UTF-8 with a byte-order mark and non-ASCII text reads as before.
    writeFileSync(path('utf8.yaml'), '\ufeffformulas:\n  - { id: été, source: "Müller", f: "x\'*x", wrt: x, grad: "2*x" }\n');
    const utf8 = run(['table', path('utf8.yaml'), '--json']);
    expect(utf8.code).toBe(0);
    expect(JSON.parse(utf8.out).rows.map((r: { id: string; line: number }) => [r.id, r.line])).toEqual([['été', 2]]);
  });
});

describe('colour', () => {
  it('is never used when io.tty is false', () => {
    for (const argv of [['table', path('passing.yaml'), path('failing.yaml')], ['check', '--f', "x'*x", '--wrt', 'x', '--grad', 'x'], ['parse', "x'*"], ['table', path('invalid.yaml')]]) {
      const r = run(argv, false);
      expect(r.out + r.err, argv.join(' ')).not.toMatch(ANSI);
    }
  });

  it('the text with io.tty true says the same as the plain text once escapes are removed', () => {
    const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    const plain = run(['table', path('failing.yaml')], false);
    const tty = run(['table', path('failing.yaml')], true);
    expect(tty.code).toBe(1);
    const noTime = (s: string) => s.replace(/ in \d+(\.\d+)? m?s /, ' in T ');
    expect(noTime(strip(tty.out))).toBe(noTime(plain.out));
  });
});

describe('--engine and MATCHECK_ENGINE', () => {
  // The builds draw the same points and round differently: a report names its build, and the build can be asked for.
  it('--engine simd checks with the SIMD128 build and says so in the JSON and the text', () => {
    const json = run(['table', path('passing.yaml'), '--engine', 'simd', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).tool.engine).toBe('simd');
    const text = run(['table', path('passing.yaml'), '--engine', 'simd']);
    expect(text.out.split('\n').at(-1)).toMatch(/\(seed 1, engine simd\)$/);
  });

  it('the same seed gives the same results with --engine simd as with the SIMD128 engine passed to the library', () => {
    const cli = JSON.parse(run(['table', path('passing.yaml'), '--engine', 'simd', '--json']).out);
    const table = readTable(readFileSync(path('passing.yaml'), 'utf8'), path('passing.yaml'));
    const lib = checkTables([table], { engine: loadEngine('simd') });
    expect(cli.rows.map((r: { relErr: number | null }) => r.relErr)).toEqual(lib.rows.map((r) => r.relErr));
    expect(lib.tool.engine).toBe('simd');
  });

  it('refuses a build it does not know, and relaxed where the engine cannot run it, before checking anything', () => {
    const bogus = run(['table', path('passing.yaml'), '--engine', 'fast']);
    expect(bogus.code).toBe(2);
    expect(bogus.out).toBe('');
    // Formatted as every usage error: the message with its fix, then the command's usage line.
    expect(bogus.err.split('\n').slice(0, 2)).toEqual([
      "matcheck: --engine is 'fast': it takes simd, relaxed or auto (the default: relaxed where supported)",
      'usage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)',
    ]);
    expect(bogus.err).not.toMatch(STACK);
    const ev = run(['eval', 'x', '--engine', 'fast']);
    expect(ev.code).toBe(2);
    if (!relaxedSupported()) {
      const relaxed = run(['check', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x', '--engine', 'relaxed']);
      expect(relaxed.code).toBe(2);
      expect(relaxed.err).toContain('--experimental-wasm-relaxed-simd');
    }
  });

  it('MATCHECK_ENGINE chooses the build of a whole process; a bad value is a usage error', () => {
    const bin = join(ROOT, 'bin', 'matcheck.js');
    const exec = (value: string) => spawnSync(process.execPath, [bin, 'table', path('passing.yaml'), '--json'], { encoding: 'utf8', env: { ...process.env, MATCHECK_ENGINE: value } });
    const simd = exec('simd');
    expect(simd.status, simd.stderr).toBe(0);
    expect(JSON.parse(simd.stdout).tool.engine).toBe('simd');
    const bad = exec('turbo');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("MATCHECK_ENGINE is 'turbo'");
    expect(bad.stderr).not.toMatch(STACK);
  });
});

describe('the real binary', () => {
  const bin = join(ROOT, 'bin', 'matcheck.js');
  const exec = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '1' } });

  it('exits 0, 1 and 2 as documented', () => {
    const ok = exec(['table', path('passing.yaml')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/3 rows: 2 pass, 1 fail, 0 error; every row met its expectation/);
    const unmet = exec(['table', path('failing.yaml')]);
    expect(unmet.status).toBe(1);
    expect(unmet.stdout).toContain('FAIL  sign-mistake');
    const usage = exec(['frobnicate']);
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain("matcheck: unknown command 'frobnicate'");
    expect(usage.stderr).not.toMatch(STACK);
    const version = exec(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${PKG.version}\n`);
  });

  it('stops quietly, with the exit code of its verdicts, when the reader closes the pipe early (| head)', () => {
    // Node raised EPIPE as an unhandled 'error' event: a stack trace on stderr and exit 1.
    const script = `"${process.execPath}" "${bin}" table tables/ --json | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('writes no colour codes when its output is piped, even with FORCE_COLOR set', () => {
    const r = exec(['table', path('passing.yaml'), path('failing.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('PASS  quad');
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(ANSI);
    const parse = exec(['parse', 'tr(X']);
    expect(parse.status).toBe(2);
    expect(parse.stderr).toContain("error[E_UNCLOSED_PAREN]: f: '(' at column 3 is never closed");
    expect(parse.stderr).not.toMatch(ANSI);
  });
});
