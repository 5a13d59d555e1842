import { z } from 'zod';
import { operation } from './define';
import { profileIdSchema } from './profiles';

/** One index of a table, as Postgres defines it. */
export interface TableIndex {
  name: string;
  /** pg_get_indexdef: `CREATE UNIQUE INDEX … USING btree (…)`. */
  definition: string;
  unique: boolean;
  primary: boolean;
  /** False while CREATE INDEX CONCURRENTLY has not finished (or failed): the planner does not use it. */
  valid: boolean;
}

export const constraintKinds = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
  x: 'exclusion',
  t: 'trigger',
} as const;

/** One constraint of a table. */
export interface TableConstraint {
  name: string;
  kind: (typeof constraintKinds)[keyof typeof constraintKinds] | 'other';
  /** pg_get_constraintdef: `FOREIGN KEY (customer_id) REFERENCES customers(id)`. */
  definition: string;
}

export interface TableDescription {
  schema: string;
  name: string;
  indexes: TableIndex[];
  constraints: TableConstraint[];
}

const identifier = z
  .string()
  .min(1, 'is empty: give a name')
  .max(63, 'is longer than 63 characters, the most Postgres allows in a name');

export const schemaDescribeOperations = {
  /** The indexes and constraints of one table, read from the profile's catalog on the read path (the names bound, never spliced). */
  'sql.describe': operation<TableDescription>()(
    z.object({ profileId: profileIdSchema, schema: identifier, name: identifier }).strict(),
    'Describe a table (indexes, constraints)',
  ),
};
