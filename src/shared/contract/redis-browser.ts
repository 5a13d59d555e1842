import { z } from 'zod';
import type { RedisBytes } from '../redis-bytes';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import type { RedisRunResult } from './redis';

/** The Redis types the browser knows; `none` is a key that expired between SCAN and TYPE. */
export const redisKeyTypes = ['string', 'hash', 'list', 'set', 'zset', 'stream'] as const;

/** A key as the browser lists it. `ttlMs`: -1 no expiry, -2 gone. */
export interface RedisKeyEntry {
  key: RedisBytes;
  type: string;
  ttlMs: number;
}

/** One page of a SCAN walk: continue with `cursor` until it is "0". */
export interface RedisScanPage {
  cursor: string;
  keys: RedisKeyEntry[];
  /** Whole walk done (the server returned cursor 0). */
  done: boolean;
  /** SCAN calls this page took. */
  calls: number;
  durationMs: number;
}

/** What is known about one key; anything the server refused (ACL) is null with a note. */
export interface RedisKeyFacts {
  key: RedisBytes;
  type: string;
  ttlMs: number;
  memoryBytes: number | null;
  encoding: string | null;
  /** Fields, elements, members, entries or bytes, by type. */
  length: number | null;
  notes: string[];
}

/** One element of a value page: a hash field, list element, set member, zset member with score, stream entry. */
export interface RedisValueItem {
  /** Hash field, stream entry id, list index. */
  field?: RedisBytes;
  value: RedisBytes;
  score?: string;
  /** Stream entries: field/value pairs. */
  pairs?: [RedisBytes, RedisBytes][];
}

export interface RedisValuePage {
  type: string;
  /** For a string: the value (its first bytes when larger than the viewer loads). */
  string?: RedisBytes;
  items: RedisValueItem[];
  /** Where the next page starts ("0"/undefined: no more). HSCAN/SSCAN/ZSCAN cursor, LRANGE offset, XRANGE id. */
  next?: string;
  length: number | null;
}

export interface RedisInfoSection {
  name: string;
  rows: [string, string][];
}

export interface RedisSample {
  scanned: number;
  complete: boolean;
  durationMs: number;
  biggest: { key: RedisBytes; type: string; memoryBytes: number | null }[];
  /** Keys per TTL bucket ("no expiry", "< 1 min", …). */
  ttl: { bucket: string; keys: number }[];
  types: { type: string; keys: number }[];
  notes: string[];
}

const base64 = (what: string) =>
  z
    .string()
    .max(70_000_000)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, `must be ${what} as base64 (the b64 field the browser returned)`);
const keySchema = base64('the key').describe('the key, base64 of its exact bytes');
const confirmSchema = z
  .object({ typedName: z.string().max(200).optional() })
  .strict()
  .optional();

/** An edit from the browser; each becomes one Redis command that goes through the same gate as redis.run. */
export const redisEditSchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('expire'),
      seconds: z
        .number()
        .int()
        .min(1, 'must be at least 1 second')
        .max(10 * 365 * 86_400, 'must be at most 10 years'),
    })
    .strict(),
  z.object({ op: z.literal('persist') }).strict(),
  z.object({ op: z.literal('set'), value: base64('the new value') }).strict(),
  z.object({ op: z.literal('hset'), field: keySchema, value: base64('the new value') }).strict(),
  z.object({ op: z.literal('hdel'), field: keySchema }).strict(),
  z.object({ op: z.literal('sadd'), member: base64('the member') }).strict(),
  z.object({ op: z.literal('srem'), member: base64('the member') }).strict(),
  /** Adds the member, or changes its score. */
  z.object({ op: z.literal('zadd'), member: base64('the member'), score: z.number() }).strict(),
  z.object({ op: z.literal('zrem'), member: base64('the member') }).strict(),
  /** Replaces the element at `index` (as the page showed it; negative counts from the end). */
  z
    .object({
      op: z.literal('lset'),
      index: z
        .number()
        .int()
        .min(-(2 ** 52))
        .max(2 ** 52),
      value: base64('the new value'),
    })
    .strict(),
  /** Appends an element at the tail. */
  z.object({ op: z.literal('rpush'), value: base64('the new element') }).strict(),
  /** Removes the first element equal to `value`, from the head (LREM key 1 value). */
  z.object({ op: z.literal('lrem'), value: base64('the element') }).strict(),
  z
    .object({
      op: z.literal('xdel'),
      id: z.string().regex(/^\d{1,20}-\d{1,20}$/, 'must be a stream entry id (ms-seq)'),
    })
    .strict(),
  z.object({ op: z.literal('unlink') }).strict(),
]);
export type RedisEdit = z.infer<typeof redisEditSchema>;

