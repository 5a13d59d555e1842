import { RE2JS } from 're2js';
import { z } from 'zod';

/**
 * The one home of column masking, shared by rehearsal samples (`--mask-columns`) and assistants:
 * a result column whose name contains one of these patterns (case-insensitive), or matches one
 * written as `/regex/`, is masked. A profile that sets none has these.
 */
export const defaultMaskPatterns = [
  'password',
  'secret',
  'token',
  'email',
  'phone',
  'ssn',
  'card',
  'iban',
  'address',
] as const;

/** The mark that stands in for a masked cell. */
export const maskedValue = '[masked]';

const isRegexPattern = (pattern: string) => /^\/.+\/$/.test(pattern);

// Patterns can arrive in a shared profiles file: /regex/ ones run on RE2 (linear time), never backtracking.
function compileRegex(pattern: string): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(pattern.slice(1, -1)), RE2JS.CASE_INSENSITIVE);
}

/** One masking pattern as a profile stores it. */
export const maskPatternSchema = z
  .string({ error: 'must be a column-name pattern (text)' })
  .trim()
  .min(1, 'is empty: remove it')
  .max(200, 'is longer than 200 characters')
  .refine((pattern) => {
    if (!isRegexPattern(pattern)) return true;
    try {
      compileRegex(pattern);
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid /regular expression/ for the linear-time engine (RE2: no lookaround, no backreferences): fix it or give a plain substring');

/** Whether a result column's name matches one of the patterns. */
export function isMaskedColumn(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((p) =>
    isRegexPattern(p) ? compileRegex(p).matcher(name).find() : lower.includes(p.toLowerCase()),
  );
}
