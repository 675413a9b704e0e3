// The plain entry points: where the arena starts, running a program, its kink signature.
import { runProgram } from './interpreter';
import { kink } from './status';

/** First byte the TypeScript arena may use, 16-aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Runs `count` instructions from `prog`; returns the status word. */
export function run(prog: usize, count: i32): i32 {
  return runProgram(prog, count);
}

/** Kink signature of the last evaluation. */
export function kinkSignature(): f64 {
  return kink;
}
