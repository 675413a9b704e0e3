// --threads is read from the parsed options: `--threads N` and `--threads=N`
// are the same, and a bad value is a usage error either way.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ONE_ROW, tempDir, runCli as run, runCliAsync as runAsync } from '../helpers/cli.js';

// The worker pool itself is tested elsewhere; here only what the CLI hands it.
const parallelCalls = vi.hoisted(() => [] as { threads: number | undefined }[]);
vi.mock('../../src/check/parallel.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/check/parallel.js')>();
  return {
    ...actual,
    checkTablesParallel: (tables: Parameters<typeof actual.checkTablesParallel>[0], options: Parameters<typeof actual.checkTablesParallel>[1] = {}) => {
      parallelCalls.push({ threads: options.threads });
      return actual.checkTablesParallel(tables, { ...options, threads: 1 });
    },
  };
});


const tmp = tempDir('matcheck-threads-');
const path = tmp.path;

beforeAll(() => {
  writeFileSync(path('one.yaml'), ONE_ROW);
});

afterAll(tmp.remove);

describe('--threads', () => {
  beforeEach(() => {
    parallelCalls.length = 0;
  });

  it('--threads=N and --threads N hand the same number to the worker pool', async () => {
    const spaced = await runAsync(['table', path('one.yaml'), '--threads', '3']);
    const joined = await runAsync(['table', path('one.yaml'), '--threads=3']);
    expect(spaced.code).toBe(0);
    expect(joined.code).toBe(0);
    expect(parallelCalls).toEqual([{ threads: 3 }, { threads: 3 }]);
    const untimed = (text: string) => text.replace(/ in \d+ ms/, '');
    expect(untimed(joined.out)).toBe(untimed(spaced.out));
  });

  it('no --threads leaves the choice to the pool', async () => {
    expect((await runAsync(['table', path('one.yaml')])).code).toBe(0);
    expect(parallelCalls).toEqual([{ threads: undefined }]);
  });

  it.each([['--threads=0'], ['--threads=abc'], ['--threads=1.5']])('%s is a usage error (exit 2), like the spaced spelling', async (flag) => {
    const value = flag.slice('--threads='.length);
    for (const argv of [[flag], ['--threads', value]]) {
      const r = await runAsync(['table', path('one.yaml'), ...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`matcheck: --threads takes a positive integer, got '${value}'`);
      expect(r.out).toBe('');
    }
    expect(parallelCalls).toEqual([]);
    // the single-thread entry point checks the value too
    const sync = run(['table', path('one.yaml'), flag]);
    expect(sync.code).toBe(2);
    expect(sync.err).toContain(`got '${value}'`);
  });

  it('--threads=-2 is a usage error too (the spaced spelling is refused by the option parser)', async () => {
    const r = await runAsync(['table', path('one.yaml'), '--threads=-2']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("matcheck: --threads takes a positive integer, got '-2'");
    expect(parallelCalls).toEqual([]);
  });
});
