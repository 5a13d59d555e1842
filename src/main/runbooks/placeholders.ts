import type { ParameterType } from '../../shared/runbook';

/** A placeholder found in a step's text: `<admin_token>`, `$USER_ID`, `:pid`, `{{name}}`… */
export interface PlaceholderHit {
  name: string;
  raw: string;
  index: number;
}

/** Variables of the environment or the shell itself: never parameters. */
const environmentVariables = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'SHELL', 'HOSTNAME', 'HOST', 'RANDOM', 'UID', 'EUID', 'GID', 'TMPDIR', 'TMP', 'LANG', 'LC_ALL', 'TERM',
  'EDITOR', 'VISUAL', 'PAGER', 'IFS', 'PS1', 'PS2', 'SECONDS', 'LINENO', 'BASH', 'BASH_SOURCE', 'BASHPID', 'PPID', 'SSH_AUTH_SOCK', 'KUBECONFIG', 'DISPLAY',
  'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'SUDO_USER', 'REPLY', 'OPTARG', 'HISTFILE', 'NODE_ENV', 'CI',
]);

/** Values Postgres itself shows in angle brackets (pg_stat_activity.query): not placeholders. */
const postgresMarkers = new Set(['<IDLE>', '<insufficient privilege>']);

/** Connection variables: the profile answers them, they are not parameters. */
const connectionVariable = /^(DATABASE_URL|DB_URL|DB_URI|DATABASE_URI|POSTGRES_URL|POSTGRES_URI|POSTGRESQL_URL|PG[A-Z]+|POSTGRES_(HOST|PORT|USER|PASSWORD|DB|DATABASE)|DB_(HOST|PORT|USER|USERNAME|PASSWORD|PASS|NAME|DATABASE)|REDIS_(URL|URI|HOST|PORT|PASSWORD|DB|TLS_URL)|REDISCLI_AUTH)$/;

export function isConnectionVariable(name: string): boolean {
  return connectionVariable.test(name);
}

export function isEnvironmentVariable(name: string): boolean {
  return environmentVariables.has(name);
}

/**
 * Finds the placeholders of a text. `sql` also looks for psql variables (`:name`, `:'name'`) outside
 * string literals and `::type` casts; `$VAR` is skipped inside SQL dollar quotes.
 */
export function findPlaceholders(text: string, mode: 'shell' | 'sql' | 'http' | 'redis'): PlaceholderHit[] {
  // A step's text is searched for its parameters, its SQL binding and its lint: once is enough.
  const key = `${mode}\u0000${text}`;
  let hits = placeholderCache.get(key);
  if (!hits) {
    hits = searchPlaceholders(text, mode);
    if (placeholderCache.size > 5000) placeholderCache.clear();
    placeholderCache.set(key, hits);
  }
  return hits;
}

const placeholderCache = new Map<string, PlaceholderHit[]>();

/** Forgets the memo (once per import, so each import pays for its own search). */
export function resetPlaceholderCache(): void {
  placeholderCache.clear();
}

function searchPlaceholders(text: string, mode: 'shell' | 'sql' | 'http' | 'redis'): PlaceholderHit[] {
  const hits: PlaceholderHit[] = [];
  const add = (name: string, raw: string, index: number) => hits.push({ name: name.replace(/[^\w-]/g, '_'), raw, index });
  // `<admin_token>`, and in SQL also `<pid from iotop>` (words an author typed between brackets).
  const angle = mode === 'sql' ? /(?<![<\\A-Za-z0-9])<([A-Za-z][\w.-]{0,62}(?: [A-Za-z][\w.-]{0,30}){0,4})>(?!>)/g : /(?<![<\\A-Za-z0-9])<([A-Za-z][\w.-]{0,62})>(?!>)/g;
  for (const m of text.matchAll(angle)) if (!postgresMarkers.has(m[0])) add(m[1]!, m[0], m.index);
  for (const m of text.matchAll(/\{\{\s*([A-Za-z_][\w-]{0,62})\s*\}\}/g)) add(m[1]!, m[0], m.index);
  for (const m of text.matchAll(/(?<![\w$])(your[_-][A-Za-z0-9_-]{1,60})\b/gi)) add(m[1]!, m[0], m.index);
  // REPLACE_ME, CHANGE_ME, REPLACE_WITH_BUCKET: tokens written to be replaced.
  for (const m of text.matchAll(/(?<![\w$])((?:REPLACE|CHANGE)[_-]?ME|REPLACE_WITH_[A-Z0-9_]{1,60})\b/g)) add(m[1]!.replace(/^REPLACE_WITH_/, '').toLowerCase(), m[0], m.index);
  // [RETENTION_DAYS]: a bracketed upper-case name, also inside a literal (not `[a-z]`, not `[ -f x ]`).
  for (const m of text.matchAll(/(?<![\w$\]])\[([A-Z][A-Z0-9_]{2,62})\](?![(\w])/g)) add(m[1]!, m[0], m.index);
  for (const m of text.matchAll(/\$\{([A-Za-z_]\w*)(?:[:?=+-][^}]*)?\}|\$([A-Za-z_]\w*)(?![\w$])/g)) {
    if (mode === 'sql' && text[m.index + m[0].length] === '$') continue;
    add(m[1] ?? m[2]!, m[0], m.index);
  }
  for (const m of text.matchAll(/(?:https?:\/\/|\s\/|^\/)\S*/gm)) {
    // Only a whole path segment: /campaigns/[campaign_id]/…, not a query key like filter[direction].
    for (const b of m[0].matchAll(/(?<=\/)\[([A-Za-z_][\w-]{0,62})\](?=[/?#"'\s]|$)/g)) add(b[1]!, b[0], m.index + b.index);
  }
  if (mode === 'sql') {
    const masked = maskSqlLiterals(text);
    for (const m of masked.matchAll(/(?<![:\w\]\\])::?(?:'([A-Za-z_]\w*)'|"([A-Za-z_]\w*)"|([A-Za-z_]\w*))/g)) {
      if (m[0].startsWith('::')) continue;
      add(m[1] ?? m[2] ?? m[3]!, text.slice(m.index, m.index + m[0].length), m.index);
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** Replaces the inside of '…' literals and comments with spaces, keeping psql's :'name' forms. */
function maskSqlLiterals(sql: string): string {
  return sql.replace(/(:?)'(?:[^']|'')*'|--[^\n]*/g, (whole, colon: string) => (colon ? whole : ' '.repeat(whole.length)));
}

/** What a parameter's name says about its value. */
export function inferParameterType(name: string): { type: ParameterType; secret: boolean; typed: boolean } {
  const lower = name.toLowerCase();
  if (/token|passw|secret|api[_-]?key|access[_-]?key|private[_-]?key|credential|(^|[_-])auth$|(^|[_-])key$/.test(lower) && !/^keys?$/.test(lower)) {
    return { type: 'string', secret: true, typed: true };
  }
  if (/(^|[_-])(id|ids|pid|count|limit|offset|port|days|hours|minutes|seconds|num|number|size|n|ttl|db|threshold|max|min)$/.test(lower) || /[a-z]Id$/.test(name)) {
    return { type: 'int', secret: false, typed: true };
  }
  if (/(_at|_since|_until|_date|_time|^since|^until|^date)$/.test(lower)) return { type: 'timestamp', secret: false, typed: true };
  if (/(^|_)(interval|duration|window|age)$/.test(lower)) return { type: 'interval', secret: false, typed: true };
  if (/(^|_)(table|table_name|schema|column|index|index_name|relation)$/.test(lower)) return { type: 'identifier', secret: false, typed: true };
  return { type: 'string', secret: false, typed: false };
}
