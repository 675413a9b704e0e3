// Plain-JavaScript references for every engine kernel: simple loops, no
// blocking, no SIMD, column-major like the engine. Tests compare against these.

export type Mat = Float64Array;

export const at = (m: number, i: number, j: number): number => i + j * m;

export function binary(op: number, a: Mat, b: Mat, len: number, bc: number): Mat {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const x = bc === 1 ? a[0] : a[i];
    const y = bc === 2 ? b[0] : b[i];
    out[i] = op === 0 ? x + y : op === 1 ? x - y : op === 2 ? x * y : op === 3 ? x / y : Math.pow(x, y);
  }
  return out;
}

export function unaryOne(fn: number, x: number): number {
  switch (fn) {
    case 0: return -x;
    case 1: return Math.exp(x);
    case 2: return Math.log(x);
    case 3: return Math.sin(x);
    case 4: return Math.cos(x);
    case 5: return Math.tan(x);
    case 6: return Math.asin(x);
    case 7: return Math.acos(x);
    case 8: return Math.atan(x);
    case 9: return Math.sqrt(x);
    case 10: return Math.tanh(x);
    case 11: return Math.abs(x);
    case 12: return x > 0 ? 1 : x < 0 ? -1 : x;
    case 13: return x > 0 ? x : 0;
    case 14: return 1 / (1 + Math.exp(-x));
    case 15: return Math.log(1 + Math.exp(x));
    default: throw new Error(`no function ${fn}`);
  }
}

export function unary(fn: number, a: Mat): Mat {
  return a.map((x) => unaryOne(fn, x));
}

/** op(a) * op(b) with the MATMUL flags: bit 0 a is k x m, bit 1 b is n x k. */
export function matmul(a: Mat, b: Mat, m: number, n: number, k: number, flags: number): Mat {
  const ta = (flags & 1) !== 0;
  const tb = (flags & 2) !== 0;
  const A = (i: number, p: number): number => (ta ? a[p + i * k] : a[i + p * m]);
  const B = (p: number, j: number): number => (tb ? b[j + p * n] : b[p + j * k]);
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      c[i + j * m] = s;
    }
  }
  return c;
}

export function transpose(a: Mat, m: number, n: number): Mat {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j + i * n] = a[i + j * m];
  return t;
}

export const sum = (a: Mat): number => a.reduce((s, x) => s + x, 0);
export function trace(a: Mat, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += a[i + i * m];
  return s;
}
export const norm1 = (a: Mat): number => a.reduce((s, x) => s + Math.abs(x), 0);
export const norm2 = (a: Mat): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
export function dot(a: Mat, b: Mat): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Unblocked LU with partial pivoting; det = sign * product of pivots. */
export function det(a: Mat, n: number): number {
  const lu = Float64Array.from(a);
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i + k * n]) > Math.abs(lu[p + k * n])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k + j * n], lu[p + j * n]] = [lu[p + j * n], lu[k + j * n]];
      d = -d;
    }
    const piv = lu[k + k * n];
    d *= piv;
    if (piv === 0) return 0;
    for (let i = k + 1; i < n; i++) {
      const l = lu[i + k * n] / piv;
      for (let j = k + 1; j < n; j++) lu[i + j * n] -= l * lu[k + j * n];
    }
  }
  return d;
}

/** log|det| as a sum of log|pivot| (no overflow). */
export function logdet(a: Mat, n: number): number {
  const lu = Float64Array.from(a);
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i + k * n]) > Math.abs(lu[p + k * n])) p = i;
    for (let j = 0; j < n; j++) [lu[k + j * n], lu[p + j * n]] = [lu[p + j * n], lu[k + j * n]];
    const piv = lu[k + k * n];
    s += Math.log(Math.abs(piv));
    for (let i = k + 1; i < n; i++) {
      const l = lu[i + k * n] / piv;
      for (let j = k + 1; j < n; j++) lu[i + j * n] -= l * lu[k + j * n];
    }
  }
  return s;
}

/** Gauss-Jordan elimination with partial pivoting on [A | I]. */
export function inv(a: Mat, n: number): Mat {
  const w = Float64Array.from(a);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r[i + i * n] = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i + k * n]) > Math.abs(w[p + k * n])) p = i;
    for (let j = 0; j < n; j++) {
      [w[k + j * n], w[p + j * n]] = [w[p + j * n], w[k + j * n]];
      [r[k + j * n], r[p + j * n]] = [r[p + j * n], r[k + j * n]];
    }
    const piv = w[k + k * n];
    for (let j = 0; j < n; j++) {
      w[k + j * n] /= piv;
      r[k + j * n] /= piv;
    }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = w[i + k * n];
      for (let j = 0; j < n; j++) {
        w[i + j * n] -= f * w[k + j * n];
        r[i + j * n] -= f * r[k + j * n];
      }
    }
  }
  return r;
}

/** kron(a, b), a m x n, b k x x. */
export function kron(a: Mat, b: Mat, m: number, n: number, k: number, x: number): Mat {
  const rows = m * k;
  const out = new Float64Array(rows * n * x);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++)
        for (let q = 0; q < x; q++) out[i * k + p + (j * x + q) * rows] = a[i + j * m] * b[p + q * k];
  return out;
}

export function diagToMatrix(a: Mat, m: number): Mat {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i + i * m] = a[i];
  return out;
}

export function diagOfMatrix(a: Mat, m: number): Mat {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = a[i + i * m];
  return out;
}

