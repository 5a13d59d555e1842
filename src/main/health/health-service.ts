import type pg from 'pg';
import type { HealthCheckInfo, HealthCheckResult, HealthRunResult, HealthTarget } from '../../shared/health';
import { OpsError, toErrorPayload } from '../errors';
import { isConnectionLost } from '../redis/lost-connection';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import type { RedisService } from '../redis/redis-service';
import type { ProfileRepository } from '../store/profile-repository';
import {
  healthChecks,
  type Finding,
  type HealthCheck,
  type Params,
  type PgCheck,
  type RedisCheck,
  type Row,
} from './checks';

export interface HealthServiceDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  pg: Pick<PgConnectionRegistry, 'openSide'>;
  redis: Pick<RedisService, 'client'>;
  now?: () => Date;
  /** Scrubs secrets from server error messages. */
  redact?: (text: string) => string;
  /** The checks to offer; every built-in one by default. */
  checks?: HealthCheck[];
}

export interface HealthRunRequest {
  profileId: string;
  ids?: string[];
  timeoutMs?: number;
  params?: Record<string, number>;
}

/** Health checks run on their own connections, named so the checks can leave them out. */
export const healthApplicationName = 'opsconsole health';
const defaultTimeoutMs = 10_000;
/** Side connections per run: checks run two at a time on Postgres (a connection runs one query at once). */
const pgLanes = 2;

class TimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms / 1000} s`)), ms)),
  );
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function fill(sql: string, params: Params): string {
  return sql.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(Number(params[name])),
  );
}

/**
 * Runs the guided health checks (src/main/health/checks.ts) on a profile: read-only, concurrently,
 * each with its own time limit, so one slow or failing check is `error` with its reason while the
 * others still report.
 */
export class HealthService {
  readonly #checks: HealthCheck[];

  constructor(private readonly deps: HealthServiceDeps) {
    this.#checks = deps.checks ?? healthChecks;
  }

  /** Each check's description with the overrides applied (a check's query shows its numbers). */
  checks(target?: HealthTarget, overrides: Record<string, number> = {}): HealthCheckInfo[] {
    this.validateOverrides(overrides);
    return this.#checks
      .filter((c) => !target || c.target === target)
      .map((c) => this.info(c, this.paramsOf(c, overrides)));
  }

  async run(request: HealthRunRequest): Promise<HealthRunResult> {
    const profile = this.deps.profiles.get(request.profileId);
    const overrides = request.params ?? {};
    this.validateOverrides(overrides);
    const has: Record<HealthTarget, boolean> = { pg: !!profile.postgres, redis: !!profile.redis };
    if (!has.pg && !has.redis)
      throw new OpsError(
        'invalid_input',
        `Profile "${profile.name}" has neither Postgres nor Redis settings: add one in the profile editor to run health checks.`,
      );
    let selected = this.#checks.filter((c) => has[c.target]);
    if (request.ids) {
      for (const id of request.ids) {
        const check = this.#checks.find((c) => c.id === id);
        if (!check)
          throw new OpsError(
            'invalid_input',
            `ids: there is no check "${id}"; the checks are ${this.#checks.map((c) => c.id).join(', ')}.`,
          );
        if (!has[check.target])
          throw new OpsError(
            'invalid_input',
            `ids: "${id}" checks ${check.target === 'pg' ? 'Postgres' : 'Redis'}, which profile "${profile.name}" does not have.`,
          );
      }
      selected = selected.filter((c) => request.ids!.includes(c.id));
    }
    const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
    const now = this.deps.now ?? (() => new Date());
    const startedAt = now();
    const started = performance.now();
    const pgChecks = selected.filter((c): c is PgCheck => c.target === 'pg');
    const redisChecks = selected.filter((c): c is RedisCheck => c.target === 'redis');
    const results = new Map<string, HealthCheckResult>();
    const finish = (check: HealthCheck, params: Params, began: number, outcome: Finding | { error: unknown }) => {
      const finding: Finding =
        'error' in outcome
          ? { status: 'error', value: null, message: this.reason(check, outcome.error, timeoutMs) }
          : outcome;
      results.set(check.id, {
        id: check.id,
        title: check.title,
        target: check.target,
        threshold: check.threshold(params),
        ...finding,
        durationMs: Math.round((performance.now() - began) * 10) / 10,
        checkedAt: now().toISOString(),
      });
    };
    await Promise.all([
      this.runPg(request.profileId, pgChecks, overrides, timeoutMs, finish),
      this.runRedis(request.profileId, redisChecks, overrides, timeoutMs, finish),
    ]);
    return {
      profileId: profile.id,
      profileName: profile.name,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      checks: selected.map((c) => results.get(c.id)!),
    };
  }

  private async runPg(
    profileId: string,
    checks: PgCheck[],
    overrides: Record<string, number>,
    timeoutMs: number,
    finish: (c: HealthCheck, p: Params, began: number, o: Finding | { error: unknown }) => void,
  ): Promise<void> {
    if (checks.length === 0) return;
    const queue = [...checks];
    const openLane = async () => {
      const side = await this.deps.pg.openSide(profileId, 'read');
      try {
        await side.client.query(
          `SET application_name = '${healthApplicationName}'; SET default_transaction_read_only = on; SET lock_timeout = '1s'`,
        );
      } catch (error) {
        await side.close();
        throw error;
      }
      return side;
    };
    const openWithin = async () => {
      const opening = openLane();
      try {
        return await withTimeout(opening, timeoutMs);
      } catch (error) {
        // A connection that arrives after the limit is closed, not leaked.
        opening.then(
          (late) => late.close(),
          () => undefined,
        );
        throw error;
      }
    };
    const lane = async () => {
      let side: { client: pg.Client; close(): Promise<void> } | undefined;
      let refused: unknown;
      for (let check = queue.shift(); check; check = queue.shift()) {
        const params = this.paramsOf(check, overrides);
        const began = performance.now();
        try {
          if (refused) throw refused;
          if (!side) {
            try {
              side = await openWithin();
            } catch (error) {
              refused = error;
              throw error;
            }
          }
          const client = side.client;
          // One statement in the lane's read-only session (default_transaction_read_only), not an
          // explicit BEGIN READ ONLY: the lanes would show up "idle in transaction" in the very
          // checks they run. The checks' SQL is the console's own, never an operator's text.
          await client.query(`SET statement_timeout = ${Math.max(1, timeoutMs - 100)}`);
          const result = await withTimeout(client.query<Row>(fill(check.sql, params)), timeoutMs);
          finish(check, params, began, check.evaluate(result.rows, params));
        } catch (error) {
          finish(check, params, began, { error });
          if (error instanceof TimeoutError && side) {
            // The connection may be stuck mid-query: the next check gets a fresh one.
            void side.close();
            side = undefined;
          }
        }
      }
      await side?.close();
    };
    await Promise.all(Array.from({ length: Math.min(pgLanes, checks.length) }, lane));
  }

  private async runRedis(
    profileId: string,
    checks: RedisCheck[],
    overrides: Record<string, number>,
    timeoutMs: number,
    finish: (c: HealthCheck, p: Params, began: number, o: Finding | { error: unknown }) => void,
  ): Promise<void> {
    if (checks.length === 0) return;
    const client = this.deps.redis.client(profileId);
    client.catch(() => undefined);
    await Promise.all(
      checks.map(async (check) => {
        const params = this.paramsOf(check, overrides);
        const began = performance.now();
        try {
          const deadline = Date.now() + timeoutMs;
          const finding = await withTimeout(
            client.then((redis) => check.run(redis, params, deadline)),
            timeoutMs,
          );
          finish(check, params, began, finding);
        } catch (error) {
          finish(check, params, began, { error });
        }
      }),
    );
  }

  private reason(check: HealthCheck, error: unknown, timeoutMs: number): string {
    if (error instanceof TimeoutError)
      return `Timed out: ${error.message} (the per-check limit); the other checks were not held up. Re-run it, or raise the limit if the server is just slow.`;
    const message = toErrorPayload(error, this.deps.redact).message;
    // A connection cut under the check (server restarted, channel closed) is not slowness: raising the limit would not help.
    if (isConnectionLost(error))
      return `Connection lost while the check ran (${message}): the server restarted or the network dropped. Re-run it once the server is back.`;
    const explained = check.target === 'pg' ? check.explainError?.(message) : undefined;
    if (explained) return explained;
    if (/canceling statement due to statement timeout/.test(message))
      return `Timed out: the server cancelled the query after ${timeoutMs / 1000} s (the per-check limit).`;
    if (/NOPERM/.test(message))
      return `The Redis user may not run this check's commands (${message}): grant them to the ACL user, or ignore this check.`;
    if (/permission denied/.test(message))
      return `The Postgres user may not read what this check needs (${message}): grant pg_monitor to the user, or ignore this check.`;
    return `Could not run: ${message}`;
  }

  private info(check: HealthCheck, params: Params): HealthCheckInfo {
    return {
      id: check.id,
      title: check.title,
      target: check.target,
      query: check.target === 'pg' ? fill(check.sql, params) : check.commands,
      threshold: check.threshold(params),
      meaning: check.meaning,
      next: check.next,
      numeric: check.numeric,
      ...(check.unit ? { unit: check.unit } : {}),
      params,
    };
  }

  private paramsOf(check: HealthCheck, overrides: Record<string, number>): Params {
    const params = { ...check.params };
    for (const [key, value] of Object.entries(overrides)) {
      if (key.startsWith(`${check.id}.`)) params[key.slice(check.id.length + 1)] = value;
    }
    return params;
  }

  private validateOverrides(overrides: Record<string, number>): void {
    for (const key of Object.keys(overrides)) {
      const check = this.#checks.find((c) => key.startsWith(`${c.id}.`) && key.length > c.id.length + 1);
      const name = check && key.slice(check.id.length + 1);
      if (!check || !(name! in check.params)) {
        throw new OpsError(
          'invalid_input',
          `params: "${key}" is not a check parameter; they are ${this.#checks.flatMap((c) => Object.keys(c.params).map((p) => `${c.id}.${p}`)).join(', ')}.`,
        );
      }
    }
  }
}
