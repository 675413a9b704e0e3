// checkGradient's finite differences run in TypeScript (the user's f is
// JavaScript): they must be the engine's scheme, step for step. Checked
// against analytic derivatives and against the engine's fdDirectional and
// fdBasis on the same function written as a formula.
import { describe, expect, it } from 'vitest';
import { lower } from '../../src/compile/lower.js';
import { basis, directional, H_FIRST } from '../../src/fd/stencils.js';
import { EngineScratch } from '../../src/gradient/engine.js';
import { basisStep, directionalStep, richardson } from '../../src/gradient/stencil.js';
import { sharedEngine } from '../../src/run/module.js';
import { Trial } from '../../src/run/trial.js';
import { makeRng } from '../../src/sample/index.js';
import { analyze } from '../../src/shapes/analyze.js';

const scratch = new EngineScratch(sharedEngine());
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('richardson', () => {
  it('is exact for a polynomial of degree 6, and its error estimate bounds the error', () => {
    // f(t) = p(x0 + t) with p(x) = x^6 - 2x^3 + x: p'(x) = 6x^5 - 6x^2 + 1. The
    // sixth-order result R has no truncation error for degree 6; the estimate
    // |R - R2| is the error of the fourth-order R2, larger.
    const x0 = 0.7;
    const p = (x: number) => x ** 6 - 2 * x ** 3 + x;
    const st = richardson((t) => Float64Array.of(p(x0 + t)), 0.01, 1, scratch)!;
    const actual = Math.abs(st.values[0] - (6 * x0 ** 5 - 6 * x0 ** 2 + 1));
    expect(actual).toBeLessThan(1e-12);
    expect(st.errors[0]).toBeGreaterThan(actual);
    expect(st.errors[0]).toBeLessThan(1e-8);
  });

  it('gives up on a non-finite value', () => {
    expect(richardson((t) => (t > 0.002 ? undefined : Float64Array.of(t)), 0.004, 1, scratch)).toBeUndefined();
  });
});

describe("the engine's fdCombine", () => {
  // fdDirectional's arithmetic, step by step, written out in TypeScript: the
  // engine must give these bits exactly.
  const reference = (samples: Float64Array[], s: number, nF: number) => {
    const eps = 2.220446049250313e-16;
    const d = [0, 1, 2].map(() => new Float64Array(nF));
    const mx = new Float64Array(nF);
    const track = (f: Float64Array) => f.forEach((v, o) => (Math.abs(v) > mx[o] || v !== v) && (mx[o] = Math.abs(v)));
    for (let level = 0; level < 3; level++) {
      const t = s * [1, 0.5, 0.25][level];
      d[level].set(samples[2 * level]);
      track(samples[2 * level]);
      for (let o = 0; o < nF; o++) d[level][o] = d[level][o] + -1 * samples[2 * level + 1][o];
      track(samples[2 * level + 1]);
      for (let o = 0; o < nF; o++) d[level][o] = d[level][o] / (2 * t);
    }
    const values = new Float64Array(nF);
    const errors = new Float64Array(nF);
    for (let o = 0; o < nF; o++) {
      const r1 = (4 * d[1][o] - d[0][o]) / 3;
      const r2 = (4 * d[2][o] - d[1][o]) / 3;
      values[o] = (16 * r2 - r1) / 15;
      errors[o] = Math.abs(values[o] - r2) + (8 * eps * mx[o]) / (s * 0.25);
    }
    return { values, errors };
  };

  it('gives the bits of the stencil arithmetic on random samples', () => {
    const rng = makeRng('combine');
    for (const nF of [1, 2, 7]) {
      for (let k = 0; k < 20; k++) {
        const samples = Array.from({ length: 6 }, () => Float64Array.from({ length: nF }, () => rng.normal() * 10 ** rng.int(-3, 3)));
        const s = 10 ** (rng.uniform() * 4 - 5);
        const got = scratch.richardson(samples, s, nF);
        const want = reference(samples, s, nF);
        expect(Array.from(got.values)).toEqual(Array.from(want.values));
        expect(Array.from(got.errors)).toEqual(Array.from(want.errors));
      }
    }
  });
});

describe('the same numbers as the engine', () => {
  const engine = sharedEngine();
  const n = 5;
  const setup = (f: string) => {
    const a = analyze({ f, vars: { x: `vector(${n})` }, wrt: 'x', claim: { type: 'grad', text: 'x' } });
    const trial = new Trial(engine, lower(a), a.types.dims, {});
    const rng = makeRng('stencil');
    const x = Float64Array.from({ length: n }, () => rng.normal());
    trial.setInput('x', x);
    trial.run('const');
    trial.run('f');
    return { trial, x, rng };
  };
  // The same function in JavaScript: sum(sin(x) .* x)
  const js = (x: Float64Array) => x.reduce((s, v) => s + Math.sin(v) * v, 0);

  it.each([H_FIRST, 0.05])('fdDirectional, hRel %s', (hRel) => {
    const { trial, x, rng } = setup('sum(sin(x).*x)');
    const dir = Float64Array.from({ length: n }, () => rng.normal());
    const at = trial.memory.alloc(8 * n);
    trial.memory.write(at, dir);
    const d = directional(trial, at, 1, hRel);
    const engineD = { values: trial.memory.read(d.values, d.count), errors: trial.memory.read(d.errors, d.count) };
    const s = directionalStep(x, dir, hRel);
    const ours = richardson((t) => Float64Array.of(js(x.map((v, i) => v + t * dir[i]))), s, 1, scratch)!;
    expect(rel(ours.values[0], engineD.values[0])).toBeLessThan(1e-11);
    expect(ours.errors[0] / engineD.errors[0]).toBeGreaterThan(0.5);
    expect(ours.errors[0] / engineD.errors[0]).toBeLessThan(2);
  });

  it('fdBasis', () => {
    const { trial, x } = setup('sum(sin(x).*x)');
    const d = basis(
      trial,
      Array.from({ length: n }, (_, p) => [p, -1] as const),
    );
    const engineD = { values: trial.memory.read(d.values, d.count) };
    for (let p = 0; p < n; p++) {
      const ours = richardson(
        (t) => {
          const y = Float64Array.from(x);
          y[p] = x[p] + t;
          return Float64Array.of(js(y));
        },
        basisStep(x[p], H_FIRST),
        1,
        scratch,
      )!;
      expect(rel(ours.values[0], engineD.values[p])).toBeLessThan(1e-11);
      expect(rel(ours.values[0], Math.sin(x[p]) + x[p] * Math.cos(x[p]))).toBeLessThan(1e-10);
    }
  });
});
