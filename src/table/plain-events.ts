// Reading a plain table from js-yaml's event stream: one pass over flat
// events that carry offsets into the text. yaml's parseDocument read about
// 1 MB/s here (the shipped tables took 0.3-0.4 s of a 1.4 s run); these
// events come 7-8x faster. A plain table has no tags, keys written twice or
// non-string keys, one document without directives, and a mapping for every
// row; its anchors, aliases and merge keys (`<<`) are resolved here as yaml
// resolves them, as long as no anchored value holds an alias and every merge
// is of mappings. Anything else, and any YAML error, is left to
// yaml-document.ts (undefined), which reads it with the errors and positions
// the table review hardened. Both readers give the same table for a plain
// one (test/table/plain-events.test.ts, readers-agree.test.ts).
import type * as JsYaml from 'js-yaml';
import { assembleDefaults, assembleRow, assembleTable, TOP_FIELDS, type Table, type WrittenField } from './assemble.js';
import { jsYaml } from './yaml-lib.js';

interface PlainMap {
  kind: 'map';
  start: number;
  keys: string[];
  keyStarts: number[];
  values: PlainNode[];
  /** Its `<<`: where it is written, before which key, and the mappings it merges in order. */
  merge?: { at: number; before: number; sources: PlainMap[] };
}

type PlainNode = PlainMap | { kind: 'seq'; items: PlainNode[]; starts: number[] } | { kind: 'scalar'; value: unknown; plain: string | undefined };

/** Thrown by the walk when the text is not a plain table. */
const NOT_PLAIN = { notPlain: true };

