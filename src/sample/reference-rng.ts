// The generator of makeRng written in plain JavaScript: seedrandom's Tyche-i
// stream and Marsaglia's polar method with the JavaScript engine's Math.log.
// It is the test oracle of the engine's generator (the same uniform draws
// bit for bit, normals within rounding) and the sampler of the plain
// TypeScript checker in bench/. Not a fallback for users: its normals depend
// on the JavaScript engine's Math functions.
import seedrandom from 'seedrandom';
import { haarInto, haarProductInto } from './orthogonal.js';
import { intFrom, type Rng } from './rng.js';

export function makeReferenceRng(seed: string): Rng {
  return fromPrng(seedrandom.tychei(seed, { state: true }), undefined);
}

function fromPrng(prng: ReturnType<typeof seedrandom.tychei>, spareAtStart: number | undefined): Rng {
  let spare = spareAtStart;
  const uniform = (): number => prng.double();
  const normal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * m;
    return u * m;
  };
  const rng: Rng = {
    uniform,
    normal,
    int: (lo: number, hi: number): number => intFrom(uniform(), lo, hi),
    normals(out: Float64Array, at: number, n: number): void {
      for (let i = 0; i < n; i++) out[at + i] = normal();
    },
    uniforms(out: Float64Array, at: number, n: number, lo: number, hi: number): void {
      for (let i = 0; i < n; i++) out[at + i] = lo + (hi - lo) * uniform();
    },
    orthogonal(n: number, out: Float64Array, at: number): void {
      haarInto(n, rng, out, at);
    },
    haarProduct(n: number, symmetric: boolean, lo: number, hi: number, out: Float64Array, at: number): void {
      haarProductInto(n, symmetric, lo, hi, rng, out, at);
    },
    fork: () => fromPrng(seedrandom.tychei('', { state: prng.state() }), spare),
  };
  return rng;
}
