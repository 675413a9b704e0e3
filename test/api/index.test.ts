// The library API: exactly the names src/index.ts lists, each of them
// working, and results that are the objects the CLI prints as JSON.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { main, type Io } from '../../src/cli.js';

const TABLE = fileURLToPath(new URL('./small.yaml', import.meta.url));

function cli(argv: string[]): { code: number; out: string } {
  let out = '';
  const io: Io = { out: (t) => (out += t + '\n'), err: (t) => (out += t + '\n'), tty: false };
  const code = main(argv, io);
  return { code, out };
}

describe('the export list', () => {
  it('is exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'DEFAULT_SEED',
        'DEFAULT_TRIALS',
        'ENGINE_ENV',
        'engineVariant',
        'loadEngine',
        'MatcheckError',
        'SCHEMA_VERSION',
        'TOOL',
        'analyze',
        'checkFormula',
        'checkGradient',
        'checkTable',
        'checkTableFile',
        'checkTables',
        'fromRows',
        'isMatcheckError',
        'mat',
        'matchers',
        'parseFormula',
        'printExpr',
        'readTable',
        'registerMatchers',
        'renderError',
        'rowJson',
        'tableJson',
        'toRows',
        'vec',
      ].sort(),
    );
  });

  it('constants and the tool', () => {
    expect(api.DEFAULT_SEED).toBe('1');
    expect(api.DEFAULT_TRIALS).toBe(3);
    expect(api.SCHEMA_VERSION).toBe(1);
    expect(api.TOOL.name).toBe('matcheck');
    expect(api.TOOL.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('matrices', () => {
    const m = api.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(api.toRows(m)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(api.mat(2, 1, [7, 8])).toEqual(api.vec([7, 8]));
    expect(api.mat(2, 2).data).toEqual(new Float64Array(4));
    expect(() => api.mat(2, 2, [1])).toThrow('mat: a 2 x 2 matrix has 4 entries, got 1');
  });

  it('parsing, printing and analysing formulas; errors rendered', () => {
    const e = api.parseFormula("A'*B + c");
    expect(e.kind).toBe('binary');
    expect(api.printExpr(e)).toBe("A'*B + c");
    const a = api.analyze({ f: 'tr(A*X*B)', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, wrt: 'X', claim: { type: 'grad', text: "A'*B'" } });
    expect(a.types.isScalar(a.fShape)).toBe(true);
    expect(a.claimTransposed).toBe(false);
    let caught: unknown;
    try {
      api.parseFormula('A*(B');
    } catch (err) {
      caught = err;
    }
    expect(api.isMatcheckError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(api.MatcheckError);
    expect(api.renderError(caught as api.MatcheckError)).toMatch(/^error\[E_[A-Z_]+\]: /);
  });

  it('checkGradient', () => {
    const r = api.checkGradient(
      (X: api.Mat) => X.data.reduce((s, v) => s + v ** 3, 0),
      (X: api.Mat) => api.mat(X.rows, X.cols, X.data.map((v) => 3 * v * v)),
      { X: 'matrix(3,2)' },
    );
    expect(r.verdict).toBe('pass');
    expect(r.relErr).toBeLessThan(1e-10);
  });

  it('matchers and registerMatchers', () => {
    expect(Object.keys(api.matchers).sort()).toEqual(['toEqualFormula', 'toHaveDifferential', 'toHaveGradient', 'toHaveHessian', 'toHaveJacobian', 'toMatchGradient']);
    const registered: object[] = [];
    const fake = { extend: (m: object) => registered.push(m) };
    expect(api.registerMatchers(fake)).toBe(fake);
    expect(registered).toEqual([api.matchers]);
    const outcome = api.matchers.toHaveGradient.call(undefined, { f: 'x\'*x', wrt: 'x', vars: { x: 'vector(n)' } }, '2*x');
    expect(outcome.pass).toBe(true);
  });
});

describe('the same objects as the CLI', () => {
  it('checkTableFile / checkTable give the document of `matcheck table --json`', () => {
    const viaCli = cli(['table', TABLE, '--json', '--seed', 'api']);
    expect(viaCli.code).toBe(0);
    const doc = JSON.parse(viaCli.out);
    const result = api.checkTableFile(TABLE, { seed: 'api' });
    expect(JSON.parse(api.tableJson(result))).toEqual(doc);
    expect(result.rows.map(api.rowJson)).toEqual(doc.rows);
    expect(result.rows.map((r) => [r.id, r.verdict, r.met])).toEqual([
      ['tr-AXB', 'pass', true],
      ['quad-form-symmetric-only', 'fail', true],
      ['typo', 'error', true],
    ]);
    expect(result.rows[1].diagnosis?.kind).toBe('symmetric-only');
    expect(result.summary).toEqual({ rows: 3, pass: 1, fail: 1, error: 1, met: 3, unmet: 0 });
    // readTable + checkTable, and checkTables over several tables, are the same.
    const table = api.readTable(readFileSync(TABLE, 'utf8'), TABLE);
    expect(api.checkTable(table, { seed: 'api' })).toEqual(result);
    expect(api.checkTables([table], { seed: 'api' })).toEqual(result);
  });

  it('checkTableFile: a path that is no readable file is a MatcheckError saying why, never a raw file-system error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcheck-api-'));
    try {
      const missing = join(dir, 'nope.yaml');
      const thrown = (path: unknown) => {
        try {
          api.checkTableFile(path as string);
        } catch (e) {
          return e as InstanceType<typeof api.MatcheckError>;
        }
        throw new Error('no error');
      };
      expect([thrown(missing).code, thrown(missing).message]).toEqual(['E_TABLE', `${missing}: cannot read the file: no such file or directory`]);
      expect(thrown(dir).message).toBe(`${dir}: cannot read the file: it is a directory, not a table file`);
      // A table of no rows is refused, as the CLI refuses it: a test over it would pass for checking nothing.
      const empty = join(dir, 'empty.yaml');
      writeFileSync(empty, 'formulas: []\n');
      expect([thrown(empty).code, thrown(empty).message]).toEqual(['E_TABLE', `${empty}: the table has no rows to check (an empty formulas: list)`]);
      for (const [bad, got] of [[null, 'null'], [5, 'number'], ['', 'an empty string']] as const) {
        const e = thrown(bad);
        expect(api.isMatcheckError(e)).toBe(true);
        expect([e.code, e.field, e.message]).toEqual(['E_USAGE', 'path', `path must be the path of a table file, got ${got}`]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checkTableFile refuses a file that is not UTF-8 as the CLI does, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcheck-api-'));
    try {
      const file = join(dir, 'latin1.yaml');
      writeFileSync(file, Buffer.from('formulas:\n  - { id: a, source: "\xb5", f: "x\'*x", wrt: x, grad: "2*x" }\n', 'latin1'));
      expect(() => api.checkTableFile(file)).toThrow(`${file}:2: the file is not UTF-8 text: column 23 holds a byte that is not UTF-8`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checkFormula gives the row of `matcheck check --json`', () => {
    const viaCli = cli(['check', '--f', 'tr(A*X*B)', '--wrt', 'X', '--grad', "2*A'*B'", '--var', 'A=matrix(p,m)', '--var', 'X=matrix(m,n)', '--var', 'B=matrix(n,p)', '--json', '--seed', 's']);
    expect(viaCli.code).toBe(1);
    const row = JSON.parse(viaCli.out);
    // check's --seed is the row's own seed (what it prints, so that giving it back reproduces the result).
    const result = api.checkFormula({ id: 'check', seed: 's', vars: { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, f: 'tr(A*X*B)', wrt: 'X', grad: "2*A'*B'" });
    expect(api.rowJson(result)).toEqual(row);
    expect(row.seed).toBe('s');
    expect(result.verdict).toBe('fail');
    expect(result.diagnosis).toEqual({ kind: 'factor', detail: 'off by a constant factor: the correct value is 1/2 times the claim', factor: 0.5 });
  });
});
