// Reading formula tables (spec section 4) from YAML or JSON text, keeping
// the line of every row and field. A plain table (no tags or keys written
// twice, no alias inside an anchored value: plain-events.ts says exactly) is
// read from js-yaml's events, 3-9x faster than through yaml's documents; any
// other goes through yaml's document model (yaml-document.ts), whose errors
// and positions the table review hardened. Both give the same table; tests
// hold them to it. A table the plain reader leaves is parsed twice: its
// js-yaml pass cost 12-19% of yaml's (1,000 rows with a key written twice in
// the last one); telling a plain table apart takes that pass itself.
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

/** Parses a table's text (YAML or JSON). Throws only when the file is not a table at all. */
export function readTable(text: string, file?: string): Table {
  return readPlainTable(text, file) ?? readYamlTable(text, file);
}
