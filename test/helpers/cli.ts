// Running the command line in-process: `main(argv, io)` with an Io that
// collects what it prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, mainAsync, type Io } from '../../src/cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

function collecting(tty: boolean): { io: Io; done: (code: number) => CliRun } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), tty },
    done: (code) => ({ code, out: out.join('\n'), err: err.join('\n') }),
  };
}

/** `matcheck ...argv` through the synchronous entry (one thread). */
export function runCli(argv: string[], tty = false): CliRun {
  const c = collecting(tty);
  return c.done(main(argv, c.io));
}

/** `matcheck ...argv` through the asynchronous entry (the one bin/matcheck.js uses: worker threads for large tables). */
export async function runCliAsync(argv: string[], tty = false): Promise<CliRun> {
  const c = collecting(tty);
  return c.done(await mainAsync(argv, c.io));
}

/** A table of one passing row (id dot). */
export const ONE_ROW = `formulas:
  - id: dot
    f: "x'*x"
    wrt: x
    grad: "2*x"
`;

/** A fresh temporary folder, and a function that removes it. */
export function tempDir(prefix: string): { path: (...p: string[]) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: (...p) => join(dir, ...p), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
