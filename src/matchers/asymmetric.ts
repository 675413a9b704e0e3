// The matchers as asymmetric matchers: expect.toHaveGradient("A'*B'") inside
// toEqual. The ones expect.extend makes (vitest's and jest's alike) print
// only the matcher and its arguments in the diff, `toHaveGradient<"B*A">`,
// and drop why it failed. These keep the failure of their last match and
// print it after them (the asymmetric-matcher protocol of both runners:
// $$typeof, asymmetricMatch, toAsymmetricMatcher).
import type { MatcherOutcome } from './formula.js';

type MatcherFn = (this: unknown, received: unknown, ...args: unknown[]) => MatcherOutcome;

/** An argument as the runners' own asymmetric matchers show it: strings quoted, functions by name. */
function argText(v: unknown): string {
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export class MatcheckAsymmetricMatcher {
  readonly $$typeof = Symbol.for('jest.asymmetricMatcher');
  /** Why the last match failed: the matcher's message without its headline, which the diff's other side shows. */
  private failure: string | undefined;

  constructor(
    private readonly name: string,
    private readonly matcher: MatcherFn,
    private readonly sample: readonly unknown[],
    private readonly inverse: boolean,
  ) {}

  /** A usage mistake or a formula that cannot be checked throws, as the matcher itself does. */
  asymmetricMatch(received: unknown): boolean {
    const outcome = this.matcher.call(undefined, received, ...this.sample);
    const matched = outcome.pass !== this.inverse;
    this.failure = matched ? undefined : outcome.message();
    return matched;
  }

  toString(): string {
    return `${this.inverse ? 'not.' : ''}${this.name}`;
  }

  getExpectedType(): string {
    return 'any';
  }

  toAsymmetricMatcher(): string {
    const call = `${this.toString()}<${this.sample.map(argText).join(', ')}>`;
    if (this.failure === undefined) return call;
    // The lines after the headline (the error against the tolerance, worst entry, diagnosis, seed), but
    // not where the values are (valuesNote): an asymmetric matcher's values are in no diff.
    const why = this.failure.split('\n').slice(1).filter((line) => !line.trimStart().startsWith('actual: '));
    return `${call}, which ${this.inverse ? 'passes' : 'fails'}:\n${why.join('\n')}`;
  }
}

/**
 * Replaces the asymmetric matchers expect.extend made on `expect` (and
 * `expect.not`) with MatcheckAsymmetricMatchers. A test's local expect
 * (vitest's test context) keeps the runner's own: they still match the
 * same, only their diff does not say why.
 */
export function installAsymmetric(expect: object, matchers: Readonly<Record<string, MatcherFn>>): void {
  const target = expect as Record<string, unknown>;
  const not = target.not !== null && typeof target.not === 'object' ? (target.not as Record<string, unknown>) : undefined;
  for (const [name, matcher] of Object.entries(matchers)) {
    target[name] = (...sample: unknown[]) => new MatcheckAsymmetricMatcher(name, matcher, sample, false);
    if (not) not[name] = (...sample: unknown[]) => new MatcheckAsymmetricMatcher(name, matcher, sample, true);
  }
}
