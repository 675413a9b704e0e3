// The built modules and the harness's memory handling.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Harness, ins, OP, VARIANTS } from './harness.js';
import { randArray, rng } from './util.js';

const buildFile = (name: string): string => fileURLToPath(new URL(`../../build/${name}`, import.meta.url));

describe('built modules', () => {
  it('all three variants are built; relaxed validates to a boolean on this engine', () => {
    for (const f of ['matcheck.wasm', 'matcheck-relaxed.wasm', 'matcheck-debug.wasm']) expect(existsSync(buildFile(f)), f).toBe(true);
    const relaxed = readFileSync(buildFile('matcheck-relaxed.wasm'));
    expect(typeof WebAssembly.validate(relaxed)).toBe('boolean');
    expect(WebAssembly.validate(readFileSync(buildFile('matcheck.wasm')))).toBe(true);
  });

  it('the relaxed build differs from the SIMD128 build (it uses relaxed_madd)', () => {
    const a = readFileSync(buildFile('matcheck.wasm'));
    const b = readFileSync(buildFile('matcheck-relaxed.wasm'));
    expect(Buffer.compare(a, b)).not.toBe(0);
  });
});

describe.each(VARIANTS)('memory (%s)', (variant) => {
  it('heapBase is 16-aligned and exports what the ABI lists', () => {
    const h = new Harness(variant);
    expect(h.engine.heapBase % 16).toBe(0);
    for (const name of ['run', 'kinkSignature', 'fdDirectional', 'fdBasis', 'fdMixed', 'pairDirections', 'compare', 'worst', 'norm2', 'dot']) {
      expect(typeof (h.exports as unknown as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('buffers beyond the initial memory: growth, fresh views, a 300 x 300 matmul', () => {
    const h = new Harness(variant);
    const before = h.memory.buffer.byteLength;
    const staleView = h.f64;
    const n = 300;
    const r = rng('grow');
    const av = randArray(r, n * n);
    const a = h.buf(n * n, av);
    const b = h.buf(n * n);
    const c = h.buf(n * n);
    expect(h.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(staleView.length).toBe(0); // detached by memory.grow
    for (let i = 0; i < n; i++) h.f64[b / 8 + i + i * n] = 2;
    h.run([ins(OP.MATMUL, c, a, b, n, n, n, 0)]);
    const got = h.read(c, n * n);
    for (let i = 0; i < n * n; i += 997) expect(got[i]).toBe(2 * av[i]);
  });
});

describe('simd and debug builds', () => {
  it('compute the same bits (no fused ops in either; debug packs LU panels in chunks of 32 rows)', () => {
    const [s, d] = [new Harness('simd'), new Harness('debug')];
    const r = rng('cross');
    for (const n of [5, 37, 70]) {
      const av = randArray(r, n * n);
      for (let i = 0; i < n; i++) av[i + i * n] += 2;
      const bv = randArray(r, n * n);
      const out = [s, d].map((h) => {
        h.reset();
        const a = h.buf(n * n, av);
        const b = h.buf(n * n, bv);
        const scratch = h.alloc(8 * (n * n + n));
        const inv = h.buf(n * n);
        const mm = h.buf(n * n);
        const det = h.buf(1);
        expect(h.run([ins(OP.INV, inv, a, scratch, n), ins(OP.MATMUL, mm, a, b, n, n, n, 0), ins(OP.DET, det, a, scratch, n)])).toBe(0);
        return [h.bytes(inv, 8 * n * n), h.bytes(mm, 8 * n * n), h.bytes(det, 8)];
      });
      expect(out[1]).toEqual(out[0]);
    }
  });
});
