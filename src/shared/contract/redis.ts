import { z } from 'zod';
import type { Reason, RiskLevel } from '../risk';
import { event, operation } from './define';
import { profileIdSchema } from './profiles';

/** A Redis reply by RESP type, as the console shows it. */
export type RedisReply =
  | { type: 'nil' }
  | { type: 'integer'; value: number }
  /** `binary`: the bytes are not plain UTF-8 text; `value` is then their redis-cli escape (see shared/redis-bytes). */
  | { type: 'string'; value: string; binary?: boolean }
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
        argv: z
          .array(z.string().max(100_000_000))
          .min(1, 'is empty: give the command and its arguments')
          .max(100_000)
          .optional(),
        line: z.string().min(1).max(1_000_000).optional(),
        confirm: z
          .object({ typedName: z.string().max(200).optional() })
          .strict()
          .optional(),
        incidentId: z.string().min(1).max(64).optional(),
        /** Values filled in from parameters marked secret (a runbook step): masked wherever the command is recorded or shown. */
        secretValues: z.array(z.string().max(100_000)).max(200).optional(),
      })
      .strict()
      .refine((input) => (input.argv === undefined) !== (input.line === undefined), 'give exactly one of argv or line'),
    'Run a Redis command',
  ),
  /**
   * Watch SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE or MONITOR on a connection of its own (never the shared
   * one), for at most `seconds`; messages arrive as onRedisWatch events until the time limit,
   * `redis.stopWatch`, or the connection ends. MONITOR slows a busy server: it needs `confirm`
   * (the profile's name typed on production).
   */
  'redis.watch': operation<RedisWatchStart>()(
    z
      .object({
        profileId: profileIdSchema,
        argv: z
          .array(z.string().max(10_000))
          .min(1, 'is empty: give SUBSCRIBE channel…, PSUBSCRIBE pattern… or MONITOR')
          .max(1000),
        seconds: z.number().int().min(1, 'must be at least 1').max(600, 'must be at most 600 (10 minutes)').default(30),
        confirm: z
          .object({ typedName: z.string().max(200).optional() })
          .strict()
          .optional(),
        incidentId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    'Watch Redis messages on a dedicated connection',
  ),
  /** Stop a watch now (the Stop button); `stopped` is false when it had already ended. */
  'redis.stopWatch': operation<{ stopped: boolean }>()(
    z.object({ watchId: z.string().min(1).max(64) }).strict(),
    'Stop a Redis watch',
  ),
};

/** What `redis.watch` started, or why it did not. */
export interface RedisWatchStart {
  outcome: 'watching' | 'confirmation_required' | 'refused';
  watchId?: string;
  /** The command as shown and recorded (secrets masked). */
  argv: string[];
  /** When the time limit stops it (UTC). */
  expiresAt?: string;
  message?: string;
  confirmation?: { policy: 'confirm' | 'type-profile-name'; profileName: string };
}

/** One message of a watch: a published message (channel, pattern) or a command MONITOR saw. */
export interface RedisWatchMessage {
  at: string;
  channel?: string;
  pattern?: string;
  text: string;
}

/** A batch of messages, or the end of a watch (time limit, stopped, connection lost, message cap). */
export type RedisWatchEvent =
  | { watchId: string; profileId: string; type: 'messages'; messages: RedisWatchMessage[]; dropped: number }
  | { watchId: string; profileId: string; type: 'ended'; reason: string; count: number };

export const redisEvents = {
  onRedisWatch: event<RedisWatchEvent>('Messages of a Redis watch, or its end'),
};
