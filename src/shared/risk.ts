/**
 * Risk levels and reason codes of the SQL and Redis classifiers: the one place that lists every
 * code with its meaning. The renderer shows `reasonCatalog[code].meaning` next to a statement;
 * a code never changes meaning once released (add a new one instead).
 */

/** From least to most risky. A text's risk is its worst statement's. */
export const riskLevels = ['read', 'admin', 'write', 'ddl', 'unknown', 'dangerous'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Orders two levels: negative when `a` is less risky than `b`. */
export function compareRisk(a: RiskLevel, b: RiskLevel): number {
  return riskLevels.indexOf(a) - riskLevels.indexOf(b);
}

/** The riskier of the levels given; `read` for none. */
export function worstRisk(levels: Iterable<RiskLevel>): RiskLevel {
  let worst: RiskLevel = 'read';
  for (const level of levels) if (compareRisk(level, worst) > 0) worst = level;
  return worst;
}

interface ReasonInfo {
  /** The level this reason puts a statement or command at, at least. */
  risk: RiskLevel;
  meaning: string;
}

const sqlReasons = {
  parse_error: {
    risk: 'unknown',
    meaning: 'The Postgres parser rejected the text; nothing is known about what it would do.',
  },
  unrecognized_statement: { risk: 'unknown', meaning: 'A statement kind the classifier has no rule for.' },
  unknown_function: {
    risk: 'unknown',
    meaning:
      "Calls a function that is not on the vetted list of harmless Postgres 15 built-ins and that the server's catalog did not prove harmless (a user function, an extension's, a newer version's). It could do anything, so it is never previewed. Detail: the function.",
  },
  unknown_operator: {
    risk: 'unknown',
    meaning:
      "Uses an operator that is not a harmless built-in and that the server's catalog did not prove harmless. Detail: the operator.",
  },
  unknown_type: {
    risk: 'unknown',
    meaning:
      "Casts a value to a type that is not a Postgres 15 built-in and that the server's catalog did not prove harmless: a cast runs the type's input function, a domain's CHECK expressions and any user cast (CREATE CAST … WITH FUNCTION), which could do anything (an extension's type, a domain whose CHECK calls a user function, a cast through a PL/pgSQL function). Detail: the type.",
  },
  too_complex: {
    risk: 'unknown',
    meaning: 'The statement is nested too deeply to analyse completely; nothing is assumed about it.',
  },
  execute_prepared: {
    risk: 'unknown',
    meaning: 'EXECUTE runs a prepared statement whose text is not part of this input.',
  },
  dynamic_sql: {
    risk: 'dangerous',
    meaning:
      'A function that runs SQL given as a string (query_to_xml …), which cannot be checked. Detail: the function.',
  },
  no_where: {
    risk: 'dangerous',
    meaning: 'UPDATE or DELETE without WHERE (also inside a CTE or with RETURNING): every row is affected.',
  },
  where_always_true: {
    risk: 'dangerous',
    meaning: 'UPDATE or DELETE whose WHERE is a constant that is always true (WHERE true, WHERE 1 = 1).',
  },
  truncate: { risk: 'dangerous', meaning: 'TRUNCATE empties tables at once and cannot be filtered.' },
  drop: { risk: 'dangerous', meaning: 'DROP of an object (also ALTER … DROP COLUMN / DROP CONSTRAINT, DROP OWNED).' },
  vacuum_full: { risk: 'dangerous', meaning: 'VACUUM FULL rewrites tables under an ACCESS EXCLUSIVE lock.' },
  cluster: { risk: 'dangerous', meaning: 'CLUSTER rewrites tables under an ACCESS EXCLUSIVE lock.' },
  reindex_wide: { risk: 'dangerous', meaning: 'REINDEX of a whole database, schema or the system catalogs.' },
  alter_system: { risk: 'dangerous', meaning: 'ALTER SYSTEM changes the server configuration file.' },
  copy_server_file: { risk: 'dangerous', meaning: 'COPY reading or writing a file on the database server.' },
  copy_program: { risk: 'dangerous', meaning: 'COPY … PROGRAM runs a shell command on the database server.' },
  lock: { risk: 'dangerous', meaning: 'LOCK TABLE takes an explicit lock that can block production traffic.' },
  side_effect_function: {
    risk: 'dangerous',
    meaning:
      'Calls a function with effects outside the transaction (kills backends, changes settings, touches server files, opens other connections). Detail: the function.',
  },
  read_only_off: {
    risk: 'dangerous',
    meaning:
      'Switches read-only off: SET/RESET of (default_)transaction_read_only, RESET ALL, DISCARD ALL, BEGIN/START/SET TRANSACTION READ WRITE.',
  },
  identity_change: {
    risk: 'dangerous',
    meaning: 'Changes the identity the session acts as: SET/RESET ROLE, SET SESSION AUTHORIZATION, DISCARD ALL.',
  },
  pinned_setting: {
    risk: 'dangerous',
    meaning:
      'Changes a setting the console pins because its parse of string literals depends on it (standard_conforming_strings, backslash_quote, escape_string_warning, client_encoding/SET NAMES: under SJIS, BIG5 or GBK the server would end a string literal where the console does not, and a text checked as a read could run a write): refused. Detail: the parameter (set_config() of a name known only at run time counts too).',
  },
  unsafe_setting: {
    risk: 'dangerous',
    meaning: 'Sets a parameter that disables safety checks (session_replication_role, …). Detail: the parameter.',
  },
  foreign_table: {
    risk: 'dangerous',
    meaning:
      "Reads a foreign table (or a table with a foreign partition or child): its foreign data wrapper runs code outside the transaction, which BEGIN READ ONLY does not stop (file_fdw's program option runs a shell command on the database server, postgres_fdw opens a connection to another server). Detail: the table.",
  },
  unknown_relation: {
    risk: 'unknown',
    meaning:
      'Reads a relation that is neither a table, a materialized view, a sequence nor a view the classifier walked (an index, a composite type, a TOAST table …): nothing is assumed about it. Detail: the relation.',
  },
  do_block: { risk: 'dangerous', meaning: 'DO runs an anonymous code block that cannot be analysed.' },
  call: { risk: 'dangerous', meaning: 'CALL runs a procedure, which may commit and do anything.' },
  load_library: { risk: 'dangerous', meaning: 'LOAD loads a shared library into the server process.' },
  insert: { risk: 'write', meaning: 'INSERT adds rows.' },
  update: { risk: 'write', meaning: 'UPDATE with a WHERE changes the rows it matches.' },
  delete: { risk: 'write', meaning: 'DELETE with a WHERE removes the rows it matches.' },
  merge: { risk: 'write', meaning: 'MERGE inserts, updates or deletes rows.' },
  cte_write: { risk: 'write', meaning: 'A WITH query (CTE) that modifies data.' },
  sequence_change: { risk: 'write', meaning: 'nextval/setval advance or set a sequence (never rolled back).' },
  row_lock: { risk: 'write', meaning: 'SELECT … FOR UPDATE/SHARE locks the rows it reads.' },
  advisory_lock: {
    risk: 'write',
    meaning: 'Takes an advisory lock that may outlive the statement. Detail: the function.',
  },
  copy_from: { risk: 'write', meaning: 'COPY … FROM STDIN loads rows into a table.' },
  notify: { risk: 'write', meaning: 'NOTIFY or pg_notify() sends a message to every listener.' },
  create: { risk: 'ddl', meaning: 'Creates a schema object (CREATE …, SELECT … INTO).' },
  alter: { risk: 'ddl', meaning: 'Changes a schema object or role (ALTER …, RENAME, COMMENT, SECURITY LABEL).' },
  create_index: {
    risk: 'ddl',
    meaning: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds.',
  },
  vacuum: { risk: 'admin', meaning: 'VACUUM (not FULL).' },
  analyze: { risk: 'admin', meaning: 'ANALYZE refreshes planner statistics.' },
  create_index_concurrently: {
    risk: 'admin',
    meaning: 'CREATE INDEX CONCURRENTLY builds an index without blocking writes.',
  },
  reindex: { risk: 'admin', meaning: 'REINDEX of one index or table.' },
  refresh_materialized_view: { risk: 'admin', meaning: 'REFRESH MATERIALIZED VIEW recomputes a materialized view.' },
  grant: { risk: 'admin', meaning: 'GRANT/REVOKE of privileges or role membership.' },
  checkpoint: { risk: 'admin', meaning: 'CHECKPOINT forces a checkpoint.' },
  setting: { risk: 'admin', meaning: 'A harmless SET/RESET of a session parameter.' },
  transaction_control: {
    risk: 'admin',
    meaning: 'BEGIN, COMMIT, ROLLBACK, SAVEPOINT …: changes transaction boundaries.',
  },
  session_reset: {
    risk: 'admin',
    meaning: 'DISCARD PLANS/SEQUENCES/TEMP, DEALLOCATE, LISTEN/UNLISTEN: session housekeeping.',
  },
  explain_analyze: {
    risk: 'read',
    meaning: 'EXPLAIN ANALYZE executes the statement it explains: its own reasons apply.',
  },
  explain_only: { risk: 'read', meaning: 'EXPLAIN without ANALYZE only plans the statement; nothing runs.' },
  prepare: { risk: 'read', meaning: 'PREPARE stores a statement without running it (it is classified as if it ran).' },
} satisfies Record<string, ReasonInfo>;

const redisReasons = {
  redis_parse_error: {
    risk: 'unknown',
    meaning: 'The command line has unbalanced quotes or a closing quote not followed by a space.',
  },
  unknown_command: {
    risk: 'unknown',
    meaning: 'Neither the server nor the built-in Redis 7 table knows this command. Detail: the command.',
  },
  unknown_subcommand: {
    risk: 'unknown',
    meaning:
      'The command is known but not this subcommand (CONFIG FOO): nothing is known about what it does. Detail: the command.',
  },
  unreviewed_command: {
    risk: 'unknown',
    meaning:
      'An admin, dangerous, connection or scripting command missing from the reviewed table (a newer server or a module). Detail: the command.',
  },
  module_command: {
    risk: 'unknown',
    meaning:
      "A module's command (the server flags it module) that the reviewed table does not name: its flags are the module author's word (FT.CONFIG SET and RG.PYEXECUTE carry no write flag), so nothing is known about what it does. Detail: the command.",
  },
  script: {
    risk: 'unknown',
    meaning:
      'EVAL/EVALSHA/FCALL and their _RO variants run a script or function whose cost and effects cannot be known in advance; a loop blocks the whole server. Refused on read-only profiles.',
  },
  server_change: {
    risk: 'dangerous',
    meaning:
      'Changes server state: configuration, ACL users, persistence, replication, cluster, other clients, statistics (CONFIG SET, ACL SETUSER, BGSAVE, SLOWLOG RESET …). Detail: the command.',
  },
  connection_state: {
    risk: 'dangerous',
    meaning:
      'Changes the state of the connection itself (SELECT, AUTH, HELLO, RESET, CLIENT REPLY, MULTI, SUBSCRIBE, MONITOR …): never sent on the connection a profile shares, or later commands would silently run elsewhere. Detail: the command.',
  },
  dangerous_command: {
    risk: 'dangerous',
    meaning:
      'Destructive or server-blocking command (FLUSHALL, KEYS, SHUTDOWN, CONFIG SET, CLIENT KILL …). Detail: the command.',
  },
  keys_use_scan: {
    risk: 'dangerous',
    meaning: 'KEYS walks the whole keyspace and blocks the server: use SCAN with MATCH instead.',
  },
  unbounded_block: {
    risk: 'dangerous',
    meaning:
      'A blocking command (BLPOP, XREAD BLOCK, WAIT …) whose timeout is 0 (wait forever) or longer than 60 s: on the connection a profile shares, every later command, browser read and health check would wait behind it. Refused: give a timeout of at most 60 s. Detail: the command.',
  },
  scan_count_too_large: {
    risk: 'dangerous',
    meaning:
      'SCAN, HSCAN, SSCAN or ZSCAN with a COUNT above 10,000: one call walks that much of the keyspace (or the whole key) and blocks the server as KEYS does. Use a COUNT of at most 10,000 and call again with the cursor. Detail: the command.',
  },
  write_command: { risk: 'write', meaning: 'The server flags the command as write.' },
  publish: { risk: 'write', meaning: 'PUBLISH/SPUBLISH deliver a message to every subscriber.' },
  admin_command: {
    risk: 'admin',
    meaning: 'The server flags the command admin or puts it in the @admin ACL category.',
  },
  blocking: { risk: 'read', meaning: 'The command can block the connection until data arrives or a timeout passes.' },
} satisfies Record<string, ReasonInfo>;

/** Every reason code, SQL and Redis, with the level it implies and what it means. */
export const reasonCatalog: Readonly<Record<ReasonCode, ReasonInfo>> = { ...sqlReasons, ...redisReasons };

export type SqlReasonCode = keyof typeof sqlReasons;
export type RedisReasonCode = keyof typeof redisReasons;
export type ReasonCode = SqlReasonCode | RedisReasonCode;

/**
 * A reason as reported: a code, optionally with a detail after a colon
 * (`side_effect_function:pg_terminate_backend`, `dangerous_command:FLUSHALL`).
 */
export type Reason = ReasonCode | `${ReasonCode}:${string}`;

/** The code part of a reason (`side_effect_function` for `side_effect_function:set_config`). */
export function reasonCode(reason: string): ReasonCode | undefined {
  const colon = reason.indexOf(':');
  const code = colon < 0 ? reason : reason.slice(0, colon);
  return Object.hasOwn(reasonCatalog, code) ? (code as ReasonCode) : undefined;
}

/** The level a reason implies; an unlisted code counts as `unknown`, never as harmless. */
export function riskOfReason(reason: string): RiskLevel {
  const code = reasonCode(reason);
  return code ? reasonCatalog[code].risk : 'unknown';
}

/** Reasons ordered from the one implying the most risk to the least (stable within a level). */
export function byRiskDescending<R extends string>(reasons: Iterable<R>): R[] {
  return [...reasons].sort((a, b) => compareRisk(riskOfReason(b), riskOfReason(a)));
}

/**
 * Reasons whose effects live outside the transaction (signals, session state, locks, files,
 * notifications, other connections, sequences) or cannot be known: no ROLLBACK undoes them, so a
 * statement with one is never run as a preview; it runs only after the confirmation.
 */
const irreversibleCodes: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'side_effect_function',
  'dynamic_sql',
  'foreign_table',
  'unknown_relation',
  'advisory_lock',
  'notify',
  'sequence_change',
  'copy_server_file',
  'copy_program',
  'lock',
  'vacuum',
  'vacuum_full',
  'reindex',
  'reindex_wide',
  'cluster',
  'alter_system',
  'do_block',
  'call',
  'load_library',
  'checkpoint',
  'create_index_concurrently',
  'unknown_function',
  'unknown_operator',
  'unknown_type',
  'too_complex',
  'unrecognized_statement',
  'execute_prepared',
  'parse_error',
  'pinned_setting',
]);

/** True when no ROLLBACK can undo what the reason stands for (see `irreversibleCodes`). */
export function isIrreversible(reason: string): boolean {
  const code = reasonCode(reason);
  return code === undefined || irreversibleCodes.has(code);
}

/** One statement of a classified SQL text. `text === input.slice(start, end)`. */
export interface SqlStatementClassification {
  text: string;
  risk: RiskLevel;
  reasons: Reason[];
  /** 0-based UTF-16 index of the statement's first character, past whitespace and comments. */
  start: number;
  /** Exclusive end, before trailing whitespace, comments and `;`. */
  end: number;
  /** Only for `parse_error`: the parser's message and the UTF-16 index it points at in the input. */
  error?: { message: string; position: number };
}

/** A SQL text's classification: its risk is its worst statement's (`read` for an empty text). */
export interface SqlClassification {
  risk: RiskLevel;
  statements: SqlStatementClassification[];
}

/** A Redis command's classification. */
export interface RedisClassification {
  risk: RiskLevel;
  reasons: Reason[];
  argv: string[];
  /** Where the command metadata came from: the connected server, or the built-in Redis 7 table. */
  source: 'server' | 'builtin';
  /** Why the built-in table stood in for a connected server's (it refused COMMAND). */
  notice?: string;
}
