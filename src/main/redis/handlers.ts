import type { Redis } from 'ioredis';
import type { Handlers, RedisEdit } from '../../shared/contract';
import { keyBytes } from './bytes';
import { RedisBrowser } from './redis-browser';
import { readInfo, readSlowlog, sampleKeyspace } from './redis-inspect';
import type { RedisClassifier } from './redis-classifier';
import type { RedisRunner } from './redis-runner';
import type { RedisWatches } from './redis-watches';

type BrowserOps =
  'redis.scan' | 'redis.keyFacts' | 'redis.value' | 'redis.edit' | 'redis.info' | 'redis.slowlog' | 'redis.sample';
type BrowserHandlers = Pick<Handlers, BrowserOps>;

/** The command an edit becomes, as exact bytes: it then goes through the gate like any typed command. */
export function editArgv(key: Buffer, edit: RedisEdit): Buffer[] {
  const b = (text: string) => Buffer.from(text, 'utf8');
  switch (edit.op) {
    case 'expire':
      return [b('EXPIRE'), key, b(String(edit.seconds))];
    case 'persist':
      return [b('PERSIST'), key];
    case 'set':
      // KEEPTTL: changing a value does not silently drop the key's expiry.
      return [b('SET'), key, keyBytes(edit.value), b('KEEPTTL')];
    case 'hset':
      return [b('HSET'), key, keyBytes(edit.field), keyBytes(edit.value)];
    case 'hdel':
      return [b('HDEL'), key, keyBytes(edit.field)];
    case 'sadd':
      return [b('SADD'), key, keyBytes(edit.member)];
    case 'srem':
      return [b('SREM'), key, keyBytes(edit.member)];
    case 'zadd':
      return [b('ZADD'), key, b(String(edit.score)), keyBytes(edit.member)];
    case 'zrem':
      return [b('ZREM'), key, keyBytes(edit.member)];
    case 'lset':
      return [b('LSET'), key, b(String(edit.index)), keyBytes(edit.value)];
    case 'rpush':
      return [b('RPUSH'), key, keyBytes(edit.value)];
    case 'lrem':
      return [b('LREM'), key, b('1'), keyBytes(edit.value)];
    case 'xdel':
      return [b('XDEL'), key, b(edit.id)];
    case 'unlink':
      return [b('UNLINK'), key];
  }
}

/**
 * The Redis browser's operations. Reads use the profile's shared client (SCAN, TYPE, PTTL, MEMORY
 * USAGE, HSCAN … are all reads); every edit is one command sent through RedisRunner, the same gate,
 * confirmation and recording as `redis.run`.
 */
export function redisBrowserHandlers(
  client: (profileId: string) => Promise<Redis>,
  runner: RedisRunner,
  knownIncident: (id?: string) => string | undefined,
): BrowserHandlers {
  const browser = new RedisBrowser(client);
  return {
    'redis.scan': async ({ profileId, ...request }) => browser.scan(profileId, request),
    'redis.keyFacts': async ({ profileId, key }) => browser.keyFacts(profileId, key),
    'redis.value': async ({ profileId, key, from, count }) => browser.value(profileId, key, from, count),
    'redis.edit': async ({ profileId, key, edit, confirm, incidentId }) =>
      runner.run({
        profileId,
        bytes: editArgv(keyBytes(key), edit),
        ...(confirm ? { confirm } : {}),
        incidentId: knownIncident(incidentId),
      }),
    'redis.info': async ({ profileId, section }) => readInfo(await client(profileId), section),
    'redis.slowlog': async ({ profileId, count }) => readSlowlog(await client(profileId), count),
    'redis.sample': async ({ profileId, match, budgetMs }) => sampleKeyspace(await client(profileId), match, budgetMs),
  };
}

interface RedisCommandDeps {
  classifier: Pick<RedisClassifier, 'classify'>;
  runner: Pick<RedisRunner, 'run'>;
  watches: Pick<RedisWatches, 'start' | 'stop'>;
  /** Refuses an incident id that does not exist (not_found) before anything is recorded under it. */
  knownIncident(id?: string): string | undefined;
}

/** redis.classify, run, watch and stopWatch: one command through the gate, or one repeated on a timer. */
export function redisCommandHandlers(
  deps: RedisCommandDeps,
): Pick<Handlers, 'redis.classify' | 'redis.run' | 'redis.watch' | 'redis.stopWatch'> {
  const { runner, watches, knownIncident } = deps;
  return {
    'redis.classify': async (input) => deps.classifier.classify(input),
    'redis.run': async ({ incidentId, ...input }) => runner.run({ ...input, incidentId: knownIncident(incidentId) }),
    'redis.watch': async ({ incidentId, ...input }) =>
      watches.start({ ...input, incidentId: knownIncident(incidentId) }),
    'redis.stopWatch': async ({ watchId }) => ({ stopped: watches.stop(watchId) }),
  };
}
