import { z } from 'zod';

/**
 * Column names an assistant never sees in clear: a result column whose name contains one of
 * these (case-insensitive) is masked in every reply. Shared with rehearsal (`--mask-columns`).
 */
export const defaultMaskPatterns = ['password', 'secret', 'token', 'email', 'phone', 'ssn', 'card', 'iban', 'address'] as const;

export const maskPatternsSchema = z
  .array(z.string().trim().min(1, 'has an empty pattern: remove it').max(100, 'has a pattern longer than 100 characters'))
  .max(100, 'has more than 100 patterns');

/** The mark that stands in for a masked cell. */
export const maskedValue = '[masked]';

/** Whether a result column's name matches one of the patterns (substring, case-insensitive). */
export function isMaskedColumn(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((p) => lower.includes(p.toLowerCase()));
}
