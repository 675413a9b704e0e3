// The engine's generator (assembly/random.ts) against its oracle: the same
// uniform stream as seedrandom's tychei bit for bit, normals within rounding
// of the plain JavaScript polar method, and the same values whichever way
// and wherever they are drawn.
import { describe, it, expect } from 'vitest';
import seedrandom from 'seedrandom';
import { hashParts, makeRng, makeTrialRng, trialSeed } from '../../src/sample/rng.js';
import { makeReferenceRng } from '../../src/sample/reference-rng.js';
import { loadEngine, type Variant } from '../../src/run/module.js';
import { sharedMemory } from '../../src/run/memory.js';
import { haarInto, haarProductInto } from '../../src/sample/orthogonal.js';
import type { Rng } from '../../src/sample/rng.js';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('the engine generator', () => {
  it("draws seedrandom's tychei double() stream, bit for bit", () => {
    for (let s = 0; s < 50; s++) {
      const seed = `uniform-${s}`;
      const ours = makeRng(seed);
      const theirs = seedrandom.tychei(seed);
      for (let i = 0; i < 200; i++) expect(ours.uniform()).toBe(theirs.double());
      // The bulk fill continues the same stream.
      const bulk = new Float64Array(300);
      ours.uniforms(bulk, 0, 300, 0.5, 2);
      for (let i = 0; i < 300; i++) expect(bulk[i]).toBe(0.5 + 1.5 * theirs.double());
    }
  });

  it("is seeded from a string as seedrandom's tychei seeds it, in every build, for any string", () => {
    const rng = makeRng('seeding');
    const seeds = ['', '0', 'a', 'golden', '92e6ec5af7c3f357', 'ünïcödé', '中文', '😀 and a lone \ud800', 'x'.repeat(2047), 'é'.repeat(2048), '😀'.repeat(5000)];
    for (let i = 0; i < 300; i++) seeds.push(String.fromCharCode(...Array.from({ length: rng.int(0, 40) }, () => rng.int(1, 0xffff))));
    for (const variant of ['simd', 'debug'] as Variant[]) {
      const engine = loadEngine(variant);
      for (const seed of seeds) {
        const theirs = seedrandom.tychei(seed);
        const ours = makeRng(seed, engine);
        for (let i = 0; i < 3; i++) expect(ours.uniform()).toBe(theirs.double());
      }
    }
  });

  it("draws a trial's stream from its hashed seed as makeRng(trialSeed(...)) does, never forming the string", () => {
    const rowSeeds = ['088ef23d7b269202', 'matcheck', '', 'ünïcödé', 'x'.repeat(3000)];
    for (const rowSeed of rowSeeds) {
      for (const trial of [0, 1, 2, 9, 10, 999, 123456789]) {
        const theirs = seedrandom.tychei(trialSeed(rowSeed, trial));
        const ours = makeTrialRng(rowSeed, trial);
        for (let i = 0; i < 3; i++) expect(ours.uniform()).toBe(theirs.double());
      }
    }
    expect(() => makeTrialRng('s', -1)).toThrow(/non-negative integer/);
    expect(() => makeTrialRng('s', 1.5)).toThrow(/non-negative integer/);
    // Pinned (the first draw of trial 0 of the row seed pinned in rng.test.ts).
    expect(trialSeed('088ef23d7b269202', 0)).toBe('92e6ec5af7c3f357');
    expect(makeTrialRng('088ef23d7b269202', 0).uniform()).toBe(seedrandom.tychei('92e6ec5af7c3f357').double());
  });

  it('hashes in any build and past the staging area with the same digits', () => {
    const long = ['é', 'x', '中', '😀'].join('').repeat(3000);
    const want = hashParts(['row', long]);
    for (const variant of ['simd', 'debug'] as Variant[]) {
      const engine = loadEngine(variant);
      expect(hashParts(['row', long], engine)).toBe(want);
      expect(hashParts(['trial', 'a', '0'], engine)).toBe(trialSeed('a', 0));
    }
  });

  it('draws normals within rounding of the plain JavaScript polar method (the rejections agree exactly)', () => {
    const n = 20_000;
    const ours = new Float64Array(n);
    const theirs = new Float64Array(n);
    makeRng('normals').normals(ours, 0, n);
    makeReferenceRng('normals').normals(theirs, 0, n);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / Math.max(Math.abs(theirs[i]), 1e-300));
    // Only Math.log may differ, by an ulp or so: a few units of 1e-16 after sqrt.
    expect(worst).toBeLessThan(1e-14);
    // And the two streams stay aligned afterwards.
    const a = makeRng('normals');
    const b = makeReferenceRng('normals');
    a.normals(ours, 0, 7);
    b.normals(theirs, 0, 7);
    expect(a.uniform()).toBe(b.uniform());
  });

  it('gives the same values one at a time, in bulk, into engine memory, into a JavaScript array, across chunks', () => {
    const n = 1300; // more than two staging chunks of 512
    const one = new Float64Array(n);
    const r1 = makeRng('bulk');
    for (let i = 0; i < n; i++) one[i] = r1.normal();
    const js = new Float64Array(n + 3);
    makeRng('bulk').normals(js, 3, n);
    const memory = sharedMemory(loadEngine('simd'));
    const at = memory.alloc(8 * n) >>> 3;
    const engine = makeRng('bulk', memory.engine);
    engine.normals(memory.f64, at, n);
    expect(bits(js.subarray(3))).toEqual(bits(one));
    expect(bits(memory.f64.subarray(at, at + n))).toEqual(bits(one));
    // An odd count leaves a spare, which the next draw returns.
    const odd = makeRng('bulk');
    const first = new Float64Array(5);
    odd.normals(first, 0, 5);
    expect(odd.normal()).toBe(one[5]);
  });

  it('gives the same values in every build of the engine', () => {
    const variants: Variant[] = ['simd', 'debug'];
    const draw = (v: Variant) => {
      const rng = makeRng('variants', loadEngine(v));
      const out = new Float64Array(600);
      rng.normals(out, 0, 300);
      rng.uniforms(out, 300, 300, -1, 1);
      return bits(out);
    };
    const simd = draw('simd');
    for (const v of variants) expect(draw(v)).toEqual(simd);
  });

  it('keeps generators that are alive at the same time apart', () => {
    const a = makeRng('a');
    const b = makeRng('b');
    const interleaved: number[] = [];
    for (let i = 0; i < 50; i++) interleaved.push(a.normal(), b.normal());
    const a2 = makeRng('a');
    const b2 = makeRng('b');
    const alone = [...Array.from({ length: 50 }, () => a2.normal()), ...Array.from({ length: 50 }, () => b2.normal())];
    expect(interleaved.filter((_, i) => i % 2 === 0)).toEqual(alone.slice(0, 50));
    expect(interleaved.filter((_, i) => i % 2 === 1)).toEqual(alone.slice(50));
  });
});

