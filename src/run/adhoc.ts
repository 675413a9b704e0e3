// Small one-off programs on buffers outside a compiled layout (applying a
// claim to directions, transposing a claim): encoded as in
// docs/engine-abi.md and run in one call.
import { OPCODE } from '../compile/program.js';
import type { Trial } from './trial.js';

export type Instruction = [op: number, dst: number, a: number, b: number, m: number, n: number, k: number, x: number];

export function runInstructions(trial: Trial, instructions: readonly Instruction[]): number {
  const addr = trial.memory.alloc(32 * instructions.length);
  const i32 = trial.memory.i32;
  instructions.forEach((ins, i) => i32.set(ins, (addr >>> 2) + 8 * i));
  return trial.engine.exports.run(addr, instructions.length);
}

export const ins = {
  matmul: (dst: number, a: number, b: number, m: number, n: number, k: number, flags: number): Instruction => [OPCODE.matmul, dst, a, b, m, n, k, flags],
  transpose: (dst: number, a: number, rows: number, cols: number): Instruction => [OPCODE.transpose, dst, a, 0, rows, cols, 0, 0],
  dot: (dst: number, a: number, b: number, len: number): Instruction => [OPCODE.dot, dst, a, b, len, 0, 0, 0],
  copy: (dst: number, a: number, len: number): Instruction => [OPCODE.copy, dst, a, 0, len, 0, 0, 0],
  diagOf: (dst: number, a: number, n: number): Instruction => [OPCODE.diagOfMatrix, dst, a, 0, n, 0, 0, 0],
  diagTo: (dst: number, a: number, n: number): Instruction => [OPCODE.diagToMatrix, dst, a, 0, n, 0, 0, 0],
  checkFinite: (a: number, len: number): Instruction => [OPCODE.checkFinite, 0, a, 0, len, 0, 0, 0],
};
