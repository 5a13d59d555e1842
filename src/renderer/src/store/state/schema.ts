import type { RelationDetail, RelationSummary, SchemaSummary } from '../../../../shared/contract';

/** One opened schema of the tree: the relations loaded so far (pages of 100), narrowed by `search`. */
export interface OpenSchema {
  search: string;
  relations: RelationSummary[];
  total: number;
  loading: boolean;
}

export interface SchemaTree {
  schemas?: SchemaSummary[];
  loading: boolean;
  open: Record<string, OpenSchema>;
  /** The relation described below the tree. */
  detail?: RelationDetail;
  error?: string;
}

export interface SchemaSlice {
  schemaTrees: Record<string, SchemaTree>;
  schemaTreeRequested(profileId: string): Promise<void>;
  /** Opens a schema (its first 100 relations) or closes it. */
  schemaToggled(profileId: string, schema: string): Promise<void>;
  schemaSearchEdited(profileId: string, schema: string, search: string): void;
  schemaMoreRequested(profileId: string, schema: string): Promise<void>;
  relationDescribed(profileId: string, schema: string, name: string): Promise<void>;
  /** Puts `SELECT * FROM schema.name LIMIT 100` in the profile's editor (names quoted). */
  relationSelectRequested(profileId: string, schema: string, name: string): void;
}
