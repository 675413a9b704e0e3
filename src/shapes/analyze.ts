// The front end's entry point: parse a row's formulas, read its kinds, and
// type function and claim together, deciding the shape the claim must have
// (spec section 3).
import { MatcheckError } from '../errors.js';
import type { Expr } from '../parse/ast.js';
import { lookupFunction } from '../parse/functions.js';
import { parseFormula } from '../parse/parser.js';
import type { Claim, Convention, Layout } from '../row.js';
import type { Shape } from './dims.js';
import { ShapeInference, type VarInfo } from './infer.js';
import { parseKind, printKind, type Kind } from './kinds.js';
import { closest } from '../suggest.js';

export interface FormulaSpec {
  vars?: Record<string, string>;
  f: string;
  wrt?: string;
  claim?: Claim;
  layout?: Layout;
  convention?: Convention;
}

export interface Analysis {
  spec: FormulaSpec;
  types: ShapeInference;
  f: Expr;
  fShape: Shape;
  claim?: Expr;
  claimShape?: Shape;
  /** The shape the claim must have. */
  expected?: Shape;
  /** The claim has exactly the transpose of the expected (non-square) shape. */
  claimTransposed: boolean;
  wrt?: VarInfo;
  /** Name of the direction variable of a differential claim (`dX`). */
  direction?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function usage(code: string, message: string, field: string, hint?: string): MatcheckError {
  return new MatcheckError({ code, stage: 'shapes', message, field, hint });
}

/**
 * What `name` is instead of a variable, if a formula can never read it as one:
 * `pi` is always the constant, a function name is always a call (spec section 1).
 */
function reservedName(name: string): string | undefined {
  if (name === 'pi') return 'the constant pi';
  const fn = lookupFunction(name);
  if (fn) return fn.name === name ? 'a function' : `a function (${fn.name})`;
  return undefined;
}

export function readDeclarations(vars: Record<string, string> | undefined): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const [name, text] of Object.entries(vars ?? {})) {
    if (!IDENT.test(name)) throw usage('E_VAR_NAME', `'${name}' is not a variable name`, `vars.${name}`, 'names are letters, digits and _, starting with a letter or _');
    const reserved = reservedName(name);
    if (reserved) throw usage('E_VAR_NAME', `'${name}' is ${reserved}, so it cannot be declared as a variable`, `vars.${name}`, `rename the variable, e.g. ${name}_1`);
    if (typeof text !== 'string') throw usage('E_KIND', `the kind of '${name}' must be a string such as "matrix(m,n)"`, `vars.${name}`);
    out.set(name, parseKind(text, `vars.${name}`));
  }
  return out;
}

/** The variables an expression uses, in order of first use (eye's argument is a dimension, not a variable). */
function names(e: Expr): Set<string> {
  const out = new Set<string>();
  // An explicit stack, operands left to right: a flat chain a+b+c+... is as
  // deep as it is long.
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    if (x.kind === 'var') out.add(x.name);
    else if (x.kind === 'neg' || x.kind === 'transpose') todo.push(x.arg);
    else if (x.kind === 'binary') todo.push(x.right, x.left);
    else if (x.kind === 'call' && x.name !== 'eye') for (let i = x.args.length - 1; i >= 0; i--) todo.push(x.args[i]);
  }
  return out;
}

/** The first use of variable `name` in `e`, left to right. */
function firstUse(e: Expr, name: string): Expr | undefined {
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    if (x.kind === 'var' && x.name === name) return x;
    if (x.kind === 'neg' || x.kind === 'transpose') todo.push(x.arg);
    else if (x.kind === 'binary') todo.push(x.right, x.left);
    else if (x.kind === 'call' && x.name !== 'eye') for (let i = x.args.length - 1; i >= 0; i--) todo.push(x.args[i]);
  }
  return undefined;
}

export function mentions(e: Expr, name: string): boolean {
  return names(e).has(name);
}

/**
 * A differential claim that never uses d<wrt> but uses a variable that looks
 * like it (dX for wrt x) has misspelt the direction: a malformed row. One that
 * uses nothing like it is a formula mistake (a missing d), left to fail.
 */
function misspeltDirection(claim: Expr, text: string, d: string, wrt: string): MatcheckError | undefined {
  const near = [...names(claim)].find((n) => n.length > 1 && n[0] === 'd' && n.slice(1).toLowerCase() === wrt.toLowerCase());
  if (!near) return undefined;
  return new MatcheckError({
    code: 'E_NO_DIRECTION',
    stage: 'shapes',
    message: `the differential claim uses '${near}' but never '${d}', the direction of wrt '${wrt}'`,
    source: text,
    span: claim.span,
    field: 'differential',
    hint: `did you mean '${d}'? The direction is 'd' followed by wrt's exact name`,
  });
}

/**
 * A claim is about f: a name it uses that is neither declared nor in f (nor
 * the direction) would be drawn as a fresh random variable, so a typo (B for
 * A, dW for dW1) would come back as a failed formula. It is an unknown name
 * instead (spec section 5), with the closest name there is.
 */