/**
 * A plain scalar's value by the YAML 1.2 core schema, tested in yaml's order
 * and converted as yaml converts it, so that both readers agree to the bit.
 * Not js-yaml's own core tags: they keep `1234e56789012345` a string where
 * yaml reads Infinity (the scalar test in plain-events.test.ts tells them apart).
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
  /** Each anchor's node, the last one written so far under that name. */
  private readonly anchors = new Map<string, PlainNode>();
  /** Anchored nodes still being read: an alias inside one is left to yaml (yaml counts nested aliases against alias bombs). */
  private open = 0;
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

  /** Where the node of the next event starts (an alias: its `*`). */
  private startOf(e: JsYaml.Event): number {
    if (e.type === this.E.SCALAR) return e.valueStart;
    if (e.type === this.E.ALIAS) return e.anchorStart - 1;
    return e.type === this.E.SEQUENCE || e.type === this.E.MAPPING ? e.start : -1;
  }

  private node(): PlainNode {
    const { E } = this;
    const e = this.events[this.i++];
    if (e.type === E.ALIAS) {
      const target = this.anchors.get(this.text.slice(e.anchorStart, e.anchorEnd));
      if (!target || this.open > 0) throw NOT_PLAIN;
      return target;
    }
    if (e.type !== E.SCALAR && e.type !== E.SEQUENCE && e.type !== E.MAPPING) throw NOT_PLAIN;
    if (e.tagStart !== -1) throw NOT_PLAIN;
    const anchor = e.anchorStart === -1 ? undefined : this.text.slice(e.anchorStart, e.anchorEnd);
    if (anchor !== undefined) this.open++;
    const node = e.type === E.SCALAR ? this.scalar(e) : e.type === E.SEQUENCE ? this.seq() : this.map(e.start);
    if (anchor !== undefined) {
      this.open--;
      this.anchors.set(anchor, node);
    }
    return node;
  }

  private seq(): PlainNode {
    const items: PlainNode[] = [];
    const starts: number[] = [];
    while (this.events[this.i].type !== this.E.POP) {
      starts.push(this.startOf(this.events[this.i]));
      items.push(this.node());
    }
    this.i++;
    return { kind: 'seq', items, starts };
  }

  private map(start: number): PlainMap {
    const map: PlainMap = { kind: 'map', start, keys: [], keyStarts: [], values: [] };
    // A Set: a mapping of many thousand keys must not take quadratic time to find a key written twice.
    const seen = new Set<string>();
    while (this.events[this.i].type !== this.E.POP) {
      const k = this.events[this.i];
      const key = this.node();
      // Left to yaml: a key that is not a string (yaml's reader has its own names for them), a key
      // written twice, `__proto__` (which an assignment would take as the prototype), a second `<<`
      // and a quoted one (a plain field named '<<').
      if (k.type !== this.E.SCALAR || key.kind !== 'scalar' || typeof key.value !== 'string') throw NOT_PLAIN;
      if (key.value === '__proto__' || seen.has(key.value)) throw NOT_PLAIN;
      seen.add(key.value);
      const value = this.node();
      if (key.value === '<<') {
        if (key.plain === undefined) throw NOT_PLAIN;
        map.merge = { at: k.valueStart, before: map.keys.length, sources: mergeSources(value) };
        continue;
      }
      map.keys.push(key.value);
      map.keyStarts.push(k.valueStart);
      map.values.push(value);
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

/** What a `<<` merges: one mapping or a list of them (anything else is left to yaml, which names it). */
function mergeSources(value: PlainNode): PlainMap[] {
  const sources = value.kind === 'seq' ? value.items : [value];
  if (!sources.every((m) => m.kind === 'map')) throw NOT_PLAIN;
  return sources as PlainMap[];
}

/**
 * A node as plain data, as yaml's toJS gives it: a merge adds each key of
 * each source, in order, that the mapping has not set by then; a key written
 * after the `<<` is set over a merged one.
 */
function toJs(node: PlainNode): unknown {
  if (node.kind === 'scalar') return node.value;
  // Once a node: an aliased value is converted once and shared, as yaml shares it.
  let js = converted.get(node);
  if (js === undefined) converted.set(node, (js = node.kind === 'seq' ? node.items.map(toJs) : mapToJs(node)));
  return js;
}

const converted = new WeakMap<PlainNode, unknown>();

function mapToJs(node: PlainMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const merge = (): void => {
    for (const source of node.merge!.sources) {
      const js = toJs(source) as Record<string, unknown>;
      for (const k of Object.keys(js)) if (!Object.hasOwn(out, k)) out[k] = js[k];
    }
  };
  node.keys.forEach((k, n) => {
    if (node.merge?.before === n) merge();
    out[k] = toJs(node.values[n]);
  });
  if (node.merge && node.merge.before === node.keys.length) merge();
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

const get = (map: PlainMap, key: string): PlainNode | undefined => {
  const n = map.keys.indexOf(key);
  return n === -1 ? undefined : map.values[n];
};

/**
 * The fields of a mapping, each at the line of its key: the ones it merges
 * first (at the line of its `<<`; the first source wins, then the fields
 * the merged mappings merge), then its own (yaml-document.ts's fieldsOf).
 */
function fieldsOf(map: PlainMap, lineAt: (pos: number) => number, depth = 0): WrittenField[] {
  const own = map.keys.map((key, n): WrittenField => {
    const value = map.values[n];
    return { key, line: lineAt(map.keyStarts[n]), value: () => toJs(value), plain: value.kind === 'scalar' ? value.plain : undefined };
  });
  if (!map.merge) return own;
  // yaml's reader tells this row that its merges nest too deep.
  if (depth > 8) throw NOT_PLAIN;
  const taken = new Set(map.keys);
  const line = lineAt(map.merge.at);
  const merged: WrittenField[] = [];
  for (const source of map.merge.sources) {
    for (const field of fieldsOf(source, lineAt, depth + 1)) {
      if (taken.has(field.key)) continue;
      taken.add(field.key);
      merged.push({ ...field, line });
    }
  }
  return [...merged, ...own];
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
  // A top-level `<<` is an unknown field by its name (yaml-document.ts says so).
  if (top.merge) return undefined;
  const lineAt = lines(text);
  let defaultFields: WrittenField[];
  let rowFields: WrittenField[][];
  try {
    defaultFields = defaultsNode?.kind === 'map' ? fieldsOf(defaultsNode, lineAt) : [];
    rowFields = formulas.items.map((r) => fieldsOf(r as PlainMap, lineAt));
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
  const defaults = assembleDefaults(defaultFields, file);
  // A row's line is where it is written: an alias row (`- *r`) at its alias.
  const rows = rowFields.map((fields, i) => assembleRow(i, lineAt(formulas.starts[i]), fields, defaults, file));
  const name = get(top, 'name');
  return assembleTable(rows, name && toJs(name), file);
}
