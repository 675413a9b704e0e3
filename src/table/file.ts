// Reading a table file from disk: why a path cannot be read, in words, and
// the library's one-call read (the CLI walks folders itself, src/cli.ts).
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { MatcheckError } from '../errors.js';
import { tableError } from './assemble.js';
import { decodeTable, readTable, type Table } from './read.js';

/** Why `p` cannot be read, in words (from the error reading it threw). */
export function whyUnreadable(p: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  let isLink = false;
  try {
    isLink = lstatSync(p).isSymbolicLink();
  } catch {
    // p itself is missing: said below.
  }
  if (code === 'ENOENT') return isLink ? 'it is a symbolic link to a file that does not exist; fix or remove the link' : 'no such file or directory';
  if (code === 'ELOOP') return 'it is a symbolic link that points (through other links) back to itself; fix or remove the link';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EISDIR') return 'it is a directory, not a table file';
  return (e as Error).message;
}

/** The table in file `path` (YAML or JSON); a path that is no string or cannot be read is a MatcheckError, as a file that is no table. */
export function readTableFile(path: string): Table {
  if (typeof path !== 'string' || path === '') {
    const got = typeof path === 'string' ? 'an empty string' : path === null ? 'null' : typeof path;
    throw new MatcheckError({ code: 'E_USAGE', stage: 'usage', message: `path must be the path of a table file, got ${got}`, field: 'path', hint: "e.g. checkTableFile('tables/cookbook.yaml')" });
  }
  let bytes: Buffer;
  try {
    // Reading a pipe named like a table would wait for a writer forever.
    if (!statSync(path).isFile() && !statSync(path).isDirectory()) throw tableError('cannot read the file: it is not a regular file (a pipe, socket or device)', path);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof MatcheckError) throw e;
    throw tableError(`cannot read the file: ${whyUnreadable(path, e)}`, path);
  }
  return readTable(decodeTable(bytes, path), path);
}
