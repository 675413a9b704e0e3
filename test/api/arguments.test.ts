// The library's functions check their arguments: a value of the wrong type or
// a name that is no build is a MatcheckError saying what is wrong, which
// argument, and what to pass instead, never a TypeError from deep inside (a
// YAML reader, the file system, the WebAssembly compiler).
import { describe, expect, it } from 'vitest';
import { loadEngine, MatcheckError, parseFormula, printExpr, readTable, renderError, rowJson, tableJson, checkTable } from '../../src/index.js';
import { relaxedSupported } from '../../src/run/module.js';

/** The MatcheckError `run` throws (anything else fails the test). */
function thrown(run: () => unknown): MatcheckError {
  try {
    run();
  } catch (e) {
    if (e instanceof MatcheckError) return e;
    throw new Error(`expected a MatcheckError, got ${String(e)}`);
  }
  throw new Error('nothing was thrown');
}

const loose = (v: unknown) => v as never;

describe('loadEngine', () => {
  it.each([
    ["'fast'", 'fast', "got 'fast'"],
    ["'auto' (a CLI word, not a build)", 'auto', "got 'auto'"],
    ['a number', 5, 'got a number'],
    ['null', null, 'got null'],
  ])('refuses %s, naming the builds there are', (_, variant, got) => {
    const e = thrown(() => loadEngine(loose(variant)));
    expect(e.code).toBe('E_ENGINE');
    expect(e.stage).toBe('usage');
    expect(e.field).toBe('variant');
    expect(e.message).toBe(`loadEngine takes the build to load, simd or relaxed (or debug, the unoptimised one), ${got}`);
    expect(e.hint).toBe('leave it out for the build this process checks with (engineVariant(): relaxed where the JavaScript engine runs it, else simd)');
  });

  it('loads every build there is, and the default one without a variant', () => {
    expect(loadEngine('simd').variant).toBe('simd');
    expect(loadEngine('debug').variant).toBe('debug');
    expect(['simd', 'relaxed']).toContain(loadEngine().variant);
  });

  it('relaxed: loaded where the JavaScript engine runs relaxed SIMD, else a usage error that says how to tell and what to do', () => {
    if (relaxedSupported()) {
      expect(loadEngine('relaxed').variant).toBe('relaxed');
      return;
    }
    // Node 20 without --experimental-wasm-relaxed-simd: this was V8's raw CompileError ("simd opcode not available").
    const e = thrown(() => loadEngine('relaxed'));
    expect(e.code).toBe('E_ENGINE');
    expect(e.stage).toBe('usage');
    expect(e.field).toBe('variant');
    expect(e.message).toBe("loadEngine('relaxed') asks for relaxed, but this JavaScript engine does not run relaxed SIMD (fused multiply-add)");
    expect(e.hint).toContain('Node 20 has it only when started with --experimental-wasm-relaxed-simd');
    expect(e.hint).toContain("engineVariant(): relaxed only where it runs), or load 'simd'");
  });
});

describe('readTable', () => {
  it.each([
    ['a number', 5, 'got 5', "read the file first: readTable(readFileSync(path, 'utf8'), path), or checkTableFile(path) to read and check it"],
    ['null', null, 'got null', "read the file first: readTable(readFileSync(path, 'utf8'), path), or checkTableFile(path) to read and check it"],
    ['nothing', undefined, 'got nothing', "read the file first: readTable(readFileSync(path, 'utf8'), path), or checkTableFile(path) to read and check it"],
    ["a file's bytes", new TextEncoder().encode('formulas: []'), 'got bytes', 'decode them first: readTable(new TextDecoder().decode(bytes), file), or checkTableFile(path) to read and check a file'],
  ])('refuses %s as the text (js-yaml failed inside with a TypeError)', (_, text, got, hint) => {
    const e = thrown(() => readTable(loose(text), 'x.yaml'));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('text');
    expect(e.message).toBe(`readTable takes the table's text as a string, ${got}`);
    expect(e.hint).toBe(hint);
  });

  it('refuses a file name that is not a string', () => {
    const e = thrown(() => readTable('formulas: []', loose(7)));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('file');
    expect(e.message).toBe("readTable's file must be the table's file name (a string), got 7");
    expect(e.hint).toBe('it only names the table in errors and results: leave it out, or pass the path');
  });

  it('reads a table given as text, with or without a file name', () => {
    const text = 'formulas:\n  - { id: a, f: "sum(X)", wrt: X, grad: "matrix(1)" }\n';
    expect(readTable(text).rows.map((r) => r.row.id)).toEqual(['a']);
    expect(readTable(text, 't.yaml').file).toBe('t.yaml');
  });
});

