// What `matcheck table DIR` reads below a directory: files that are
// evidently not tables (no top-level formulas: key) are skipped and said so
// on stderr; node_modules and hidden directories are not searched; a table
// that cannot be read is that file's error, and every other table is still
// checked. A file named on the command line must be a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONE_ROW, tempDir, runCli as run } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STACK = /^\s+at\s/m;

const tmp = tempDir('matcheck-skip-');
const path = tmp.path;

const BAD_DEFAULT = 'defaults:\n  trials: 0\nformulas:\n  - { id: b, f: "x\'*x", wrt: x, grad: "2*x" }\n';

interface JsonRow {
  id: string;
  file: string;
  line: number | null;
  verdict: string;
  met: boolean;
  message: string | null;
}

beforeAll(() => {
  // the audit's folder: a table and a config file
  mkdirSync(path('mixed'));
  writeFileSync(path('mixed', 'a.yaml'), ONE_ROW);
  writeFileSync(path('mixed', 'b-config.json'), '{"name":"x"}\n');
  // a project: package files, a table below, and tables in node_modules and hidden directories that must not be read
  mkdirSync(path('project', 'tables'), { recursive: true });
  mkdirSync(path('project', 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(path('project', '.github', 'workflows'), { recursive: true });
  writeFileSync(path('project', 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', dependencies: { matcheck: '^0.2.0' } }, null, 2));
  writeFileSync(path('project', 'package-lock.json'), JSON.stringify({ name: 'p', lockfileVersion: 3, packages: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`node_modules/p${i}`, { version: '1.0.0', resolved: `https://example.org/p${i}.tgz` }])) }, null, 2));
  writeFileSync(path('project', 'tables', 'net.yaml'), ONE_ROW);
  writeFileSync(path('project', 'node_modules', 'pkg', 'table.yaml'), ONE_ROW.replace('id: dot', 'id: from-node-modules'));
  writeFileSync(path('project', 'node_modules', 'pkg', 'broken.yaml'), 'formulas:\n  - id: [\n');
  writeFileSync(path('project', '.github', 'workflows', 'ci.yml'), 'on: push\njobs: {}\n');
  writeFileSync(path('project', '.hidden.yaml'), ONE_ROW.replace('id: dot', 'id: hidden'));
  // a broken table among good ones
  mkdirSync(path('broken'));
  writeFileSync(path('broken', 'a.yaml'), ONE_ROW);
  writeFileSync(path('broken', 'b.yaml'), BAD_DEFAULT);
  writeFileSync(path('broken', 'c.yaml'), ONE_ROW.replace('id: dot', 'id: dot-c'));
  // what is meant as a table and what is not
  mkdirSync(path('kinds'));
  writeFileSync(path('kinds', 'typo.yaml'), 'formula:\n  - { id: t, f: "x", equals: "x" }\n');
  writeFileSync(path('kinds', 'bench.json'), JSON.stringify({ formula: [{ n: 4, wasm: 1.2 }], kernels: [] }));
  writeFileSync(path('kinds', 'template.yaml'), 'name: {{ .Values.name }}: [\n');
  writeFileSync(path('kinds', 'broken-yaml.yaml'), 'formulas:\n  - id: [\n');
  writeFileSync(path('kinds', 'empty.yaml'), '# nothing yet\n');
  writeFileSync(path('kinds', 'rows-only.yaml'), '- { id: r, f: "x", equals: "x" }\n');
  writeFileSync(path('kinds', 'list.json'), '[1, 2, 3]\n');
  writeFileSync(path('kinds', 'utf16.json'), Buffer.from('\ufeff{"name": "x"}\n', 'utf16le'));
  writeFileSync(path('kinds', 'z.yaml'), ONE_ROW);
  // nothing but files that are not tables
  mkdirSync(path('configs'));
  writeFileSync(path('configs', 'tsconfig.json'), '{"compilerOptions": {}}\n');
  writeFileSync(path('configs', 'ci.yaml'), 'steps: []\n');
});

afterAll(tmp.remove);

describe('files below a directory that are not tables', () => {
  it('a config file beside a table is skipped, said on stderr, and the table is checked (exit 0)', () => {
    const r = run(['table', path('mixed')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`matcheck: skipped ${path('mixed', 'b-config.json')}: not a table (no top-level formulas: key)`);
    expect(r.out).toMatch(/^PASS  dot .*a\.yaml:2 /);
    expect(r.out.split('\n').at(-1)).toMatch(/^1 row: 1 pass, 0 fail, 0 error; every row met its expectation in /);
    // --json: the note stays on stderr, stdout is the document alone
    const json = run(['table', path('mixed'), '--json']);
    expect(json.code).toBe(0);
    expect(json.err).toBe(r.err);
    expect(JSON.parse(json.out).rows.map((x: JsonRow) => x.id)).toEqual(['dot']);
    // a bad option is refused before anything is read: no note on the folder
    const bad = run(['table', path('mixed'), '--seed', '']);
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err.split('\n')).toEqual(['matcheck: --seed takes a seed, any text such as 7 or ci, got an empty one', 'usage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)']);
  });

  it('package files are skipped; node_modules and hidden directories and files are not searched', () => {
    const r = run(['table', path('project'), '--json']);
    expect(r.code).toBe(0);
    expect(r.err.split('\n')).toEqual([
      `matcheck: not searched: ${path('project', '.github')}, ${path('project', '.hidden.yaml')}, ${path('project', 'node_modules')} (node_modules and hidden files and directories are not searched; name one to check it)`,
      `matcheck: skipped ${path('project', 'package-lock.json')}: not a table (no top-level formulas: key)`,
      `matcheck: skipped ${path('project', 'package.json')}: not a table (no top-level formulas: key)`,
    ]);
    expect(JSON.parse(r.out).rows.map((x: JsonRow) => [x.id, x.file])).toEqual([['dot', path('project', 'tables', 'net.yaml')]]);
    // named, node_modules is searched: its broken table is an error, its good one checked
    const named = run(['table', path('project', 'node_modules'), '--json']);
    expect(named.code).toBe(2);
    expect(JSON.parse(named.out).rows.map((x: JsonRow) => [x.id, x.verdict])).toEqual([
      ['(table)', 'error'],
      ['from-node-modules', 'pass'],
    ]);
  });

  it("the audit's cases: examples/ checks its table and skips its package files; . skips asconfig.json and the rest", () => {
    const examples = run(['table', ROOT + 'examples']);
    expect(examples.code).toBe(0);
    expect(examples.err).toContain(`matcheck: skipped ${ROOT}examples/vitest-project/package-lock.json: not a table (no top-level formulas: key)`);
    expect(examples.out).toMatch(/^PASS  dW2 .*examples\/vitest-project\/tables\/network\.yaml:8 /);
    const all = run(['table', ROOT, '--json']);
    expect(all.code).toBe(0);
    expect(all.err).toContain(`matcheck: skipped ${ROOT}asconfig.json: not a table (no top-level formulas: key)`);
    // the benchmark's results have a formula: key, but no rows under it
    expect(all.err).toContain(`matcheck: skipped ${ROOT}bench/results/latest.json: not a table (no top-level formulas: key)`);
    expect(all.err).not.toContain('tables/cookbook.yaml');
    const files = new Set(JSON.parse(all.out).rows.map((x: JsonRow) => x.file));
    expect(files).toContain(`${ROOT}tables/cookbook.yaml`);
    expect(files).toContain(`${ROOT}examples/vitest-project/tables/network.yaml`);
  });

  it('tells what is meant as a table (then its error) from what is not (then skipped)', () => {
    const r = run(['table', path('kinds'), '--json']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      `matcheck: skipped ${path('kinds', 'bench.json')}: not a table (no top-level formulas: key)`,
      `matcheck: skipped ${path('kinds', 'empty.yaml')}: not a table (empty)`,
      `matcheck: skipped ${path('kinds', 'list.json')}: not a table (a list, not a mapping with a formulas: key)`,
      `matcheck: skipped ${path('kinds', 'template.yaml')}: not a table (not YAML or JSON that can be read, and no formulas: key)`,
      `matcheck: skipped ${path('kinds', 'utf16.json')}: not a table (not UTF-8 text, and no formulas: key)`,
    ]);
    const rows: JsonRow[] = JSON.parse(r.out).rows;
    expect(rows.map((x) => [x.id, x.file.slice(path('kinds').length + 1), x.line, x.verdict])).toEqual([
      ['(table)', 'broken-yaml.yaml', 3, 'error'],
      ['(table)', 'rows-only.yaml', 1, 'error'],
      ['(table)', 'typo.yaml', 1, 'error'],
      ['dot', 'z.yaml', 2, 'pass'],
    ]);
    expect(rows[2].message).toBe(`error[E_TABLE]: ${path('kinds', 'typo.yaml')}:1: unknown top-level field 'formula'\n  = hint: did you mean 'formulas'?`);
    expect(rows[1].message).toContain(`${path('kinds', 'rows-only.yaml')}:1: a table is a mapping with a \`formulas:\` list`);
  });

  it('a directory holding no table is a usage error that says what it holds', () => {
    const r = run(['table', path('configs')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      `matcheck: skipped ${path('configs', 'ci.yaml')}: not a table (no top-level formulas: key)`,
      `matcheck: skipped ${path('configs', 'tsconfig.json')}: not a table (no top-level formulas: key)`,
      `matcheck: '${path('configs')}' holds no tables: none of its 2 .yaml, .yml or .json files is a table (skipped, as said above)`,
      'usage: matcheck table FILE|DIR... [options]  (matcheck --help lists the options)',
    ]);
  });
});

