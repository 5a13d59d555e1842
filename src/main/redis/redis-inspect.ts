import type { Redis } from 'ioredis';
import type { RedisInfoSection, RedisSample } from '../../shared/contract';
import { infoSections } from '../../shared/redis-info';
import { toRedisBytes } from './bytes';
import { pipelinedKeyFacts } from './key-facts';

/** Why a diagnostic could not be read, as a note instead of a crash (a restrictive ACL user). */
function refusal(what: string, error: unknown): string {
  const message = (error as Error).message;
  const acl = /NOPERM|no permissions/i.test(message)
    ? " The profile's ACL user may not run it; ask for +" +
      what.split(' ')[0]!.toLowerCase() +
      ' or use a user with @admin read access.'
    : '';
  return `${what} is not available: ${message}.${acl}`;
}

export async function readInfo(
  client: Redis,
  section?: string,
): Promise<{ sections: RedisInfoSection[]; note?: string }> {
  try {
    return { sections: infoSections(String(await client.call('INFO', ...(section ? [section] : [])))) };
  } catch (error) {
    return { sections: [], note: refusal('INFO', error) };
  }
}

export async function readSlowlog(
  client: Redis,
  count: number,
): Promise<{ columns: string[]; rows: (string | number | null)[][]; note?: string }> {
  const columns = ['id', 'at', 'ms', 'command', 'client', 'name'];
  try {
    const entries = (await client.call('SLOWLOG', 'GET', String(count))) as [
      number,
      number,
      number,
      unknown[],
      string?,
      string?,
    ][];
    const rows = entries.map(([id, at, micros, argv, client, name]) => [
      id,
      new Date(at * 1000).toISOString(),
      Math.round(micros / 10) / 100,
      argv.map(String).join(' ').slice(0, 500),
      client ?? null,
      name || null,
    ]);
    return { columns, rows };
  } catch (error) {
    return { columns, rows: [], note: refusal('SLOWLOG GET', error) };
  }
}

const ttlBuckets: [string, number][] = [
  ['< 1 min', 60_000],
  ['< 1 h', 3_600_000],
  ['< 1 day', 86_400_000],
  ['< 1 week', 7 * 86_400_000],
  ['≥ 1 week', Infinity],
];

function ttlBucket(ttlMs: number | null): string {
  if (ttlMs === null) return 'not readable';
  if (ttlMs < 0) return 'no expiry';
  return ttlBuckets.find(([, limit]) => ttlMs < limit)![0];
}

function tally(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/**
 * Walks the keyspace by SCAN until done or the time budget, describing each batch with one
 * pipeline (TYPE, PTTL, MEMORY USAGE): the 20 biggest keys, keys per TTL bucket and per type.
 */
export async function sampleKeyspace(client: Redis, match: string | undefined, budgetMs: number): Promise<RedisSample> {
  const started = performance.now();
  const biggest: { key: Buffer; type: string; memoryBytes: number | null }[] = [];
  const ttl = new Map<string, number>();
  const types = new Map<string, number>();
  const notes = new Set<string>();
  let cursor = '0';
  let scanned = 0;
  do {
    const [next, keys] = (await client.callBuffer(
      'SCAN',
      cursor,
      ...(match ? ['MATCH', match] : []),
      'COUNT',
      '1000',
    )) as [Buffer, Buffer[]];
    cursor = next.toString();
    scanned += keys.length;
    const { facts, refused } = await pipelinedKeyFacts(client, keys, { type: true, ttl: true, memory: true });
    for (const reason of refused) notes.add(`Not counted: ${reason}.`);
    facts.forEach((fact, i) => {
      tally(ttl, ttlBucket(fact.ttlMs));
      tally(types, fact.type ?? 'not readable');
      biggest.push({ key: keys[i]!, type: fact.type ?? '?', memoryBytes: fact.memoryBytes });
    });
    biggest.sort((a, b) => (b.memoryBytes ?? -1) - (a.memoryBytes ?? -1)).splice(20);
  } while (cursor !== '0' && performance.now() - started < budgetMs);
  const order = ['no expiry', ...ttlBuckets.map(([name]) => name), 'not readable'];
  return {
    scanned,
    complete: cursor === '0',
    durationMs: Math.round(performance.now() - started),
    biggest: biggest.map((b) => ({ ...b, key: toRedisBytes(b.key, 'key') })),
    ttl: order.filter((bucket) => ttl.has(bucket)).map((bucket) => ({ bucket, keys: ttl.get(bucket)! })),
    types: [...types].sort((a, b) => b[1] - a[1]).map(([type, keys]) => ({ type, keys })),
    notes: [...notes],
  };
}
