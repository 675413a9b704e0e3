// checkGradient's finite differences run in TypeScript (the user's f is
// JavaScript): they must be the engine's scheme, step for step. Checked
// against analytic derivatives and against the engine's fdDirectional and
// fdBasis on the same function written as a formula.
import { describe, expect, it } from 'vitest';
import { lower } from '../../src/compile/lower.js';
import { basis, directional, H_FIRST } from '../../src/fd/stencils.js';
import { basisStep, directionalStep, richardson } from '../../src/gradient/stencil.js';
import { sharedEngine } from '../../src/run/module.js';
import { Trial } from '../../src/run/trial.js';
import { makeRng } from '../../src/sample/index.js';
import { analyze } from '../../src/shapes/analyze.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('richardson', () => {
  it('is exact for a polynomial of degree 6, and its error estimate bounds the error', () => {
    // f(t) = p(x0 + t) with p(x) = x^6 - 2x^3 + x: p'(x) = 6x^5 - 6x^2 + 1. The
    // sixth-order result R has no truncation error for degree 6; the estimate
    // |R - R2| is the error of the fourth-order R2, larger.
    const x0 = 0.7;
    const p = (x: number) => x ** 6 - 2 * x ** 3 + x;
    const st = richardson((t) => Float64Array.of(p(x0 + t)), 0.01, 1)!;
    const actual = Math.abs(st.values[0] - (6 * x0 ** 5 - 6 * x0 ** 2 + 1));
    expect(actual).toBeLessThan(1e-12);
    expect(st.errors[0]).toBeGreaterThan(actual);
    expect(st.errors[0]).toBeLessThan(1e-8);
  });

  it('gives up on a non-finite value', () => {
    expect(richardson((t) => (t > 0.002 ? undefined : Float64Array.of(t)), 0.004, 1)).toBeUndefined();
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
    const ours = richardson((t) => Float64Array.of(js(x.map((v, i) => v + t * dir[i]))), s, 1)!;
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
      )!;
      expect(rel(ours.values[0], engineD.values[p])).toBeLessThan(1e-11);
      expect(rel(ours.values[0], Math.sin(x[p]) + x[p] * Math.cos(x[p]))).toBeLessThan(1e-10);
    }
  });
});
