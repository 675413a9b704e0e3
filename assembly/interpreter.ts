// The program interpreter: `count` instructions of 8 i32 words each,
// [op, dst, a, b, m, n, k, x] (docs/engine-abi.md, "Instructions").
import { status, kink, resetStatus, setPc } from './status';
import { copy, fill, binary, unary, checkFinite } from './elementwise';
import { matmul, traceMatmul } from './matmul';
import { sum, trace, norm1, norm2, dot } from './reduce';
import { det, logdet, inv } from './lu';
import { transpose, kron, diagToMatrix, diagOfMatrix, eye, softmax, logsumexp, matpow } from './structure';

/** Runs a program from a fresh status and kink signature; returns the status. */
export function runProgram(prog: usize, count: i32): i32 {
  resetStatus();
  for (let i = 0; i < count; i++) {
    setPc(i);
    const w = prog + (<usize>i << 5);
    const op = load<i32>(w);
    const dst = <usize>load<u32>(w, 4);
    const a = <usize>load<u32>(w, 8);
    const b = <usize>load<u32>(w, 12);
    const m = load<i32>(w, 16);
    const n = load<i32>(w, 20);
    const k = load<i32>(w, 24);
    const x = load<i32>(w, 28);
    switch (op) {
      case 0: break;
      case 1: copy(dst, a, m); break;
      case 2: fill(dst, a, m); break;
      case 3: binary(dst, a, b, m, n, k); break;
      case 4: unary(dst, a, m, n); break;
      case 5: matmul(dst, a, b, m, n, k, x); break;
      case 6: transpose(dst, a, m, n); break;
      case 7: store<f64>(dst, sum(a, m)); break;
      case 8: store<f64>(dst, trace(a, m)); break;
      case 9: store<f64>(dst, norm1(a, m)); break;
      case 10: store<f64>(dst, norm2(a, m)); break;
      case 11: store<f64>(dst, dot(a, b, m)); break;
      case 12: det(dst, a, b, m); break;
      case 13: logdet(dst, a, b, m); break;
      case 14: inv(dst, a, b, m); break;
      case 15: kron(dst, a, b, m, n, k, x); break;
      case 16: diagToMatrix(dst, a, m); break;
      case 17: diagOfMatrix(dst, a, m); break;
      case 18: eye(dst, m); break;
      case 19: softmax(dst, a, m); break;
      case 20: store<f64>(dst, logsumexp(a, m)); break;
      case 21: matpow(dst, a, b, m, k); break;
      case 22: checkFinite(a, m); break;
      case 23: store<f64>(dst, traceMatmul(a, b, m, k, x)); break;
      // An unknown op means the program and the engine disagree on the ABI: stop loudly.
      default: unreachable();
    }
  }
  return status;
}

export function currentKink(): f64 {
  return kink;
}