export function eye(m: number): Mat {
  return diagToMatrix(new Float64Array(m).fill(1), m);
}

export function softmax(a: Mat): Mat {
  const mx = Math.max(...a);
  const e = a.map((x) => Math.exp(x - mx));
  const s = sum(e);
  return e.map((x) => x / s);
}

export function logsumexp(a: Mat): number {
  const mx = Math.max(...a);
  return mx + Math.log(sum(a.map((x) => Math.exp(x - mx))));
}

/** a^k by repeated multiplication; k < 0 through inv. */
export function matpow(a: Mat, m: number, k: number): Mat {
  const base = k < 0 ? inv(a, m) : a;
  let r = eye(m);
  for (let i = 0; i < Math.abs(k); i++) r = matmul(r, base, m, m, m, 0);
  return r;
}

export function rms(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return a.length ? Math.sqrt(s) / Math.sqrt(a.length) : 0;
}

/**
 * The ABI's directional finite difference for a function given in JavaScript:
 * steps s, s/2, s/4, central differences, two Richardson steps, error estimate.
 */
export function fdDirectional(f: (x: Float64Array) => Float64Array, x: Float64Array, d: Float64Array, hRel: number): { out: Float64Array; err: Float64Array } {
  const s = (hRel * Math.max(1, rms(x))) / rms(d);
  const nF = f(x).length;
  const D: Float64Array[] = [];
  const M = new Float64Array(nF);
  for (const t of [s, s * 0.5, s * 0.25]) {
    const fp = f(x.map((xi, i) => xi + t * d[i]));
    const fm = f(x.map((xi, i) => xi + -t * d[i]));
    for (let o = 0; o < nF; o++) M[o] = Math.max(M[o], Math.abs(fp[o]), Math.abs(fm[o]));
    D.push(fp.map((v, o) => (v - fm[o]) / (2 * t)));
  }
  const out = new Float64Array(nF);
  const err = new Float64Array(nF);
  for (let o = 0; o < nF; o++) {
    const r1 = (4 * D[1][o] - D[0][o]) / 3;
    const r2 = (4 * D[2][o] - D[1][o]) / 3;
    out[o] = (16 * r2 - r1) / 15;
    err[o] = Math.abs(out[o] - r2) + (8 * 2 ** -52 * M[o]) / (s / 4);
  }
  return { out, err };
}

/** The ABI's basis-direction finite difference: direction e_p (+ e_q), s = hRel max(1, |x_p|). */
export function fdBasis(f: (x: Float64Array) => Float64Array, x: Float64Array, p: number, q: number, hRel: number): { out: Float64Array; err: Float64Array } {
  const s = hRel * Math.max(1, Math.abs(x[p]));
  const both = q >= 0 && q !== p;
  const at = (t: number): Float64Array => {
    const y = Float64Array.from(x);
    y[p] = x[p] + t;
    if (both) y[q] = x[q] + t;
    return f(y);
  };
  const nF = f(x).length;
  const D: Float64Array[] = [];
  const M = new Float64Array(nF);
  for (const t of [s, s * 0.5, s * 0.25]) {
    const fp = at(t);
    const fm = at(-t);
    for (let o = 0; o < nF; o++) M[o] = Math.max(M[o], Math.abs(fp[o]), Math.abs(fm[o]));
    D.push(fp.map((v, o) => (v - fm[o]) / (2 * t)));
  }
  const out = new Float64Array(nF);
  const err = new Float64Array(nF);
  for (let o = 0; o < nF; o++) {
    const r1 = (4 * D[1][o] - D[0][o]) / 3;
    const r2 = (4 * D[2][o] - D[1][o]) / 3;
    out[o] = (16 * r2 - r1) / 15;
    err[o] = Math.abs(out[o] - r2) + (8 * 2 ** -52 * M[o]) / (s / 4);
  }
  return { out, err };
}

/** The ABI's mixed second difference u' H v: four corners per level, steps from the larger rms of u, v. */
export function fdMixed(f: (x: Float64Array) => Float64Array, x: Float64Array, u: Float64Array, v: Float64Array, hRel: number): { out: Float64Array; err: Float64Array } {
  const s = (hRel * Math.max(1, rms(x))) / Math.max(rms(u), rms(v));
  const at = (su: number, sv: number, t: number): Float64Array => f(x.map((xi, i) => xi + t * (su * u[i] + sv * v[i])));
  const nF = f(x).length;
  const D: Float64Array[] = [];
  const M = new Float64Array(nF);
  for (const t of [s, s * 0.5, s * 0.25]) {
    const pp = at(1, 1, t), pm = at(1, -1, t), mp = at(-1, 1, t), mm = at(-1, -1, t);
    for (let o = 0; o < nF; o++) M[o] = Math.max(M[o], Math.abs(pp[o]), Math.abs(pm[o]), Math.abs(mp[o]), Math.abs(mm[o]));
    D.push(pp.map((val, o) => (val - pm[o] - mp[o] + mm[o]) / (4 * t * t)));
  }
  const out = new Float64Array(nF);
  const err = new Float64Array(nF);
  const h = s / 4;
  for (let o = 0; o < nF; o++) {
    const r1 = (4 * D[1][o] - D[0][o]) / 3;
    const r2 = (4 * D[2][o] - D[1][o]) / 3;
    out[o] = (16 * r2 - r1) / 15;
    err[o] = Math.abs(out[o] - r2) + (8 * 2 ** -52 * M[o]) / (h * h);
  }
  return { out, err };
}
