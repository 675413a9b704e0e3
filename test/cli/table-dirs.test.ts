// Table directories with broken entries: a dangling link named like a table
// is that file's error (the other tables are still checked), and a usage
// error when named on the command line; a directory reached again through a
// link is walked once (no endless recursion).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONE_ROW, tempDir, runCli as run } from '../helpers/cli.js';

const STACK = /^\s+at\s/m;


const tmp = tempDir('matcheck-dirs-');
const path = tmp.path;

beforeAll(() => {
  // a directory with a table and a dangling link named like a table
  mkdirSync(path('dangling'));
  writeFileSync(path('dangling', 'a.yaml'), ONE_ROW);
  symlinkSync(path('does-not-exist.yaml'), path('dangling', 'gone.yaml'));
  // a dangling link whose name is not a table's is skipped like other non-table files
  mkdirSync(path('dangling-other'));
  writeFileSync(path('dangling-other', 'a.yaml'), ONE_ROW);
  symlinkSync(path('does-not-exist'), path('dangling-other', 'notes'));
  // a link that points at itself
  mkdirSync(path('selflink'));
  symlinkSync('me.yaml', path('selflink', 'me.yaml'));
  // a directory holding a link back to itself, and one to its parent
  mkdirSync(path('loop', 'sub'), { recursive: true });
  writeFileSync(path('loop', 'a.yaml'), ONE_ROW);
  symlinkSync('.', path('loop', 'self'));
  symlinkSync('..', path('loop', 'sub', 'up'));
});

afterAll(tmp.remove);

describe('table directories with broken entries', () => {
  it("a dangling link named like a table, inside a directory, is that file's error; the other tables are still checked (exit 2)", () => {
    const r = run(['table', path('dangling')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^PASS  dot .*a\.yaml:2 /);
    expect(lines[1]).toBe(`ERROR (table) ${path('dangling', 'gone.yaml')} ✗ expected pass`);
    expect(lines[2]).toBe(`    error[E_TABLE]: ${path('dangling', 'gone.yaml')}: cannot read the file: it is a symbolic link to a file that does not exist; fix or remove the link`);
    expect(lines.at(-1)).toMatch(/^2 rows: 1 pass, 0 fail, 1 error \(a table file that could not be read\); 1 row did not meet its expectation in /);
    expect(r.out).not.toContain('internal error');
    expect(r.out + r.err).not.toMatch(STACK);
    // In the JSON, one entry of rows: no line, since the file could not be opened.
    const doc = JSON.parse(run(['table', path('dangling'), '--json']).out);
    expect(doc.rows[1]).toMatchObject({ id: '(table)', file: path('dangling', 'gone.yaml'), line: null, verdict: 'error', met: false, claim: null, trials: 0 });
  });

  it('a dangling link named on the command line is the same usage error', () => {
    const r = run(['table', path('dangling', 'gone.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`matcheck: cannot read '${path('dangling', 'gone.yaml')}': it is a symbolic link to a file that does not exist; fix or remove the link`);
  });

  it('a missing file is still "no such file or directory"', () => {
    const r = run(['table', path('nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`matcheck: cannot read '${path('nope.yaml')}': no such file or directory`);
  });

  it('a dangling link whose name is not a table’s is skipped like any other non-table file', () => {
    const r = run(['table', path('dangling-other')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS  dot /);
    expect(r.out).toContain('1 row: 1 pass, 0 fail, 0 error');
  });

  it("a link that points at itself is a usage error when named, and that file's error when found in a directory", () => {
    const message = `cannot read '${path('selflink', 'me.yaml')}': it is a symbolic link that points (through other links) back to itself; fix or remove the link`;
    const named = run(['table', path('selflink', 'me.yaml')]);
    expect(named.code).toBe(2);
    expect(named.err.split('\n')[0]).toBe(`matcheck: ${message}`);
    const found = run(['table', path('selflink')]);
    expect(found.code).toBe(2);
    expect(found.out.split('\n').slice(0, 2)).toEqual([
      `ERROR (table) ${path('selflink', 'me.yaml')} ✗ expected pass`,
      `    error[E_TABLE]: ${path('selflink', 'me.yaml')}: cannot read the file: it is a symbolic link that points (through other links) back to itself; fix or remove the link`,
    ]);
    for (const r of [named, found]) expect(r.out + r.err).not.toContain('internal error');
  });

  it('a directory reached again through a link (loop/self -> ., loop/sub/up -> ..) is walked once', () => {
    const r = run(['table', path('loop')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('PASS'))).toEqual([expect.stringMatching(new RegExp(`^PASS  dot ${path('loop', 'a.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2 `))]);
    expect(r.out).toContain('1 row: 1 pass, 0 fail, 0 error');
  });

  it('the same directory named twice is walked once', () => {
    const r = run(['table', path('loop'), path('loop', 'self')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 row: 1 pass, 0 fail, 0 error');
  });

  it('a file reached twice (named twice, named and in a named directory, or through a link) is checked once', () => {
    // Each was checked again: its rows twice in the report and in the counts.
    const a = path('loop', 'a.yaml');
    for (const args of [[a, a], [a, path('loop')], [path('loop'), a], [a, path('loop', 'self', 'a.yaml')]]) {
      const r = run(['table', ...args, '--json']);
      expect(r.code, args.join(' ')).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.rows.map((x: { id: string; file: string }) => [x.id, x.file]), args.join(' ')).toEqual([['dot', a]]);
      expect(doc.summary.rows).toBe(1);
    }
  });
});
