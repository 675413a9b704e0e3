// Reading a table through yaml's document model: every table the plain
// reader (plain-events.ts) leaves, that is, tags, keys written twice, aliases
// naming no anchor or inside anchored values, merges of what is not a
// mapping, and YAML that is not a table. A malformed row
// becomes a row with an error, never an exception for the whole table; only
// a file that is not a table at all is refused whole.
import type { Alias, Document, LineCounter, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { ToJSContext } from 'yaml/util';
import { yaml, yamlUtil } from './yaml-lib.js';
import { MatcheckError } from '../errors.js';
import type { FormulaRow } from '../row.js';
import { closest } from '../suggest.js';
import { assembleDefaults, assembleRow, assembleTable, CUT_HINT, MERGE_HINT, restAfterComma, tableError, TOP_FIELDS, Unconvertible, type Table, type TableRow, type WrittenField } from './assemble.js';

const lineOf = (lc: LineCounter, node: YamlNode | null | undefined, fallback: number) => (node?.range ? lc.linePos(node.range[0]).line : fallback);

/**
 * yaml's guard against alias bombs (an alias of an alias of ...) counts each
 * use of an anchor times the aliases inside it; its default of 100 refused a
 * table whose rows merge one anchor more than 100 times (and reading fell
 * back to the quadratic node-by-node path). A bomb still exceeds this.
 */
const MAX_ALIAS_COUNT = 100_000;

type Convert = (node: unknown) => unknown;

/**
 * Converts nodes one at a time, all with one conversion context: each anchor
 * is converted once and the anchors are listed once. yaml's node.toJS(doc)
 * starts afresh at every call and lists the document's anchors again for
 * each alias: quadratic on a table of thousands of rows sharing an anchor
 * (4,000 rows with vars: *v and one bad merge took 165 s). A value that
 * cannot be converted is an Unconvertible, never an exception.
 */
function converter(doc: Document): Convert {
  const fresh = (): ToJSContext => ({ anchors: new Map(), doc, keep: true, mapAsMap: false, mapKeyWarned: false, maxAliasCount: MAX_ALIAS_COUNT });
  let ctx = fresh();
  return (node) => {
    if (!yaml().isNode(node)) return node;
    try {
      return yamlUtil().toJS(node, '', ctx);
    } catch (e) {
      // An anchor whose conversion failed half-way must not be reused.
      ctx = fresh();
      return new Unconvertible(e instanceof Error ? e.message : String(e));
    }
  };
}

/** A field's value from the document converted once, or else converted on its own. */
function valueOf(js: unknown, key: string, node: unknown, convert: Convert): unknown {
  if (js && typeof js === 'object' && Object.hasOwn(js, key)) return (js as Record<string, unknown>)[key];
  return convert(node);
}

/** The whole document as plain values, or undefined if it cannot be converted (then fields convert one by one). */
function documentJs(doc: Document): Record<string, unknown> | undefined {
  try {
    const js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return js && typeof js === 'object' ? (js as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The key written at `pos` in a (nested) mapping, if any. */
function keyAt(node: unknown, pos: number): string | undefined {
  if (yaml().isMap(node)) {
    for (const p of node.items) {
      if (yaml().isNode(p.key) && p.key.range?.[0] === pos) return keyOf(p);
      const inner = keyAt(p.value, pos);
      if (inner !== undefined) return inner;
    }
  } else if (yaml().isSeq(node)) {
    for (const item of node.items) {
      const inner = keyAt(item, pos);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** The keys of a mapping as written. */
const keyOf = (pair: Pair<unknown, unknown>): string => (yaml().isScalar(pair.key) ? (typeof pair.key.value === 'symbol' ? String(pair.key.source) : String(pair.key.value)) : String(pair.key));

/** The `<<` of a merge (`<<: *anchor`): the yaml library reads it as a symbol. */
const isMergeKey = (pair: Pair<unknown, unknown>): boolean => yaml().isScalar(pair.key) && typeof pair.key.value === 'symbol' && pair.key.source === '<<';

interface Field {
  pair: Pair<YamlNode, YamlNode>;
  /** Where the field is written for this row: its own key, or the `<<` that merges it. */
  at: YamlNode | null;
  merged: boolean;
}

/**
 * Resolving aliases by name. yaml's Alias.resolve searches the whole
 * document each time, which made a table of 2,600 rows merging one anchor
 * take 15 s; this indexes the anchors once. An alias names the last node
 * anchored so before it (an anchor may be defined again).
 */
class Anchors {
  private readonly byName = new Map<string, YamlNode[]>();
  /** Aliases that name no anchor written before them (yaml throws on them when converting values). */
  private readonly dangling: Alias[] = [];

  constructor(doc: Document) {
    yaml().visit(doc, {
      Alias: (_, alias) => {
        if (alias.range && !this.resolve(alias)) this.dangling.push(alias);
      },
      Node: (_, node) => {
        if (node.anchor) {
          const list = this.byName.get(node.anchor) ?? [];
          list.push(node as YamlNode);
          this.byName.set(node.anchor, list);
        }
      },
    });
  }

  /** The first alias naming no anchor that starts in [start, end) of the text (they are in text order: a binary search). */
  danglingIn(start: number, end: number): Alias | undefined {
    let lo = 0;
    let hi = this.dangling.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.dangling[mid].range![0] < start) lo = mid + 1;
      else hi = mid;
    }
    const a = this.dangling[lo];
    return a && a.range![0] < end ? a : undefined;
  }

  /** The first alias naming no anchor that starts where `at` says. */
  danglingWhere(at: (pos: number) => boolean): Alias | undefined {
    return this.dangling.find((a) => at(a.range![0]));
  }

  /**
   * Replaces each alias that names no anchor by a null at its place (the
   * rows holding one are told so from this list), so that the document
   * still converts in one pass: yaml throws on them, and the node-by-node
   * fallback took minutes on a table of thousands of rows sharing an anchor.
   */
  neutralize(doc: Document): void {
    if (this.dangling.length === 0) return;
    const dangling = new Set<Alias>(this.dangling);
    yaml().visit(doc, {
      Alias: (_, alias) => {
        if (!dangling.has(alias)) return undefined;
        const blank = new (yaml().Scalar)(null);
        blank.range = alias.range;
        return blank;
      },
    });
  }

  /** The error of an alias that names no anchor, at `line` of `file`: what is wrong, and the fix. */
  danglingError(alias: Alias, file: string | undefined, line: number): MatcheckError {
    if (this.byName.has(alias.source)) {
      return tableError(`'*${alias.source}' comes before the value marked &${alias.source}`, file, line, `an alias repeats a value marked above it: move &${alias.source} above this line`);
    }
    const guess = closest(alias.source, [...this.byName.keys()]);
    const hint = guess ? `did you mean '*${guess}'?` : `mark the value to repeat with &${alias.source}, above this line`;
    return tableError(`'*${alias.source}' names no anchor: an alias repeats a value marked earlier with &${alias.source}`, file, line, hint);
  }

  resolve(alias: Alias): YamlNode | undefined {
    const at = alias.range?.[0] ?? Infinity;
    const list = this.byName.get(alias.source) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if ((list[i].range?.[0] ?? 0) < at) return list[i];
    return undefined;
  }
}

/** What reading one table shares: its lines and anchors, the rows' defaults. */
interface ReadContext {
  lc: LineCounter;
  anchors: Anchors;
  file: string | undefined;
  defaults: Partial<FormulaRow>;
  /** Positions of keys written twice. */
  duplicates: readonly number[];
  convert: Convert;
}

/** A merge (`<<:`) of something that is not a mapping: where, and what. */
interface BadMerge {
  at: YamlNode | null;
  what: string;
}

/**
 * A row's fields: those it merges (`<<: *anchor`, `<<: [*a, *b]`, YAML
 * merge-key semantics: the row's own fields win, then the first source), then
 * its own.
 */
function fieldsOf(map: YAMLMap, anchors: Anchors, depth = 0): { fields: Field[]; bad?: BadMerge } {
  const own = (map.items as Pair<YamlNode, YamlNode>[]).filter((p) => !isMergeKey(p));
  const taken = new Set(own.map(keyOf));
  const merged: Field[] = [];
  let bad: BadMerge | undefined;
  for (const m of (map.items as Pair<YamlNode, YamlNode>[]).filter(isMergeKey)) {
    const sources = yaml().isSeq(m.value) ? (m.value.items as YamlNode[]) : [m.value];
    for (const source of sources) {
      const target = yaml().isAlias(source) ? anchors.resolve(source) : source;
      if (!yaml().isMap(target) || depth > 8) {
        bad ??= { at: m.key, what: yaml().isScalar(target) ? JSON.stringify(target.value) ?? String(target.value) : yaml().isSeq(target) ? 'a list' : depth > 8 ? 'merges nested more than 8 deep' : 'nothing' };
        continue;
      }
      const inner = fieldsOf(target, anchors, depth + 1);
      bad ??= inner.bad && { at: m.key, what: inner.bad.what };
      for (const f of inner.fields) {
        const key = keyOf(f.pair);
        if (taken.has(key)) continue;
        taken.add(key);
        merged.push({ pair: f.pair, at: m.key, merged: true });
      }
    }
  }
  return { fields: [...merged, ...own.map((pair) => ({ pair, at: pair.key, merged: false }))], bad };
}


/** A field of a row as written, with what the document says is wrong with it. */
function writtenField({ pair, at: where, merged }: Field, index: number, ctx: ReadContext, line: number, rowJs: unknown): WrittenField {
  const { lc, file, duplicates } = ctx;
  const key = keyOf(pair);
  const at = lineOf(lc, where, line);
  const value = () => valueOf(rowJs, key, pair.value, ctx.convert);
  const plain = yaml().isScalar(pair.value) && pair.value.type === 'PLAIN' && typeof pair.value.source === 'string' ? pair.value.source : undefined;
  const field: WrittenField = { key, line: at, value, plain };
  const keyStart = (pair.key as YamlNode | null)?.range?.[0];
  if (!merged && keyStart !== undefined && duplicates.includes(keyStart)) {
    return { ...field, yamlProblem: { kind: 'twice', problem: tableError(`field '${key}' appears twice in formula ${index + 1}`, file, at, 'keep one of them') } };
  }
  const nested = merged ? undefined : duplicates.find((pos) => pair.value?.range && pos >= pair.value.range[0] && pos < pair.value.range[1]);
  if (nested !== undefined) {
    const name = keyAt(pair.value, nested);
    const what = name === undefined ? 'a key' : `'${name}'`;
    const hint = name !== undefined && restAfterComma(name) ? CUT_HINT : 'keep one of them';
    return { ...field, yamlProblem: { kind: 'inside', problem: tableError(`${what} appears twice in '${key}' of formula ${index + 1}`, file, lc.linePos(nested).line, hint) } };
  }
  // A value holding an alias that names no anchor cannot be converted (yaml throws); it may be merged from another row.
  const range = pair.value?.range;
  const inValue = range ? ctx.anchors.danglingIn(range[0], range[1]) : undefined;
  if (inValue) return { ...field, yamlProblem: { kind: 'alias', problem: ctx.anchors.danglingError(inValue, file, at) } };
  return field;
}

function readRow(item: YamlNode, index: number, ctx: ReadContext, rowJs: unknown): TableRow {
  const { lc, defaults, file } = ctx;
  const line = lineOf(lc, item, 0);
  // An alias naming no anchor, as the row itself (`- *typo`, now a null) or in it.
  const own = item.range ? ctx.anchors.danglingIn(item.range[0], item.range[1]) : undefined;
  // A whole row written as an alias (`- *anchor`) is the row it names.
  if (yaml().isAlias(item)) item = ctx.anchors.resolve(item) ?? item;
  const dangling = own ?? (item.range ? ctx.anchors.danglingIn(item.range[0], item.range[1]) : undefined);
  const danglingError = dangling && ctx.anchors.danglingError(dangling, file, lineOf(lc, dangling, line));
  if (!yaml().isMap(item)) {
    const problem = danglingError ?? tableError(`formula ${index + 1} is not a mapping of fields`, file, line, 'each row is a mapping such as { id: ..., f: "...", wrt: X, grad: "..." }');
    return { row: { id: `row-${index + 1}`, f: '' }, line, fieldLines: {}, problem };
  }
  const { fields, bad } = fieldsOf(item as YAMLMap, ctx.anchors);
  const problem = danglingError ?? (bad && tableError(`'<<' in formula ${index + 1} merges ${bad.what}, which is not a mapping`, file, lineOf(lc, bad.at, line), MERGE_HINT));
  return assembleRow(index, line, fields.map((f) => writtenField(f, index, ctx, line, rowJs)), defaults, file, problem);
}

/** Reads a table's text (YAML or JSON) with yaml. Throws only when the file is not a table at all. */
export function readYamlTable(text: string, file?: string): Table {
  const lc = new (yaml().LineCounter)();
  // logLevel: yaml's warnings (a mapping used as a key) went to the user's stderr as Node warnings advising yaml options.
  const doc = yaml().parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true, logLevel: 'error' });
  // A key written twice inside a row is that row's problem; anything else
  // that is not YAML makes the whole file unreadable.
  const formulaRanges = (() => {
    const f = yaml().isMap(doc.contents) ? doc.contents.get('formulas', true) : undefined;
    return yaml().isSeq(f) ? f.items.map((i) => (i as YamlNode | null)?.range).filter((r): r is [number, number, number] => Boolean(r)) : [];
  })();
  // The rows' ranges are in text order and do not overlap: a binary search.
  const inRow = (pos: number) => {
    let lo = 0;
    let hi = formulaRanges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pos < formulaRanges[mid][0]) hi = mid - 1;
      else if (pos >= formulaRanges[mid][1]) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const duplicates: number[] = [];
  for (const e of doc.errors) {
    if (e.code === 'DUPLICATE_KEY' && inRow(e.pos[0])) {
      duplicates.push(e.pos[0]);
      continue;
    }
    const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
    // yaml's own message for this one advises its API (parseAllDocuments), not the table's author.
    if (e.code === 'MULTIPLE_DOCS') throw tableError("cannot read the table: a '---' starts a second YAML document", file, line, "a table file holds one document: remove the '---', or put each table in a file of its own");
    throw tableError(`cannot read the table: ${e.message.split('\n')[0]}`, file, line);
  }
  const top = doc.contents;
  if (!yaml().isMap(top)) throw tableError('a table is a mapping with a `formulas:` list', file, 1, 'see spec section 4: name, defaults, formulas');
  const topKeys = (top.items as Pair<YamlNode, YamlNode>[]).map(keyOf);
  // A mapping with other keys and nothing like formulas: is another file (a
  // package.json, a config), not a table with a stray field.
  if (!topKeys.some((k) => k === 'formulas' || closest(k, ['formulas']) !== undefined) && topKeys.some((k) => !(TOP_FIELDS as readonly string[]).includes(k))) {
    const shownKeys = topKeys.length > 5 ? `${topKeys.slice(0, 5).join(', ')}, ...` : topKeys.join(', ');
    throw tableError(`not a table: no top-level formulas: key (the file has ${shownKeys})`, file, 1, 'a table is a mapping with a formulas: list of rows (spec section 4)');
  }
  for (const pair of top.items as Pair<YamlNode, YamlNode>[]) {
    const key = keyOf(pair);
    if (!(TOP_FIELDS as readonly string[]).includes(key)) {
      const guess = closest(key, TOP_FIELDS);
      throw tableError(`unknown top-level field '${key}'`, file, lineOf(lc, pair.key, 1), guess ? `did you mean '${guess}'?` : `a table has ${TOP_FIELDS.join(', ')}`);
    }
  }
  const anchors = new Anchors(doc);
  // Outside the rows (in defaults:, or formulas: *typo) an alias naming no anchor refuses the file; in a row, it is that row's error.
  const outside = anchors.danglingWhere((pos) => !inRow(pos));
  if (outside) throw anchors.danglingError(outside, file, lineOf(lc, outside, 1));
  anchors.neutralize(doc);
  const formulas = top.get('formulas', true) as YamlNode | undefined;
  if (!formulas || !yaml().isSeq(formulas)) throw tableError('the table has no `formulas:` list', file, 1);
  const js = documentJs(doc);
  const convert = converter(doc);
  const defaultsNode = top.get('defaults', true) as YamlNode | undefined;
  let defaults: Partial<FormulaRow> = {};
  if (defaultsNode) {
    if (!yaml().isMap(defaultsNode)) throw tableError('`defaults:` must be a mapping', file, lineOf(lc, defaultsNode, 1));
    const { fields, bad } = fieldsOf(defaultsNode, anchors);
    if (bad) throw tableError(`'<<' in defaults merges ${bad.what}, which is not a mapping`, file, lineOf(lc, bad.at, 1), MERGE_HINT);
    defaults = assembleDefaults(
      fields.map(({ pair, at }) => ({ key: keyOf(pair), line: lineOf(lc, at, 1), value: () => valueOf(js?.defaults, keyOf(pair), pair.value, convert) })),
      file,
    );
  }
  const jsRows = Array.isArray(js?.formulas) ? (js.formulas as unknown[]) : [];
  const ctx: ReadContext = { lc, anchors, file, defaults, duplicates, convert };
  const rows = formulas.items.map((item, i) => readRow(item as YamlNode, i, ctx, jsRows[i]));
  return assembleTable(rows, top.get('name'), file);
}
