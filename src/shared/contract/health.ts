import { z } from 'zod';
import type { HealthCheckInfo, HealthRunResult } from '../health';
import { operation } from './define';
import { profileIdSchema } from './profiles';

const checkId = z.string().regex(/^(pg|redis)\.[a-z_]+$/, 'is not a check id (like pg.connections or redis.memory)');

export const healthRunInputSchema = z
  .object({
    profileId: profileIdSchema,
    /** Only these checks (e.g. re-run one); all that apply to the profile by default. */
    ids: z.array(checkId).min(1, 'is empty: leave it out to run every check').optional(),
    /** Per-check time limit in ms (10 s by default). */
    timeoutMs: z
      .number()
      .int('must be whole milliseconds')
      .min(100, 'must be at least 100 ms')
      .max(120_000, 'must be at most 120000 ms')
      .optional(),
    /** Overrides of the checks' numbers, as {"pg.idle_in_transaction.minSeconds": 60}. */
    params: z
      .record(
        z.string().regex(/^(pg|redis)\.[a-z_]+\.[A-Za-z]+$/, 'is not "checkId.param"'),
        z.number({ error: 'must be a number' }),
      )
      .optional(),
  })
  .strict();

export const healthOperations = {
  /**
   * Every health check (id, title, target, query, thresholds, what it means and what to do next),
   * with the parameters applied when given. Pure: touches no server.
   */
  'health.checks': operation<HealthCheckInfo[]>()(
    z.object({ target: z.enum(['pg', 'redis']).optional(), params: healthRunInputSchema.shape.params }).strict(),
    'List health checks',
  ),
  /**
   * Runs the profile's health checks (the Postgres ones when it has Postgres, the Redis ones when
   * it has Redis) concurrently, read-only, each with its own time limit: a failing or slow check
   * is `error` with its reason and never holds up the others. Results in the checks' order.
   */
  'health.run': operation<HealthRunResult>()(healthRunInputSchema, 'Run health checks'),
};
