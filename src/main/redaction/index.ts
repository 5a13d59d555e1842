import type { RedisReply } from '../../shared/contract';
import { maskValues, redactPayload, usable, type RedactText } from './payload';
import { maskRedisArgv, maskRedisReply } from './redis-secrets';
import { maskSqlPasswords } from './sql-passwords';

export { redactPayload, redactStrings, type RedactText } from './payload';
export { maskRedisArgv, maskRedisReply } from './redis-secrets';
export { maskSqlPasswords } from './sql-passwords';

const maxRemembered = 10_000;

/**
 * The one redactor every writer uses (timeline, log, exports, error payloads to the UI and the
 * CLI): one method per source of secrets. Values it has seen (the vault's secrets, parameters
 * marked secret, passwords found in SQL or Redis argv, secrets in replies) are masked wherever
 * they appear afterwards, for the life of the process: a Postgres error text that quotes a secret
 * parameter is masked because the parameter was remembered before the statement ran.
 */
export class Redactor {
  /** In the order first seen (the oldest are forgotten past the cap); `#values` is the same, longest first. */
  readonly #seen = new Set<string>();
  #values: string[] = [];

  /** `vault` scrubs the secrets the vault has opened (profile passwords, passphrases). */
  constructor(private readonly vault: RedactText = (text) => text) {}

  /** Values known to be secret during a run (template, runbook and terminal parameters marked secret). */
  remember(values: Iterable<unknown>): void {
    const fresh = usable([...values].filter((v) => v !== null && v !== undefined).map(String)).filter(
      (v) => !this.#seen.has(v),
    );
    if (fresh.length === 0) return;
    for (const value of fresh) this.#seen.add(value);
    // Every text is scanned for every value: a process that runs for weeks keeps the newest ones.
    for (const oldest of this.#seen) {
      if (this.#seen.size <= maxRemembered) break;
      this.#seen.delete(oldest);
    }
    this.#values = usable(this.#seen);
  }

  /** Any text: known secrets masked. */
  text = (text: string): string => maskValues(this.vault(text), this.#values);

  /** SQL text: passwords masked from the parse tree (and remembered), then known secrets. */
  sql(sql: string): string {
    const masked = maskSqlPasswords(sql);
    this.remember(masked.secrets);
    return this.text(masked.value);
  }

  /** A Redis command's arguments: AUTH, ACL SETUSER >pw, CONFIG SET requirepass … masked (and remembered). */
  redisArgv(argv: readonly string[]): string[] {
    const masked = maskRedisArgv(argv);
    this.remember(masked.secrets);
    return masked.value.map(this.text);
  }

  /** A Redis reply: CONFIG GET requirepass/masterauth values and ACL password hashes masked. */
  redisReply(argv: readonly string[], reply: RedisReply): RedisReply {
    const masked = maskRedisReply(argv, reply);
    this.remember(masked.secrets);
    return masked.value;
  }

  /** A timeline event payload (see redactPayload). */
  payload(kind: string, payload: Record<string, unknown>): Record<string, unknown> {
    return redactPayload(kind, payload, this.text);
  }
}
