import { parseRedisCommandLine } from '../redis/command-line';
import { redactedMark } from './mark';
import { maskRedisArgv } from './redis-secrets';
import { maskSqlPasswords } from './sql-passwords';

export type RedactText = (text: string) => string;

const secretKey = /^(pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|credentials?)$/i;
/** Fields that hold SQL text in timeline payloads. */
const sqlFields = ['sql', 'action', 'text'] as const;

/**
 * A timeline payload made safe to keep: passwords found in its SQL (parse tree) and Redis argv are
 * masked there and wherever else they appear in the payload (a Postgres error echoing them);
 * parameters flagged secret and fields named like secrets are replaced whole; every other string
 * goes through `redact` (the process's known secrets).
 */
export function redactPayload(
  kind: string,
  payload: Record<string, unknown>,
  redact: RedactText,
): Record<string, unknown> {
  const found: string[] = [];
  const masked: Record<string, unknown> = { ...payload };
  for (const field of sqlFields) {
    if (typeof masked[field] !== 'string') continue;
    const result = maskSqlPasswords(masked[field] as string);
    masked[field] = result.value;
    // The same fields hold Redis command lines (refusals, confirmations, Redis previews).
    found.push(...result.secrets, ...redisLineSecrets(result.value));
  }
  if (kind === 'redis.run' && Array.isArray(masked.command)) {
    const result = maskRedisArgv(masked.command as string[]);
    masked.command = result.value;
    found.push(...result.secrets);
  }
  // A secret parameter's value is masked wherever else it appears (an error text quoting it).
  if (Array.isArray(masked.parameters))
    for (const p of masked.parameters as { secret?: unknown; value?: unknown }[])
      if (p?.secret && typeof p.value === 'string') found.push(p.value);
  const out = redactStrings(masked, withValues(redact, found));
  // Runbook steps, SQL runs, previews and exports carry bound parameters: a secret one is replaced whole.
  if (Array.isArray(out.parameters)) {
    out.parameters = out.parameters.map((p: Record<string, unknown>) => (p.secret ? { ...p, value: redactedMark } : p));
  }
  return out;
}

/** The secrets a text carries if it is a Redis command line (AUTH x, CONFIG SET requirepass x …). */
function redisLineSecrets(text: string): string[] {
  if (!/^\s*(auth|hello|config|acl|migrate)\b/i.test(text)) return [];
  try {
    return maskRedisArgv(parseRedisCommandLine(text)).secrets;
  } catch {
    return []; // not a command line (unbalanced quotes): nothing to take from it
  }
}

/** Every string in a value through `redact` (report fields, titles: free text the operator typed). */
export function redactStrings<T>(value: T, redact: RedactText): T {
  return redactValue(value, redact) as T;
}

function redactValue(value: unknown, redact: RedactText, key?: string): unknown {
  if (typeof value === 'string') return key && secretKey.test(key) ? redactedMark : redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact, k)]));
  }
  return value;
}

/** `redact`, then every value of `secrets` long enough not to mask ordinary words. */
export function withValues(redact: RedactText, secrets: readonly string[]): RedactText {
  const values = usable(secrets);
  if (values.length === 0) return redact;
  return (text) => maskValues(redact(text), values);
}

/** Values of at least 4 characters, longest first (so a secret containing another is masked whole). */
export function usable(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((s) => s.length >= 4 && s !== redactedMark).sort((a, b) => b.length - a.length);
}

export function maskValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(redactedMark);
  return out;
}