describe('rowJson and tableJson', () => {
  const table = readTable('formulas:\n  - { id: a, f: "sum(X)", wrt: X, grad: "matrix(1)" }\n', 't.yaml');
  const result = checkTable(table);

  it.each([
    ['null', null, 'got null'],
    ['a table result', result, 'got {"schemaVersion":1,'],
    ['an object without an id', { verdict: 'pass' }, 'got {"verdict":"pass"}'],
  ])('rowJson refuses %s', (_, value, got) => {
    const e = thrown(() => rowJson(loose(value)));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('result');
    expect(e.message).toContain(`rowJson takes a row result, ${got}`);
    expect(e.hint).toBe("pass what checkFormula returns, or a row of a table result (tableJson gives a table result's whole document)");
  });

  it.each([
    ['null', null, 'got null'],
    ['a row result', result.rows[0], 'got {"id":"a",'],
    ['rows that are not a list', { rows: 3 }, 'got {"rows":3}'],
  ])('tableJson refuses %s', (_, value, got) => {
    const e = thrown(() => tableJson(loose(value)));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('result');
    expect(e.message).toContain(`tableJson takes a table result, ${got}`);
    expect(e.hint).toBe("pass what checkTable, checkTables or checkTableFile returns (rowJson gives one row result's object)");
  });

  it('tableJson names a row that is not a row result', () => {
    const e = thrown(() => tableJson({ ...result, rows: [result.rows[0], loose(null)] }));
    expect(e.field).toBe('result.rows[1]');
    expect(e.message).toBe('tableJson: rows[1] of the table result is not a row result, got null');
  });

  it('give the documents of real results as before', () => {
    expect(rowJson(result.rows[0])).toMatchObject({ id: 'a', file: 't.yaml', verdict: 'pass' });
    expect(JSON.parse(tableJson(result)).rows[0].id).toBe('a');
  });
});

describe('printExpr', () => {
  it.each([
    ['null', null, 'got null'],
    ['formula text', 'A*x', 'got the string "A*x"'],
    ['a number', 3, 'got a number'],
    ['an object that is no node', { name: 'x' }, 'got an object with no kind'],
    // It printed "undefined".
    ['a node of no kind there is', { kind: 'matrix' }, 'got an object of kind "matrix"'],
  ])('refuses %s', (_, value, got) => {
    const e = thrown(() => printExpr(loose(value)));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('expr');
    expect(e.message).toBe(`printExpr takes a syntax tree from parseFormula, ${got}`);
    expect(e.hint).toBe("parse the text first: printExpr(parseFormula('A*x'))");
  });

  it('prints a real tree as before', () => {
    expect(printExpr(parseFormula("A*x'"))).toBe("A*x'");
  });
});

describe('renderError', () => {
  it('renders a MatcheckError with its code, field and hint', () => {
    const e = new MatcheckError({ code: 'E_X', stage: 'usage', message: 'bad', field: 'options.x', hint: 'fix it' });
    expect(renderError(e)).toBe('error[E_X]: options.x: bad\n  = hint: fix it');
  });

  it('renders any other Error by its message, and its name when that says more than Error (it printed error[undefined])', () => {
    expect(renderError(new Error('x'))).toBe('error: x');
    expect(renderError(new TypeError('y is not a function'))).toBe('error: TypeError: y is not a function');
  });

  it.each([
    ['null', null, 'got null'],
    ['nothing', undefined, 'got nothing'],
    ['a thrown string', 'oops', 'got the string "oops"'],
  ])('refuses %s', (_, value, got) => {
    const e = thrown(() => renderError(loose(value)));
    expect(e.code).toBe('E_USAGE');
    expect(e.field).toBe('error');
    expect(e.message).toBe(`renderError takes an error, ${got}`);
    expect(e.hint).toBe('pass the MatcheckError (or other Error) that was thrown');
  });
});

describe('checkTable, checkTables and analyze', () => {
  it('refuse what is no table or formula spec with E_USAGE naming it, where they threw TypeErrors', async () => {
    const { checkTables, analyze } = await import('../../src/index.js');
    for (const [run, got] of [
      [() => checkTable(loose(null)), 'null'],
      [() => checkTable(loose('formulas: []')), '"formulas: []"'],
      [() => checkTables(loose(null)), 'null'],
      [() => checkTables(loose([null])), 'null'],
    ] as const) {
      const e = thrown(run);
      expect([e.code, e.field, e.message]).toEqual(['E_USAGE', 'tables', `tables must be tables as readTable returns them, got ${got}`]);
      expect(e.hint).toContain('readTable(text, file)');
    }
    for (const [spec, got] of [[null, 'null'], [5, 'number'], [{}, 'f = undefined']] as const) {
      const e = thrown(() => analyze(loose(spec)));
      expect([e.code, e.field, e.message]).toEqual(['E_USAGE', 'spec', `analyze takes a formula spec { f, vars?, wrt?, claim? } with f a string, got ${got}`]);
    }
  });
});
