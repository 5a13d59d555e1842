/**
 * Secrets never reach the timeline: every string of a payload goes through the vault's
 * `redact` (every secret this process has opened), parameters flagged secret and fields named
 * like secrets are replaced whole, and the obvious in-text forms (SQL `PASSWORD '…'`, Redis
 * `AUTH …`) are masked even when the vault has never seen the value.
 */
export const redactedMark = '[redacted]';

const secretKey = /^(pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|credentials?)$/i;
const sqlPasswordLiteral = /(\bpassword\s+)('(?:[^']|'')*'|\$([A-Za-z_]*)\$[\s\S]*?\$\3\$)/gi;
const redisSecretCommands = new Set(['hello', 'migrate']);

export type Redactor = (text: string) => string;

export function redactPayload(kind: string, payload: Record<string, unknown>, redact: Redactor): Record<string, unknown> {
  const out = redactValue(payload, redact) as Record<string, unknown>;
  // Runbook steps, SQL runs, previews and exports carry bound parameters: a secret one is replaced whole.
  if (Array.isArray(out.parameters)) {
    out.parameters = out.parameters.map((p: Record<string, unknown>) => (p.secret ? { ...p, value: redactedMark } : p));
  }
  if (typeof out.sql === 'string') out.sql = maskSqlPasswords(out.sql);
  if (typeof out.action === 'string') out.action = maskSqlPasswords(out.action);
  if (typeof out.text === 'string' && kind === 'preview') out.text = maskSqlPasswords(out.text);
  if (kind === 'redis.run' && Array.isArray(out.command)) out.command = maskRedisCommand(out.command as string[]);
  return out;
}

/** Every string in a value through `redact` (report fields, titles: free text the operator typed). */
export function redactStrings<T>(value: T, redact: Redactor): T {
  return redactValue(value, redact) as T;
}

function redactValue(value: unknown, redact: Redactor, key?: string): unknown {
  if (typeof value === 'string') return key && secretKey.test(key) ? redactedMark : redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact, k)]));
  }
  return value;
}

export function maskSqlPasswords(sql: string): string {
  return sql.replace(sqlPasswordLiteral, (_m, lead: string) => `${lead}'${redactedMark}'`);
}

/** AUTH [user] pass, HELLO … AUTH user pass, CONFIG SET requirepass/masterauth x, MIGRATE … AUTH pass. */
function maskRedisCommand(command: string[]): string[] {
  const name = command[0]?.toLowerCase() ?? '';
  if (name === 'auth') return [command[0]!, ...command.slice(1).map((a, i, all) => (i === all.length - 1 ? redactedMark : a))];
  if (name === 'config' && command[1]?.toLowerCase() === 'set') {
    return command.map((a, i) => (i >= 3 && /^(requirepass|masterauth|masteruser)$/i.test(command[i - 1] ?? '') ? redactedMark : a));
  }
  if (redisSecretCommands.has(name)) {
    const at = command.findIndex((a, i) => i > 0 && /^auth2?$/i.test(a));
    // HELLO … AUTH user pass and MIGRATE … AUTH2 user pass carry the password two places on; MIGRATE … AUTH pass one.
    const offset = name === 'migrate' && command[at]?.toLowerCase() === 'auth' ? 1 : 2;
    if (at > 0) return command.map((a, i) => (i === at + offset ? redactedMark : a));
  }
  return command;
}
