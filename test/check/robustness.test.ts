// A check survives what happens under it: engine memory growing mid-check
// (every ad-hoc instruction block is allocated above the layout, and a view
// taken before a growth is detached), and a bug of its own (one row errs).
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';

describe('engine memory growing during a check', () => {
  it('an entry-wise differential of the transposed shape (2,000 basis directions, a transpose each)', () => {
    const r = checkFormula({ id: 'grow', vars: { X: 'matrix(m,n)' }, dims: { m: 40, n: 50 }, f: 'X', wrt: 'X', differential: "dX'", trials: 1 }, { mode: 'entrywise' });
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis?.kind).toBe('transposed');
    expect(r.relErr).toBeLessThan(1e-9);
  });

  it('the same claim written right passes', () => {
    const r = checkFormula({ id: 'grow', vars: { X: 'matrix(m,n)' }, dims: { m: 40, n: 50 }, f: 'X', wrt: 'X', differential: 'dX', trials: 1 }, { mode: 'entrywise' });
    expect(r.verdict).toBe('pass');
  });
});

describe('an internal error', () => {
  it("is that row's error verdict, with the seed to report, and the table goes on", async () => {
    const { checkTable } = await import('../../src/check/table.js');
    const broken = { exports: {}, memory: new WebAssembly.Memory({ initial: 1 }), heapBase: 1024 } as never;
    const row = { id: 'r', vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x', grad: '2*x' };
    const r = checkFormula(row, { engine: broken });
    expect(r.verdict).toBe('error');
    expect(r.message).toMatch(/^internal error in matcheck: .+\. Please report it with this row and its seed \([0-9a-f]{16}\)\.$/);
    const t = checkTable({ rows: [{ row, line: 1, fieldLines: {} }, { row: { ...row, id: 's' }, line: 2, fieldLines: {} }] }, { engine: broken });
    expect(t.rows.map((x) => x.verdict)).toEqual(['error', 'error']);
  });
});

describe('sizes too large to check', () => {
  const row = (n: number) => ({ id: 'big', vars: { X: 'matrix(n,n)' }, dims: { n }, f: 'tr(X)', wrt: 'X', grad: 'eye(n)', trials: 1 });

  it('are refused before anything is allocated, with the sizes and what they need', () => {
    // 100000 x 100000 is 80 GB a value: the layout's arithmetic must not wrap at 2^31 and pass it.
    const r = checkFormula(row(100_000));
    expect(r.verdict).toBe('error');
    expect(r.message).toContain("error[E_SIZE]: at n = 100000, this formula's values need 149.1 GiB of engine memory, more than the 512 MiB matcheck gives one check");
    expect(r.message).toContain('hint: choose smaller sizes');
    const kind = checkFormula({ id: 'k', vars: { X: 'matrix(100000,100000)' }, f: 'sum(X)', wrt: 'X', grad: 'matrix(1)' });
    expect(kind.message).toContain("this formula's values need 149.1 GiB of engine memory"); // X and the claim matrix(1), 80 GB each
  });

  it('just over the limit (8000 x 8000 twice) is refused, not trapped half-way through the finite differences', () => {
    const r = checkFormula(row(8000));
    expect(r.verdict).toBe('error');
    expect(r.message).toContain("at n = 8000, this formula's values need 977 MiB of engine memory");
  });

  it('the engine memory itself is capped below 2^31 bytes (addresses are i32 words)', async () => {
    const { Memory, MAX_ENGINE_BYTES } = await import('../../src/run/memory.js');
    const { loadEngine } = await import('../../src/run/module.js');
    const m = new Memory(loadEngine('simd'));
    const before = m.engine.memory.buffer.byteLength;
    expect(() => m.alloc(3 * 2 ** 30)).toThrow(/this check needs 3\.1 GiB of engine memory, more than the 2\.0 GiB the engine can address/);
    expect(m.engine.memory.buffer.byteLength).toBe(before);
    expect(MAX_ENGINE_BYTES).toBeLessThan(2 ** 31);
  });

  it('a large size under the limit still checks', () => {
    const r = checkFormula({ ...row(300), grad: 'eye(n)' });
    expect(r.verdict).toBe('pass');
    expect(r.dims.n).toBe(300);
  });
});
