// Mistakes in how a matcher is called (an option, what expect() received, a
// missing wrt or point): MatcheckErrors like checkFormula's option errors
// (E_USAGE, the field, a hint), thrown, so that the test fails with or
// without `.not`. A test runner shows only an error's message (vitest and
// jest alike), so the message names the matcher and carries the hint too.
import { checkCommonOptions } from '../check/options.js';
import { isMatcheckError, MatcheckError } from '../errors.js';

export function usage(matcher: string, message: string, field: string, hint?: string): MatcheckError {
  return new MatcheckError({ code: 'E_USAGE', stage: 'usage', message: `${matcher}: ${message}${hint ? `\n  = hint: ${hint}` : ''}`, field, hint });
}

/**
 * A matcher's options, checked as checkFormula's are (`allowed` names, each
 * value's type and range) before anything runs: a bad one is the matcher's
 * usage error, not a row error inside "the formula cannot be checked".
 */
export function readOptions<T extends object>(matcher: string, options: unknown, allowed: readonly string[]): Partial<T> {
  try {
    return checkCommonOptions(options as Partial<T> | undefined, allowed);
  } catch (e) {
    if (!isMatcheckError(e)) throw e;
    throw usage(matcher, e.message, e.field ?? 'options', e.hint);
  }
}