export const redisBrowserOperations = {
  /**
   * One page of keys by SCAN (never KEYS): about `pageSize` keys with type and TTL, from `cursor`
   * ("0" starts), filtered by MATCH and TYPE. Stops early at its time budget: continue with `cursor`.
   */
  'redis.scan': operation<RedisScanPage>()(
    z
      .object({
        profileId: profileIdSchema,
        cursor: z.string().regex(/^\d+$/, 'must be the cursor a previous page returned ("0" to start)').default('0'),
        match: z.string().max(10_000).optional(),
        type: z.enum(redisKeyTypes).optional(),
        pageSize: z.number().int().min(1).max(5000, 'must be at most 5000').default(500),
      })
      .strict(),
    'List keys by SCAN, one page',
  ),
  /** Type, TTL, memory usage, encoding and length of one key (each may be refused by ACL: null with a note). */
  'redis.keyFacts': operation<RedisKeyFacts>()(
    z.object({ profileId: profileIdSchema, key: keySchema }).strict(),
    'Describe one Redis key',
  ),
  /** One page of a key's value by type (HSCAN/SSCAN/ZSCAN/LRANGE/XRANGE; strings up to 256 kB): never the whole of a big value. */
  'redis.value': operation<RedisValuePage>()(
    z
      .object({
        profileId: profileIdSchema,
        key: keySchema,
        from: z.string().max(200).optional(),
        count: z.number().int().min(1).max(1000, 'must be at most 1000').default(100),
      })
      .strict(),
    'Read one page of a Redis value',
  ),
  /**
   * An edit of a key (TTL, persist, value, a hash field, a set, sorted set or list element, a
   * stream entry, unlink): one command through the same gate and confirmation as redis.run.
   */
  'redis.edit': operation<RedisRunResult>()(
    z
      .object({
        profileId: profileIdSchema,
        key: keySchema,
        edit: redisEditSchema,
        confirm: confirmSchema,
        incidentId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    'Edit a Redis key through the gate',
  ),
  /** INFO as one table per section (a section the ACL refuses comes back as a note). */
  'redis.info': operation<{ sections: RedisInfoSection[]; note?: string }>()(
    z
      .object({
        profileId: profileIdSchema,
        section: z
          .string()
          .regex(/^[a-z_]+$/i, 'must be an INFO section name, e.g. memory')
          .optional(),
      })
      .strict(),
    'Redis INFO as tables',
  ),
  /** SLOWLOG GET as rows. */
  'redis.slowlog': operation<{ columns: string[]; rows: (string | number | null)[][]; note?: string }>()(
    z.object({ profileId: profileIdSchema, count: z.number().int().min(1).max(1000).default(50) }).strict(),
    'Redis SLOWLOG as a table',
  ),
  /** Big keys, TTL and type distribution from a SCAN sample bounded by `budgetMs`. */
  'redis.sample': operation<RedisSample>()(
    z
      .object({
        profileId: profileIdSchema,
        match: z.string().max(10_000).optional(),
        budgetMs: z.number().int().min(100).max(60_000).default(2000),
      })
      .strict(),
    'Sample the keyspace: big keys and TTLs',
  ),
};