function unknownName(claim: Expr, text: string, field: string, declared: ReadonlyMap<string, Kind>, f: Expr, direction: string | undefined, wrt: string | undefined): MatcheckError | undefined {
  const known = new Set([...declared.keys(), ...names(f)]);
  if (direction) known.add(direction);
  const name = [...names(claim)].find((n) => !known.has(n));
  if (name === undefined) return undefined;
  const listed = [...known].sort().join(', ');
  // Any one letter is one edit from any other: only a case slip is a likely typo there.
  const guess = name.length > 1 ? closest(name, [...known]) : [...known].find((k) => k.toLowerCase() === name.toLowerCase());
  const hint = !direction && wrt !== undefined && name === `d${wrt}`
    ? `${name} is the direction of a differential claim: write the claim under differential: instead of ${field}:`
    : guess
      ? `did you mean '${guess}'?`
      : `a claim may use f's variables${direction ? `, the direction ${direction}` : ''} and declared ones (${listed}); declare '${name}' under vars if it is meant`;
  return new MatcheckError({
    code: 'E_UNKNOWN_NAME',
    stage: 'shapes',
    message: `the ${field} claim uses '${name}', which is neither declared under vars nor used by f`,
    source: text,
    span: firstUse(claim, name)!.span,
    field,
    hint,
  });
}

/** A kind whose derivative depends on the convention (spec section 3, "Structured wrt"). */
export const structured = (kind: Kind | undefined): boolean => kind?.base === 'symmetric' || kind?.base === 'spd' || kind?.base === 'diagonal';

/** Claim types a layout applies to, and those a convention applies to. */
export const LAYOUT_CLAIMS: readonly Claim['type'][] = ['grad', 'jacobian'];
export const CONVENTION_CLAIMS: readonly Claim['type'][] = ['grad', 'differential'];

/**
 * A field the claim gives no meaning: wrt on an identity, layout on anything
 * but a gradient or Jacobian, convention on anything but a gradient or
 * differential of a structured wrt. Accepted silently, it looked like it
 * changed something (a convention on a matrix(n,n) wrt usually means its
 * kind was meant to be symmetric).
 */
function fieldWithoutMeaning(spec: FormulaSpec, type: Claim['type'], wrt: VarInfo | undefined): MatcheckError | undefined {
  if (type === 'equals' && spec.wrt !== undefined) {
    return usage('E_FIELD_UNUSED', "an equals claim compares f with the claim and differentiates nothing, so 'wrt' means nothing here", 'wrt', 'remove wrt, or make a derivative claim (grad, jacobian, ...)');
  }
  if (spec.layout !== undefined && !LAYOUT_CLAIMS.includes(type)) {
    return usage('E_FIELD_UNUSED', `layout applies to grad and jacobian claims, not to a ${type} claim`, 'layout', 'remove layout');
  }
  if (spec.convention === undefined) return undefined;
  if (!CONVENTION_CLAIMS.includes(type)) {
    return usage('E_FIELD_UNUSED', `convention applies to grad and differential claims, not to a ${type} claim`, 'convention', 'remove convention');
  }
  if (!structured(wrt?.kind)) {
    return usage('E_FIELD_UNUSED', `convention applies to a symmetric, spd or diagonal wrt, but ${spec.wrt} is ${printKind(wrt!.kind)}`, 'convention', `declare ${spec.wrt}'s structure (e.g. ${spec.wrt}: "symmetric(n)"), or remove convention`);
  }
  return undefined;
}