describe("the engine's Haar orthogonal matrices", () => {
  it('are haarInto\'s, bit for bit (the same operations in the same order), into a JavaScript array or engine memory', () => {
    const memory = sharedMemory(loadEngine('simd'));
    // Past n = 15 (a JavaScript array) and n = 22 (engine memory) the work
    // space no longer fits the staging area and is reserved in engine memory.
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 22, 23, 40]) {
      for (let s = 0; s < (n > 17 ? 2 : 6); s++) {
        const seed = `haar-${n}-${s}`;
        const js = new Float64Array(n * n);
        haarInto(n, makeRng(seed), js, 0); // JavaScript arithmetic, the engine's normals
        const viaRng = new Float64Array(n * n + 2);
        makeRng(seed).orthogonal(n, viaRng, 2);
        expect(bits(viaRng.subarray(2))).toEqual(bits(js));
        const at = memory.alloc(8 * n * n) >>> 3;
        makeRng(seed, memory.engine).orthogonal(n, memory.f64, at);
        expect(bits(memory.f64.subarray(at, at + n * n))).toEqual(bits(js));
      }
    }
  });

  it("U diag(s) V' and Q diag(s) Q' are the plain JavaScript's, bit for bit, and leave the stream where it leaves it", () => {
    // The engine's normals and uniforms, JavaScript's Householder and product arithmetic.
    const jsArithmetic = (seed: string): Rng => {
      const r = makeRng(seed);
      const rng: Rng = {
        uniform: () => r.uniform(),
        normal: () => r.normal(),
        int: (lo, hi) => r.int(lo, hi),
        normals: (out, at, n) => r.normals(out, at, n),
        uniforms: (out, at, n, lo, hi) => r.uniforms(out, at, n, lo, hi),
        orthogonal: (n, out, at) => haarInto(n, rng, out, at),
        haarProduct: (n, symmetric, lo, hi, out, at) => haarProductInto(n, symmetric, lo, hi, rng, out, at),
        fork: () => r.fork(),
      };
      return rng;
    };
    const memory = sharedMemory(loadEngine('simd'));
    for (const n of [1, 2, 3, 5, 8, 11, 12, 16, 23, 41]) {
      for (const symmetric of [false, true]) {
        const seed = `product-${n}-${symmetric}`;
        const want = new Float64Array(n * n);
        const js = jsArithmetic(seed);
        js.haarProduct(n, symmetric, 0.5, 2, want, 0);
        const next = js.normal();
        const viaArray = new Float64Array(n * n + 3);
        const a = makeRng(seed);
        a.haarProduct(n, symmetric, 0.5, 2, viaArray, 3);
        expect(bits(viaArray.subarray(3))).toEqual(bits(want));
        expect(a.normal()).toBe(next);
        const at = memory.alloc(8 * n * n) >>> 3;
        makeRng(seed, memory.engine).haarProduct(n, symmetric, 0.5, 2, memory.f64, at);
        expect(bits(memory.f64.subarray(at, at + n * n))).toEqual(bits(want));
        if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(want[i + j * n]).toBe(want[j + i * n]);
      }
    }
  });

  it("continue the generator's stream where n * n normals leave it", () => {
    const a = makeRng('after');
    a.orthogonal(4, new Float64Array(16), 0);
    const b = makeRng('after');
    b.normals(new Float64Array(16), 0, 16);
    expect(a.normal()).toBe(b.normal());
  });
});
