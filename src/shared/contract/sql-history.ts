import { z } from 'zod';
import type { RiskLevel } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';

/**
 * How a history entry ended: the timeline's run outcomes (`ok`, `error`, `refused`, `cancelled`,
 * `timeout`, `unknown`), plus `previewed` for a write run inside a transaction and shown before
 * its confirmation (rolled back unless a later `ok` entry says it was committed).
 */
export const historyOutcomes = ['ok', 'error', 'refused', 'cancelled', 'timeout', 'unknown', 'previewed'] as const;
export type HistoryOutcome = (typeof historyOutcomes)[number];

/** One SQL run as the history keeps it: the text and parameters as the timeline recorded them (secrets redacted). */
export interface HistoryEntry {
  id: number;
  /** UTC, ISO 8601. */
  at: string;
  /** The profile's name when it ran. */
  profile: string;
  profileId: string;
  /** Who ran it (the operator name recorded on the timeline). */
  operator: string;
  sql: string;
  params: { name: string; value: unknown; secret: boolean }[];
  risk: RiskLevel;
  outcome: HistoryOutcome;
  /** Rows read, affected or previewed; null when nothing ran. */
  rowCount: number | null;
  durationMs: number | null;
  incidentId: string | null;
}

const isoDate = z
  .string()
  .max(40)
  .refine(
    (text) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) &&
      !Number.isNaN(Date.parse(text)),
    'must be an ISO 8601 date (2026-01-31) or date and time (2026-01-31T09:00:00Z)',
  );

export const historySearchSchema = z
  .object({
    profileId: profileIdSchema.optional(),
    /** Case-insensitive substring of the SQL text. */
    grep: z.string().max(1000).optional(),
    /** Entries at or after this time (ISO 8601). */
    since: isoDate.optional(),
    /** Entries before this time (ISO 8601). */
    until: isoDate.optional(),
    outcome: z.enum(historyOutcomes, { error: `must be one of ${historyOutcomes.join(', ')}` }).optional(),
    limit: z.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10,000').default(200),
  })
  .strict();

export const sqlHistoryOperations = {
  /** Searches the query history, newest first (by text, profile, date and outcome). */
  'sqlHistory.search': operation<{ entries: HistoryEntry[] }>()(historySearchSchema, 'Search the query history'),
  /** Clears the query history: one profile's, or every profile's when none is named. */
  'sqlHistory.clear': operation<{ cleared: number }>()(
    z.object({ profileId: profileIdSchema.optional() }).strict(),
    'Clear the query history',
  ),
};
