/** Names of the built-in Postgres types by OID (pg_type), for result headers. */
const builtinTypeNames: Record<number, string> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 24: 'regproc',
  25: 'text', 26: 'oid', 114: 'json', 142: 'xml', 194: 'pg_node_tree', 600: 'point', 650: 'cidr',
  700: 'float4', 701: 'float8', 774: 'macaddr8', 829: 'macaddr', 869: 'inet', 1000: '_bool',
  1005: '_int2', 1007: '_int4', 1009: '_text', 1016: '_int8', 1042: 'bpchar', 1043: 'varchar',
  1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval',
  1266: 'timetz', 1560: 'bit', 1562: 'varbit', 1700: 'numeric', 2205: 'regclass', 2249: 'record',
  2278: 'void', 2950: 'uuid', 3220: 'pg_lsn', 3802: 'jsonb', 3904: 'int4range', 28: 'xid',
  5069: 'xid8', 1028: '_oid', 1015: '_varchar',
};

export function typeName(oid: number): string {
  return builtinTypeNames[oid] ?? String(oid);
}