export function analyze(spec: FormulaSpec): Analysis {
  if (typeof spec !== 'object' || spec === null || typeof spec.f !== 'string') {
    throw new MatcheckError({ code: 'E_USAGE', stage: 'usage', message: `analyze takes a formula spec { f, vars?, wrt?, claim? } with f a string, got ${spec === null ? 'null' : typeof spec === 'object' ? `f = ${JSON.stringify(spec.f)}` : typeof spec}`, field: 'spec', hint: `e.g. analyze({ f: "x'*A*x", vars: { A: 'matrix(n,n)' } })` });
  }
  const declared = readDeclarations(spec.vars);
  const types = new ShapeInference(declared);
  const f = parseFormula(spec.f, 'f');
  const fShape = types.infer(f, spec.f, 'f');
  const analysis: Analysis = { spec, types, f, fShape, claimTransposed: false };
  const claim = spec.claim;
  if (!claim) return analysis;

  const field = claim.type;
  let wrt: VarInfo | undefined;
  if (claim.type !== 'equals') {
    if (!spec.wrt) throw usage('E_NO_WRT', `a ${claim.type} claim needs 'wrt', the variable to differentiate with respect to`, 'wrt');
    if (!IDENT.test(spec.wrt)) throw usage('E_WRT', `wrt '${spec.wrt}' is not a variable name`, 'wrt');
    const reserved = reservedName(spec.wrt);
    if (reserved) throw usage('E_WRT', `wrt '${spec.wrt}' is ${reserved}, not a variable`, 'wrt');
    if (!mentions(f, spec.wrt)) {
      throw usage('E_WRT_UNUSED', `f does not mention '${spec.wrt}', so every derivative with respect to it is zero`, 'wrt', `check the spelling of wrt; variables in f are case-sensitive`);
    }
    wrt = types.vars.get(spec.wrt)!;
    analysis.wrt = wrt;
  }

  const unused = fieldWithoutMeaning(spec, claim.type, wrt);
  if (unused) throw unused;

  const locals = new Map<string, Shape>();
  if (claim.type === 'differential') {
    const d = `d${spec.wrt}`;
    if (declared.has(d)) throw usage('E_DIRECTION_NAME', `'${d}' names the direction of the differential, so it cannot be declared as a variable`, `vars.${d}`);
    // Nor can f use it as an (undeclared) variable: lowering keys inputs by
    // name, so f's d<wrt> and the claim's direction would become one input,
    // with f's default shape instead of wrt's.
    if (mentions(f, d)) throw usage('E_DIRECTION_NAME', `'${d}' names the direction of the differential, so f cannot use it as a variable`, 'f', `rename the variable ${d} in f`);
    locals.set(d, wrt!.shape);
    analysis.direction = d;
  }

  const claimExpr = parseFormula(claim.text, field);
  if (analysis.direction && !mentions(claimExpr, analysis.direction)) {
    const misspelt = misspeltDirection(claimExpr, claim.text, analysis.direction, spec.wrt!);
    if (misspelt) throw misspelt;
  }
  const unknown = unknownName(claimExpr, claim.text, field, declared, f, analysis.direction, spec.wrt);
  if (unknown) throw unknown;
  const claimShape = types.infer(claimExpr, claim.text, field, locals);
  analysis.claim = claimExpr;
  analysis.claimShape = claimShape;

  const expected = expectedShape(types, claim.type, fShape, wrt, spec.layout);
  analysis.expected = expected;
  const [er, ec] = expected;
  const [cr, cc] = claimShape;
  if (types.could([[cr, er], [cc, ec]])) {
    types.dims.unify(cr, er);
    types.dims.unify(cc, ec);
  } else if (types.could([[cr, ec], [cc, er]])) {
    types.dims.unify(cr, ec);
    types.dims.unify(cc, er);
    analysis.claimTransposed = true;
  } else {
    throw new MatcheckError({
      code: 'E_CLAIM_SHAPE',
      stage: 'shapes',
      message: `the ${claim.type} claim is ${types.printShape(claimShape)}, but it must be ${types.printShape(expected)}${describeExpectation(claim.type, spec, fShape, types)}`,
      source: claim.text,
      span: claimExpr.span,
      field,
    });
  }
  return analysis;
}

function describeExpectation(type: Claim['type'], spec: FormulaSpec, fShape: Shape, types: ShapeInference): string {
  switch (type) {
    case 'grad':
      return ` (the shape of ${spec.wrt}${spec.layout === 'numerator' ? ", transposed for numerator layout" : ''})`;
    case 'differential':
    case 'equals':
      return ` (the shape of f, ${types.printShape(fShape)})`;
    case 'jacobian':
      return ` (size of f by size of ${spec.wrt})`;
    case 'hessian':
      return ` (size of ${spec.wrt} by size of ${spec.wrt})`;
  }
}

function expectedShape(types: ShapeInference, type: Claim["type"], fShape: Shape, wrt: VarInfo | undefined, layout: Layout | undefined): Shape {
  const one = types.dims.value(1);
  const requireScalarF = () => {
    if (!types.could([[fShape[0], one], [fShape[1], one]])) {
      throw usage('E_F_NOT_SCALAR', `a ${type} claim needs a scalar f, but f is ${types.printShape(fShape)}`, 'f', type === 'grad' ? 'use a jacobian claim for a vector f, or a differential claim for any f' : undefined);
    }
    types.dims.unify(fShape[0], one);
    types.dims.unify(fShape[1], one);
  };
  const requireVector = (s: Shape, what: string, field: string) => {
    if (!types.could([[s[1], one]])) {
      throw usage('E_NOT_VECTOR', `a ${type} claim needs ${what} to be a vector, but it is ${types.printShape(s)}`, field, 'use a differential claim for matrices');
    }
    types.dims.unify(s[1], one);
  };
  switch (type) {
    case 'grad': {
      requireScalarF();
      const [r, c] = wrt!.shape;
      return layout === 'numerator' ? [c, r] : [r, c];
    }
    case 'jacobian': {
      requireVector(fShape, 'f', 'f');
      requireVector(wrt!.shape, `wrt '${wrt!.name}'`, 'wrt');
      return layout === 'denominator' ? [wrt!.shape[0], fShape[0]] : [fShape[0], wrt!.shape[0]];
    }
    case 'hessian': {
      requireScalarF();
      requireVector(wrt!.shape, `wrt '${wrt!.name}'`, 'wrt');
      return [wrt!.shape[0], wrt!.shape[0]];
    }
    case 'differential':
    case 'equals':
      return fShape;
  }
}