describe('a table that cannot be read', () => {
  it('is that file’s error, at its line; the tables before and after it are still checked, and the run exits 2', () => {
    const r = run(['table', path('broken')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      expect.stringMatching(/^PASS  dot .*broken\/a\.yaml:2 /),
      `ERROR (table) ${path('broken', 'b.yaml')}:2 ✗ expected pass`,
      `    error[E_TABLE]: ${path('broken', 'b.yaml')}:2: 'trials' must be an integer from 1 to 1000, got 0`,
      expect.stringMatching(/^PASS  dot-c .*broken\/c\.yaml:2 /),
      '',
      expect.stringMatching(/^3 rows: 2 pass, 0 fail, 1 error \(a table file that could not be read\); 1 row did not meet its expectation in \d+ ms \(seed 1, engine (simd|relaxed)\)$/),
    ]);
    expect(r.out).not.toMatch(STACK);
  });

  it('is one entry of rows in the JSON (schema 1 unchanged), counted in the summary as an error that did not meet its expectation', () => {
    const r = run(['table', path('broken'), '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.schemaVersion).toBe(1);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'seed', 'rows', 'summary']);
    expect(doc.rows[1]).toEqual({
      id: '(table)',
      file: path('broken', 'b.yaml'),
      line: 2,
      verdict: 'error',
      expected: 'pass',
      met: false,
      claim: null,
      relErr: null,
      tolerance: null,
      trials: 0,
      seed: expect.stringMatching(/^[0-9a-f]{16}$/),
      trial: null,
      dims: {},
      mode: 'directional',
      worst: [],
      diagnosis: null,
      message: `error[E_TABLE]: ${path('broken', 'b.yaml')}:2: 'trials' must be an integer from 1 to 1000, got 0`,
    });
    expect(doc.summary).toEqual({ rows: 3, pass: 2, fail: 0, error: 1, met: 2, unmet: 1 });
    // the good tables give what they give alone
    const alone = JSON.parse(run(['table', path('broken', 'a.yaml'), path('broken', 'c.yaml'), '--json']).out);
    expect([doc.rows[0], doc.rows[2]]).toEqual(alone.rows);
  });

  it('named on the command line beside good tables, it is reported the same way', () => {
    writeFileSync(path('bad-default.yaml'), BAD_DEFAULT);
    const r = run(['table', path('broken', 'a.yaml'), path('bad-default.yaml'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).rows.map((x: JsonRow) => [x.id, x.line])).toEqual([
      ['dot', 2],
      ['(table)', 2],
    ]);
  });

  it('--only still checks the rows it names, and says that an id it cannot find may be in the file that could not be read', () => {
    const r = run(['table', path('broken'), '--only', 'dot-c,b', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`matcheck: --only names 'b', which no table that could be read has (a table file could not be read: see the report)`);
    expect(JSON.parse(r.out).rows.map((x: JsonRow) => x.id)).toEqual(['(table)', 'dot-c']);
    // with every table readable, an unknown id is still a usage error
    expect(run(['table', path('broken', 'a.yaml'), '--only', 'b']).err.split('\n')[0]).toBe("matcheck: --only names 'b', which no table has");
  });
});

describe('a pipe named like a table', () => {
  it('is that file error below a directory, a usage error when named, and never read (reading it waited forever)', async () => {
    const { execFileSync } = await import('node:child_process');
    mkdirSync(path('fifo'));
    writeFileSync(path('fifo/a.yaml'), ONE_ROW);
    execFileSync('mkfifo', [path('fifo/p.yaml')]);
    const below = run(['table', path('fifo'), '--json']);
    expect(below.code).toBe(2);
    const rows = JSON.parse(below.out).rows as JsonRow[];
    expect(rows.map((r) => [r.id, r.verdict])).toEqual([['dot', 'pass'], ['(table)', 'error']]);
    expect(rows[1].message).toBe(`error[E_TABLE]: ${path('fifo/p.yaml')}: it is not a regular file (a pipe, socket or device), so it is not read`);
    const named = run(['table', path('fifo/p.yaml')]);
    expect(named.code).toBe(2);
    expect(named.err.split('\n')[0]).toBe(`matcheck: cannot read '${path('fifo/p.yaml')}': it is not a regular file (a pipe, socket or device), so it is not read`);
    const { checkTableFile } = await import('../../src/index.js');
    expect(() => checkTableFile(path('fifo/p.yaml'))).toThrow(`${path('fifo/p.yaml')}: cannot read the file: it is not a regular file (a pipe, socket or device)`);
  });
});
