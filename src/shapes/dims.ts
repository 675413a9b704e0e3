// Symbolic dimensions and their unification (union-find).
//
// A dimension is one of
// - a declared symbol (`n`, `rows`): rigid, two different symbols never unify
//   (spec section 2: different symbols name different sizes);
// - an integer (`3`, the 1 of a column vector);
// - a free dimension of an undeclared variable or a constant `vector(c)`,
//   which takes whatever it is unified with;
// - a product of two dimensions (the sizes made by `kron` and `vec`).

export interface DimNode {
  id: number;
  parent: number;
  symbol?: string;
  value?: number;
  /** Readable name for a free dimension, e.g. `len(x)`. */
  label?: string;
  /** Free dimensions of undeclared variables may not silently become 1. */
  mayBeOne: boolean;
  product?: [number, number];
}

/** A dimension handle: an index into a DimTable. */
export type D = number;

export class DimTable {
  private nodes: DimNode[] = [];
  private symbols = new Map<string, D>();
  private values = new Map<number, D>();

  private add(init: Omit<DimNode, 'id' | 'parent'>): D {
    const id = this.nodes.length;
    this.nodes.push({ id, parent: id, ...init });
    return id;
  }

  symbol(name: string): D {
    let d = this.symbols.get(name);
    if (d === undefined) {
      d = this.add({ symbol: name, mayBeOne: false });
      this.symbols.set(name, d);
    }
    return d;
  }

  value(v: number): D {
    let d = this.values.get(v);
    if (d === undefined) {
      d = this.add({ value: v, mayBeOne: true });
      this.values.set(v, d);
    }
    return d;
  }

  free(label: string, mayBeOne: boolean): D {
    return this.add({ label, mayBeOne });
  }

  product(a: D, b: D): D {
    const va = this.get(a).value;
    const vb = this.get(b).value;
    if (va !== undefined && vb !== undefined) return this.value(va * vb);
    if (va === 1) return b;
    if (vb === 1) return a;
    return this.add({ product: [a, b], mayBeOne: false, label: `${this.print(a)}*${this.print(b)}` });
  }

  find(d: D): D {
    let r = d;
    while (this.nodes[r].parent !== r) r = this.nodes[r].parent;
    let c = d;
    while (this.nodes[c].parent !== r) {
      const next = this.nodes[c].parent;
      this.nodes[c].parent = r;
      c = next;
    }
    return r;
  }

  get(d: D): DimNode {
    return this.nodes[this.find(d)];
  }

  isOne(d: D): boolean {
    return this.get(d).value === 1;
  }

  /** Unifies two dimensions; returns false (changing nothing) if they conflict. */
  unify(a: D, b: D): boolean {
    const join = this.joiner(a, b);
    join?.();
    return join !== undefined;
  }

  /** Whether unify(a, b) would succeed, changing nothing. */
  canUnify(a: D, b: D): boolean {
    return this.joiner(a, b) !== undefined;
  }

  /** What unify(a, b) does, not yet done: a no-op if they are one already, undefined if they conflict. */
  private joiner(a: D, b: D): (() => void) | undefined {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return () => {};
    const na = this.nodes[ra];
    const nb = this.nodes[rb];
    if (na.product && nb.product) {
      // Sizes multiply commutatively: p*m and m*p are the same size.
      const a = this.factors(ra);
      const b = this.factors(rb);
      if (a.length !== b.length || !a.every((f, i) => f === b[i])) return undefined;
      // One size: join the roots like any other successful unification, so
      // that find() agrees afterwards (shape keys, could/unify callers).
      return () => {
        na.parent = nb.id;
      };
    }
    const rigid = (n: DimNode) => n.symbol !== undefined || n.value !== undefined || n.product !== undefined;
    if (rigid(na) && rigid(nb)) return undefined;
    // The free one joins the rigid one (or either, if both are free).
    const [from, to] = rigid(na) ? [nb, na] : [na, nb];
    if (to.value === 1 && !from.mayBeOne) return undefined;
    // Occurs check: a free dimension cannot be a product it is a factor of
    // (len(x) = len(x)*len(y), from kron(x,y) + x). Joining them would make
    // the table cyclic (print, resolve and factors would recurse forever),
    // and the sizes could agree only if every other factor were 1.
    if (to.product && this.factors(to.id).includes(from.id)) return undefined;
    return () => {
      if (!rigid(to)) to.mayBeOne = to.mayBeOne && from.mayBeOne;
      from.parent = to.id;
    };
  }

  /** The leaf dimensions of a product, as sorted roots (values as negative numbers). */
  private factors(d: D): number[] {
    const n = this.get(d);
    if (n.product) return [...this.factors(n.product[0]), ...this.factors(n.product[1])].sort((x, y) => x - y);
    return [n.value !== undefined ? -n.value : this.find(d)];
  }

  /** A copy of the union-find state, to try a unification and roll it back. */
  snapshot(): DimNode[] {
    return this.nodes.map((n) => ({ ...n }));
  }

  restore(s: DimNode[]): void {
    this.nodes = s.map((n) => ({ ...n }));
  }

  print(d: D): string {
    const n = this.get(d);
    if (n.value !== undefined) return String(n.value);
    if (n.symbol !== undefined) return n.symbol;
    if (n.product) return `${this.printFactor(n.product[0])}*${this.printFactor(n.product[1])}`;
    return n.label ?? '?';
  }

  private printFactor(d: D): string {
    const s = this.print(d);
    return /^[A-Za-z0-9_]+$/.test(s) ? s : `(${s})`;
  }

  /**
   * The dimensions still to be drawn: declared symbols and free dimensions
   * that are roots, each under a stable name.
   */
  unknowns(): { name: string; dim: D }[] {
    const out: { name: string; dim: D }[] = [];
    const seen = new Set<D>();
    for (const n of this.nodes) {
      const r = this.find(n.id);
      if (seen.has(r)) continue;
      const root = this.nodes[r];
      if (root.value !== undefined || root.product) continue;
      seen.add(r);
      out.push({ name: root.symbol ?? root.label ?? `d${r}`, dim: r });
    }
    return out;
  }

  /** Every dimension symbol the row declared (`n` of `vector(n)`), resolved or not. */
  symbolNames(): string[] {
    return [...this.symbols.keys()];
  }

  /** The concrete size of `d`, given sizes for every unknown by name. */
  resolve(d: D, sizes: Readonly<Record<string, number>>): number {
    return resolveSize(this.sizeRef(d), sizes);
  }

  /** What d's size is read from: its value, the name of its entry in a sizes record, or a product of two such. */
  sizeRef(d: D): SizeRef {
    const n = this.get(d);
    if (n.value !== undefined) return n.value;
    if (n.product) return [this.sizeRef(n.product[0]), this.sizeRef(n.product[1])];
    return n.symbol ?? n.label ?? `d${n.id}`;
  }
}

export type SizeRef = number | string | readonly [SizeRef, SizeRef];

/** The size a SizeRef names, for concrete `sizes`. */
export function resolveSize(ref: SizeRef, sizes: Readonly<Record<string, number>>): number {
  if (typeof ref === 'number') return ref;
  if (typeof ref !== 'string') return resolveSize(ref[0], sizes) * resolveSize(ref[1], sizes);
  const v = sizes[ref];
  if (v === undefined) throw new Error(`internal: no size for dimension ${ref}`);
  return v;
}

/** A shape: (rows, cols). */
export type Shape = readonly [D, D];
