// The progress bar's total is the number of rows checked: --only leaves the
// other rows out of it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli as run } from '../helpers/cli.js';

// The bar draws only on a real terminal; a stand-in records what it was told.
const bars = vi.hoisted(() => [] as { total: number; updates: number[]; stopped: boolean }[]);
vi.mock('../../src/report/progress.js', () => ({
  ProgressBar: class {
    private rec: { total: number; updates: number[]; stopped: boolean };
    constructor(total: number) {
      this.rec = { total, updates: [], stopped: false };
      bars.push(this.rec);
    }
    update(done: number): void {
      this.rec.updates.push(done);
    }
    stop(): void {
      this.rec.stopped = true;
    }
  },
}));

/** A table of `n` quick rows with ids r1..rn. */
const manyRows = (n: number) =>
  `formulas:\n${Array.from({ length: n }, (_, i) => `  - id: r${i + 1}\n    f: "x'*x"\n    wrt: x\n    grad: "2*x"\n    trials: 1\n`).join('')}`;

let dir: string;
const path = (...p: string[]) => join(dir, ...p);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'matcheck-progress-'));
  writeFileSync(path('sixty.yaml'), manyRows(60));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progress bar', () => {
  beforeEach(() => {
    bars.length = 0;
  });

  it('counts every row without --only', () => {
    expect(run(['table', path('sixty.yaml')], true).code).toBe(0);
    expect(bars).toHaveLength(1);
    expect(bars[0].total).toBe(60);
    expect(bars[0].updates.at(-1)).toBe(60);
    expect(bars[0].stopped).toBe(true);
  });

  it('counts only the rows --only selects', () => {
    const ids = Array.from({ length: 55 }, (_, i) => `r${i + 1}`).join(',');
    const r = run(['table', path('sixty.yaml'), '--only', ids], true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('55 rows: 55 pass');
    expect(bars).toHaveLength(1);
    expect(bars[0].total).toBe(55);
    expect(bars[0].updates).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
  });

  it('shows no bar when --only leaves a short run (one row of sixty)', () => {
    const r = run(['table', path('sixty.yaml'), '--only', 'r7'], true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 row: 1 pass');
    expect(bars).toEqual([]);
  });
});
