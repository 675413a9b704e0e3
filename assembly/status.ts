// Status word and kink signature shared by every kernel (docs/engine-abi.md, "Status").

// @ts-ignore: decorator
@inline export const NONFINITE: i32 = 1;
// @ts-ignore: decorator
@inline export const DOMAIN: i32 = 2;
// @ts-ignore: decorator
@inline export const SINGULAR: i32 = 4;
// @ts-ignore: decorator
@inline export const KINK: i32 = 8;

/** OR of the flags raised since the last reset (the start of `run`). */
export let status: i32 = 0;
/** Kink signature of the current evaluation. */
export let kink: f64 = 0;
/** Index of the instruction being executed (weights the kink signature). */
export let pc: i32 = 0;

// @ts-ignore: decorator
@inline export function raise(bits: i32): void {
  status |= bits;
}

/** Entry i of a kink op's input is negative: record which side of the kink we are on. */
// @ts-ignore: decorator
@inline export function kinkAt(i: i32): void {
  kink += f64(i + 1) * f64(pc + 1);
}

export function resetStatus(): void {
  status = 0;
  kink = 0;
  pc = 0;
}

export function setPc(p: i32): void {
  pc = p;
}

export function setKink(v: f64): void {
  kink = v;
}
