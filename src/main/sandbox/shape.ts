/** The catalog of the objects a rehearsal needs, as read from the profile's server. */
export interface ShapeColumn {
  name: string;
  type: string;
  /** The type's schema-qualified name when it is an enum, a domain or another user type. */
  userType: string | null;
  notNull: boolean;
  default: string | null;
  identity: '' | 'a' | 'd';
  generated: '' | 's';
}

export interface ShapeConstraint {
  name: string;
  type: 'p' | 'u' | 'c' | 'f' | 'x' | 't' | 'n';
  def: string;
  columns: string[];
  /** For a foreign key: the referenced table (schema.name) and columns. */
  references: string | null;
  refColumns: string[];
}

export interface ShapeStats {
  column: string;
  nullFrac: number;
  nDistinct: number;
  mcv: string[] | null;
  mcf: number[] | null;
  histogram: string[] | null;
}

export interface ShapeTable {
  /** schema.name, both quoted as needed. */
  qualified: string;
  schema: string;
  name: string;
  kind: 'r' | 'p' | 'v' | 'm' | 'f';
  reltuples: number;
  /** Bytes on disk: a 10 GB table is shaped, never copied. */
  bytes: number;
  columns: ShapeColumn[];
  constraints: ShapeConstraint[];
  indexes: string[];
  triggers: { name: string; def: string; functionDef: string | null; language: string | null }[];
  rls: { enabled: boolean; forced: boolean; policies: { name: string; def: string; roles: string[] }[] };
  partitionKey: string | null;
  partitionOf: { parent: string; bound: string } | null;
  viewDef: string | null;
  stats: ShapeStats[];
}

export interface Shape {
  takenAt: string;
  schemas: string[];
  enums: { qualified: string; labels: string[] }[];
  domains: { qualified: string; base: string; notNull: boolean; default: string | null; checks: string[] }[];
  /** Other user types (composite, range, from extensions): reported, not reproduced. */
  otherTypes: { qualified: string; kind: string; extension: string | null }[];
  sequences: { qualified: string; start: string; increment: string }[];
  tables: ShapeTable[];
}
