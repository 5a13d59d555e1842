import { z } from 'zod';
import type { Reason, RiskLevel } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';

/** A Redis reply by RESP type, as the console shows it. */
export type RedisReply =
  | { type: 'nil' }
  | { type: 'integer'; value: number }
  | { type: 'string'; value: string }
  | { type: 'error'; message: string }
  /** `items` holds at most 1000 entries; `total` is the reply's real length. */
  | { type: 'array'; items: RedisReply[]; total: number };

/**
 * `ok`: ran (a read or admin command, or a confirmed write); `error`: the server answered with an
 * error; `refused`: the safety level or a wrong typed name; `confirmation_required`: a write,
 * dangerous or unknown command that was not confirmed — nothing was sent.
 */
export type RedisOutcome = 'ok' | 'error' | 'refused' | 'confirmation_required';

export interface RedisRunResult {
  argv: string[];
  risk: RiskLevel;
  reasons: Reason[];
  outcome: RedisOutcome;
  reply?: RedisReply;
  message?: string;
  /** For KEYS: the SCAN command that walks the keyspace without blocking the server. */
  suggestion?: string[];
  /** Why the built-in command table stood in for the server's (the server refused COMMAND). */
  notice?: string;
  /** What confirming takes, when `confirmation_required`. */
  confirmation?: { policy: 'confirm' | 'type-profile-name'; profileName: string };
  durationMs: number;
}

export const redisOperations = {
  /**
   * Run one Redis command given as an argv array (or a redis-cli style line) on the profile's Redis.
   * Reads and admin commands that only read run; writes, server changes, scripts (_RO included),
   * dangerous and unknown commands need `confirm` (on a production profile with the profile's name
   * typed); a read-only profile refuses them; connection-state commands (SELECT, AUTH, SUBSCRIBE …)
   * are always refused. `argv` comes back with secrets masked.
   */
  'redis.run': operation<RedisRunResult>()(
    z
      .object({
        profileId: profileIdSchema,
        argv: z.array(z.string().max(100_000_000)).min(1, 'is empty: give the command and its arguments').max(100_000).optional(),
        line: z.string().min(1).max(1_000_000).optional(),
        confirm: z.object({ typedName: z.string().max(200).optional() }).strict().optional(),
        incidentId: z.string().min(1).max(64).optional(),
      })
      .strict()
      .refine((input) => (input.argv === undefined) !== (input.line === undefined), 'give exactly one of argv or line'),
    'Run a Redis command',
  ),
};
