import { z } from 'zod';
import type { RedisClassification, SqlClassification } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import { sqlTextSchema } from './sql';

export const classificationOperations = {
  /**
   * Split a SQL text into statements with the real Postgres parser and classify each one
   * (risk levels and reason codes: src/shared/risk.ts). Without `profileId` it touches no server, so
   * the editor can call it as the operator types; with it, user functions, operators and views are
   * resolved through that profile's catalog (cached until it reconnects), as `sql.run` does. An
   * empty text is `read` with no statements.
   */
  'sql.classify': operation<SqlClassification>()(
    z.object({ sql: sqlTextSchema, profileId: profileIdSchema.optional() }).strict(),
    'Classify SQL',
  ),
  /**
   * Classify one Redis command, given as `argv` or as a redis-cli style `line` (quotes and \xHH
   * escapes as redis-cli reads them). With `profileId` and that profile's Redis connected, the
   * server's own COMMAND metadata decides; otherwise the built-in Redis 7 table (`source` says which).
   */
  'redis.classify': operation<RedisClassification>()(
    z
      .object({
        argv: z.array(z.string()).min(1, 'is empty: give the command and its arguments').optional(),
        line: z.string().min(1, 'is empty: type a command').max(1_000_000, 'is longer than 1 MB').optional(),
        profileId: profileIdSchema.optional(),
      })
      .strict()
      .refine((input) => (input.argv === undefined) !== (input.line === undefined), 'give exactly one of argv or line'),
    'Classify a Redis command',
  ),
};
