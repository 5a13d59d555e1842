import { z } from 'zod';
import { operation } from './define';
import { profileIdSchema } from './profiles';

export type RelationKind = 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';

/** A schema of the database, with how many tables and views it holds (what the tree shows before it opens). */
export interface SchemaSummary {
  name: string;
  tables: number;
  views: number;
}

/** A table or view as the tree lists it: estimates from the statistics, never a count or a lock. */
export interface RelationSummary {
  name: string;
  kind: RelationKind;
  /** pg_class.reltuples: null when the table was never analysed. */
  estimatedRows: number | null;
  /** Table, TOAST and indexes, from pg_class.relpages × block size (as of the last VACUUM/ANALYZE). */
  estimatedBytes: number;
  comment?: string;
}

export interface RelationPage {
  schema: string;
  /** How many relations match the search in the schema (the tree pages through them). */
  total: number;
  offset: number;
  relations: RelationSummary[];
}

export interface RelationDetail {
  schema: string;
  name: string;
  kind: RelationKind;
  estimatedRows: number | null;
  estimatedBytes: number;
  comment?: string;
  columns: { name: string; type: string; nullable: boolean; default?: string; comment?: string }[];
  indexes: { name: string; definition: string; unique: boolean; primary: boolean; estimatedBytes: number }[];
  /** Primary key, unique, check and exclusion constraints. */
  constraints: {
    name: string;
    type: 'primary key' | 'unique' | 'check' | 'exclusion' | 'trigger';
    definition: string;
  }[];
  /** Foreign keys from this table, and those of other tables that point at it. */
  foreignKeys: { name: string; from: string; to: string; definition: string; direction: 'outgoing' | 'incoming' }[];
  /** A view's definition (pg_get_viewdef). */
  viewDefinition?: string;
}

const name = z.string().min(1, 'is empty').max(63, 'is longer than 63 bytes, the longest name Postgres keeps');

export const schemaBrowserOperations = {
  /** The schemas the profile's user may use, outside the system ones, with their table and view counts. */
  'schema.schemas': operation<SchemaSummary[]>()(z.object({ profileId: profileIdSchema }).strict(), 'List schemas'),
  /**
   * One page of a schema's tables and views, by name, with estimated rows and size (read from the
   * statistics, so a table someone holds locked never stalls the tree); `search` keeps names
   * containing it (any case).
   */
  'schema.relations': operation<RelationPage>()(
    z
      .object({
        profileId: profileIdSchema,
        schema: name,
        search: z.string().max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    'List a page of tables and views',
  ),
  /** Columns, indexes, constraints and foreign keys (both ways) of one table or view. */
  'schema.describe': operation<RelationDetail>()(
    z.object({ profileId: profileIdSchema, schema: name, name }).strict(),
    'Describe a table or view',
  ),
};
