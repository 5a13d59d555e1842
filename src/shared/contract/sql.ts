import { z } from 'zod';
import { operation } from './define';
import { profileIdSchema } from './profiles';

export interface SqlField {
  name: string;
  /** Postgres type name when known (int4, text, …), else the type OID as text. */
  type: string;
}

export interface SqlResult {
  fields: SqlField[];
  /** Rows as arrays in field order; bigint and numeric stay strings so nothing is rounded. */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}

export const sqlOperations = {
  /**
   * Run SQL on the profile's Postgres inside a READ ONLY transaction with the profile's
   * statement timeout and row cap: the server refuses any write.
   */
  'sql.runReadOnly': operation<SqlResult>()(
    z
      .object({
        profileId: profileIdSchema,
        sql: z.string().min(1, 'is empty: type a statement').max(1_000_000, 'is longer than 1 MB'),
      })
      .strict(),
    'Run read-only SQL',
  ),
};
