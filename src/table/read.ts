// Reading formula tables (spec section 4) from YAML or JSON text, keeping
// the line of every row and field. A plain table (no tags or keys written
// twice, no alias inside an anchored value: plain-events.ts says exactly) is
// read from js-yaml's events, 3-9x faster than through yaml's documents; any
// other goes through yaml's document model (yaml-document.ts), whose errors
// and positions the table review hardened. Both give the same table; tests
// hold them to it. A table the plain reader leaves is parsed twice: its
// js-yaml pass cost 12-19% of yaml's (1,000 rows with a key written twice in
// the last one); telling a plain table apart takes that pass itself.
import { MatcheckError } from '../errors.js';
import { shown } from '../row.js';
import { tableError, type Table } from './assemble.js';
import { readPlainTable } from './plain-events.js';
import { readYamlTable } from './yaml-document.js';

export type { Table, TableRow } from './assemble.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * A table file's bytes as text. A byte that is not UTF-8 (a file saved as
 * Latin-1 or UTF-16) is refused with its line and column: decoded leniently
 * it became U+FFFD, a formula error that never said why, or a silently
 * changed `source:`.
 */
export function decodeTable(bytes: Uint8Array, file?: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // A line break (0x0a) is never part of a multi-byte character: the first line holding U+FFFD holds the bad byte.
    let line = 1;
    let column = 0;
    for (let start = 0; start < bytes.length; line++) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl + 1;
      column = lenientUtf8.decode(bytes.subarray(start, end)).indexOf('\uFFFD') + 1;
      if (column > 0) break;
      start = end;
    }
    throw tableError(`the file is not UTF-8 text: column ${column} holds a byte that is not UTF-8`, file, line, 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 FILE)');
  }
}

/**
 * Parses a table's text (YAML or JSON); `file` names it in errors and results.
 * Throws MatcheckError only when the file is not a table at all, or for
 * arguments of the wrong type (E_USAGE: the YAML readers would fail inside
 * with a TypeError).
 */
export function readTable(text: string, file?: string): Table {
  checkArguments(text, file);
  return readPlainTable(text, file) ?? readYamlTable(text, file);
}

function checkArguments(text: unknown, file: unknown): void {
  const usage = (message: string, field: string, hint: string) => new MatcheckError({ code: 'E_USAGE', stage: 'usage', message, field, hint });
  if (typeof text !== 'string') {
    const bytes = text instanceof Uint8Array;
    throw usage(
      `readTable takes the table's text as a string, got ${bytes ? 'bytes' : shown(text)}`,
      'text',
      bytes ? "decode them first: readTable(new TextDecoder().decode(bytes), file), or checkTableFile(path) to read and check a file" : "read the file first: readTable(readFileSync(path, 'utf8'), path), or checkTableFile(path) to read and check it",
    );
  }
  if (file !== undefined && typeof file !== 'string') throw usage(`readTable's file must be the table's file name (a string), got ${shown(file)}`, 'file', 'it only names the table in errors and results: leave it out, or pass the path');
}
