// Reading a plain table from js-yaml's event stream: one pass over flat
// events that carry offsets into the text. yaml's parseDocument read about
// 1 MB/s here (the shipped tables took 0.3-0.4 s of a 1.4 s run); these
// events come 7-8x faster. A plain table has no anchors, aliases, tags,
// merge keys, keys written twice or non-string keys, one document without
// directives, and a mapping for every row: anything else, and any YAML
// error, is left to yaml-document.ts (undefined), which reads it with the
// errors and positions the table review hardened. Both readers give the same
// table for a plain one (test/table/plain-events.test.ts).
import type * as JsYaml from 'js-yaml';
import { assembleDefaults, assembleRow, assembleTable, TOP_FIELDS, type Table, type WrittenField } from './assemble.js';
import { jsYaml } from './yaml-lib.js';

type PlainNode =
  | { kind: 'map'; start: number; keys: string[]; keyStarts: number[]; values: PlainNode[] }
  | { kind: 'seq'; items: PlainNode[] }
  | { kind: 'scalar'; value: unknown; plain: string | undefined };

/** Thrown by the walk when the text is not a plain table. */
const NOT_PLAIN = { notPlain: true };

/**
 * A plain scalar's value by the YAML 1.2 core schema, tested in yaml's order
 * and converted as yaml converts it, so that both readers agree to the bit.
 */
const CORE: [RegExp, (s: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
];

function resolvePlain(s: string): unknown {
  for (const [test, value] of CORE) if (test.test(s)) return value(s);
  return s;
}

/**
 * Whether a block scalar has a line of spaces only, longer than its
 * indentation: text by YAML 1.2 (8.1.1.1). After an explicit indentation
 * indicator (`|2`) yaml drops the line where js-yaml keeps its spaces; rather
 * than tell the cases apart, every such scalar is left to yaml.
 */
function spacesPastIndent(block: string, indent: number): boolean {
  // indent is -1 for a block scalar without text: its lines are all empty lines (the readers agree).
  return indent >= 0 && block.split('\n').some((line) => {
    const spaces = line.endsWith('\r') ? line.slice(0, -1) : line;
    return spaces.length > indent && /^ +$/.test(spaces);
  });
}

/** The events of one node and its children, as a tree. */
class Walk {
  private i = 0;
  // js-yaml's event and style numbers (read from it: the library loads on first use).
  private readonly E: typeof JsYaml.EVENT_ID;
  private readonly S: typeof JsYaml.SCALAR_STYLE;
  constructor(
    private readonly lib: typeof JsYaml,
    private readonly text: string,
    private readonly events: JsYaml.Event[],
  ) {
    this.E = lib.EVENT_ID;
    this.S = lib.SCALAR_STYLE;
  }

  document(): PlainNode {
    const doc = this.events[this.i++];
    // A %YAML 1.1 directive switches yaml to another schema.
    if (doc?.type !== this.E.DOCUMENT || doc.directives.length > 0) throw NOT_PLAIN;
    const node = this.node();
    if (this.events[this.i++]?.type !== this.E.POP || this.i !== this.events.length) throw NOT_PLAIN;
    return node;
  }

  private node(): PlainNode {
    const { E } = this;
    const e = this.events[this.i++];
    if (e.type !== E.SCALAR && e.type !== E.SEQUENCE && e.type !== E.MAPPING) throw NOT_PLAIN;
    if (e.anchorStart !== -1 || e.tagStart !== -1) throw NOT_PLAIN;
    if (e.type === E.SCALAR) return this.scalar(e);
    if (e.type === E.SEQUENCE) {
      const items: PlainNode[] = [];
      while (this.events[this.i].type !== E.POP) items.push(this.node());
      this.i++;
      return { kind: 'seq', items };
    }
    const map: PlainNode = { kind: 'map', start: e.start, keys: [], keyStarts: [], values: [] };
    // A Set: a mapping of many thousand keys must not take quadratic time to find a key written twice.
    const seen = new Set<string>();
    while (this.events[this.i].type !== E.POP) {
      const k = this.events[this.i];
      const key = this.node();
      // Left to yaml: a key that is not a string (yaml's reader has its own names for them), a merge
      // key, `__proto__` (which an assignment would take as the prototype), and a key written twice.
      if (k.type !== E.SCALAR || key.kind !== 'scalar' || typeof key.value !== 'string') throw NOT_PLAIN;
      if (key.value === '<<' || key.value === '__proto__' || seen.has(key.value)) throw NOT_PLAIN;
      seen.add(key.value);
      map.keys.push(key.value);
      map.keyStarts.push(k.valueStart);
      map.values.push(this.node());
    }
    this.i++;
    return map;
  }

  private scalar(e: JsYaml.ScalarEvent): PlainNode {
    const { S } = this;
    if ((e.style === S.LITERAL_BLOCK || e.style === S.FOLDED_BLOCK) && spacesPastIndent(this.text.slice(e.valueStart, e.valueEnd), e.indent)) throw NOT_PLAIN;
    const s = this.lib.getScalarValue(this.text, e);
    return e.style === S.PLAIN ? { kind: 'scalar', value: resolvePlain(s), plain: s } : { kind: 'scalar', value: s, plain: undefined };
  }
}

/** A node as plain data, as yaml's toJS gives it. */
function toJs(node: PlainNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJs);
  const out: Record<string, unknown> = {};
  node.keys.forEach((k, n) => (out[k] = toJs(node.values[n])));
  return out;
}

/** 1-based line of an offset, from the offsets where lines start. */
function lines(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function parse(text: string): PlainNode | undefined {
  const lib = jsYaml();
  try {
    return new Walk(lib, text, lib.parseEvents(text, {})).document();
  } catch (e) {
    if (e === NOT_PLAIN || e instanceof lib.YAMLException) return undefined;
    throw e;
  }
}

const get = (map: PlainNode & { kind: 'map' }, key: string): PlainNode | undefined => {
  const n = map.keys.indexOf(key);
  return n === -1 ? undefined : map.values[n];
};

/** The fields of a mapping, each at the line of its key. */
function fieldsOf(map: PlainNode & { kind: 'map' }, lineAt: (pos: number) => number): WrittenField[] {
  return map.keys.map((key, n) => {
    const value = map.values[n];
    return { key, line: lineAt(map.keyStarts[n]), value: () => toJs(value), plain: value.kind === 'scalar' ? value.plain : undefined };
  });
}

/** The table, if its text is a plain table; undefined for yaml-document.ts to read. */
export function readPlainTable(text: string, file?: string): Table | undefined {
  // yaml breaks lines at \n (and \r\n) only: a lone \r would count lines differently here.
  if (/\r(?!\n)/.test(text)) return undefined;
  const top = parse(text);
  if (top?.kind !== 'map' || !top.keys.every((k) => (TOP_FIELDS as readonly string[]).includes(k))) return undefined;
  const formulas = get(top, 'formulas');
  const defaultsNode = get(top, 'defaults');
  if (formulas?.kind !== 'seq' || (defaultsNode && defaultsNode.kind !== 'map')) return undefined;
  if (!formulas.items.every((r) => r.kind === 'map')) return undefined;
  const lineAt = lines(text);
  const defaults = defaultsNode?.kind === 'map' ? assembleDefaults(fieldsOf(defaultsNode, lineAt), file) : {};
  const rows = formulas.items.map((r, i) => {
    const row = r as PlainNode & { kind: 'map' };
    return assembleRow(i, lineAt(row.start), fieldsOf(row, lineAt), defaults, file);
  });
  const name = get(top, 'name');
  return assembleTable(rows, name && toJs(name), file);
}
