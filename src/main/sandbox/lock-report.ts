import type { RehearsalLock } from '../../shared/contract/sandbox';

/** Postgres's table-level lock modes in documentation words, with what each one stops. */
const modes: Record<string, { name: string; blocks: (t: string) => string }> = {
  AccessShareLock: {
    name: 'ACCESS SHARE',
    blocks: (t) =>
      `reads and writes of ${t} go on; only ALTER TABLE, DROP, TRUNCATE and VACUUM FULL of ${t} wait until commit`,
  },
  RowShareLock: {
    name: 'ROW SHARE',
    blocks: (t) =>
      `reads and writes of ${t} go on; LOCK … EXCLUSIVE and ACCESS EXCLUSIVE (ALTER TABLE, DROP) of ${t} wait until commit`,
  },
  RowExclusiveLock: {
    name: 'ROW EXCLUSIVE',
    blocks: (t) =>
      `reads and other writes of ${t} go on (only the changed rows are locked); CREATE INDEX without CONCURRENTLY, ALTER TABLE and VACUUM FULL of ${t} wait until commit`,
  },
  ShareUpdateExclusiveLock: {
    name: 'SHARE UPDATE EXCLUSIVE',
    blocks: (t) =>
      `reads and writes of ${t} go on; VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY and other schema changes of ${t} wait until commit`,
  },
  ShareLock: {
    name: 'SHARE',
    blocks: (t) => `reads of ${t} go on; every INSERT, UPDATE and DELETE of ${t} waits until commit`,
  },
  ShareRowExclusiveLock: {
    name: 'SHARE ROW EXCLUSIVE',
    blocks: (t) => `reads of ${t} go on; every write of ${t} waits until commit`,
  },
  ExclusiveLock: {
    name: 'EXCLUSIVE',
    blocks: (t) => `plain reads of ${t} go on; every write and SELECT … FOR UPDATE of ${t} waits until commit`,
  },
  AccessExclusiveLock: { name: 'ACCESS EXCLUSIVE', blocks: (t) => `every read and write of ${t} waits until commit` },
};

const strength = Object.keys(modes);

/** One lock in plain words: "ACCESS EXCLUSIVE on orders: every read and write of orders waits until commit". */
export function describeLock(relation: string, mode: string): RehearsalLock {
  const known = modes[mode];
  return {
    relation,
    mode: known?.name ?? mode,
    blocks: known ? known.blocks(relation) : `see the Postgres documentation for ${mode}`,
  };
}

/** The strongest lock per relation taken by one statement (held minus what was held before it). */
export function newLocks(
  before: { relation: string; mode: string }[],
  after: { relation: string; mode: string }[],
): RehearsalLock[] {
  const held = new Set(before.map((l) => `${l.relation}|${l.mode}`));
  const strongest = new Map<string, string>();
  for (const lock of after) {
    if (held.has(`${lock.relation}|${lock.mode}`)) continue;
    const current = strongest.get(lock.relation);
    if (!current || strength.indexOf(lock.mode) > strength.indexOf(current)) strongest.set(lock.relation, lock.mode);
  }
  return [...strongest].map(([relation, mode]) => describeLock(relation, mode));
}

/** The transaction's table locks, from pg_locks while it is open (system catalogs left out). */
export const heldLocksQuery = `
SELECT c.oid::regclass::text AS relation, l.mode
FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.granted
  AND c.relkind IN ('r', 'p', 'm', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/** Each table's storage file: a statement that changes it rewrote the table. */
export const fileNodesQuery = `
SELECT c.oid::regclass::text AS relation, c.relfilenode::text AS node
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'opsconsole_sandbox') AND n.nspname NOT LIKE 'pg_toast%'`;
