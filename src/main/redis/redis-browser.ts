import type { Redis } from 'ioredis';
import type { RedisKeyFacts, RedisScanPage, RedisValueItem, RedisValuePage } from '../../shared/contract';
import { OpsError } from '../errors';
import { keyBytes, toRedisBytes } from './bytes';
import { pipelinedKeyFacts } from './key-facts';

/** The bytes of a string value the viewer loads at once (GETRANGE): a 500 MB string is never read whole. */
export const stringViewBytes = 256 * 1024;
/** How long one page of keys may take before it returns what it has (the cursor continues it). */
const pageBudgetMs = 1500;

export interface ScanRequest {
  cursor: string;
  match?: string;
  type?: string;
  pageSize: number;
}

/**
 * The key browser's reads. Keys are walked by SCAN (never KEYS) a page at a time and described by
 * one pipeline per page; values are read a page at a time by type, so a hash of 5 M fields or a
 * 500 MB string costs one small page. Keys travel as their exact bytes (base64) both ways.
 */
/** A server refusal (ACL, wrong type, a vanished key) as an error that says what to do; anything else unchanged. */
function explained(what: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return error;
  const acl = /NOPERM|no permissions/i.test(error.message)
    ? ` The profile's ACL user may not run it: ask for the command (or @read / @keyspace) on this user, or browse with another profile.`
    : '';
  return new OpsError('redis_error', `Redis refused ${what}: ${error.message}.${acl}`, { cause: error });
}

export class RedisBrowser {
  constructor(private readonly client: (profileId: string) => Promise<Redis>) {}

  async scan(profileId: string, request: ScanRequest): Promise<RedisScanPage> {
    return this.scanPage(profileId, request).catch((error: unknown) => Promise.reject(explained('SCAN', error)));
  }

  async value(profileId: string, b64: string, from: string | undefined, count: number): Promise<RedisValuePage> {
    return this.valuePage(profileId, b64, from, count).catch((error: unknown) =>
      Promise.reject(explained('reading the value', error)),
    );
  }

  private async scanPage(profileId: string, request: ScanRequest): Promise<RedisScanPage> {
    const client = await this.client(profileId);
    const started = performance.now();
    const found: Buffer[] = [];
    let cursor = request.cursor;
    let calls = 0;
    // Unfiltered, one SCAN of COUNT pageSize is about one page; a filter may match few keys per call, so each call looks further.
    const count = request.match || request.type ? Math.max(request.pageSize * 2, 1000) : request.pageSize;
    const filters = [
      ...(request.match ? ['MATCH', request.match] : []),
      'COUNT',
      String(count),
      ...(request.type ? ['TYPE', request.type] : []),
    ];
    do {
      const [next, keys] = (await client.callBuffer('SCAN', cursor, ...filters)) as [Buffer, Buffer[]];
      cursor = next.toString();
      calls++;
      found.push(...keys);
    } while (cursor !== '0' && found.length < request.pageSize && performance.now() - started < pageBudgetMs);
    const { facts } = await pipelinedKeyFacts(client, found, { type: !request.type, ttl: true });
    const keys = found.map((key, i) => ({
      key: toRedisBytes(key, 'key'),
      type: request.type ?? facts[i]!.type ?? 'unknown',
      ttlMs: facts[i]!.ttlMs ?? -1,
    }));
    return { cursor, keys, done: cursor === '0', calls, durationMs: Math.round(performance.now() - started) };
  }

  async keyFacts(profileId: string, b64: string): Promise<RedisKeyFacts> {
    const client = await this.client(profileId);
    const key = keyBytes(b64);
    const { facts, refused } = await pipelinedKeyFacts(client, [key], { type: true, ttl: true, memory: true });
    const fact = facts[0]!;
    const notes = [...refused].map((reason) => `Not shown: ${reason} (the ACL user may lack this command).`);
    const type = fact.type ?? 'unknown';
    if (type === 'none')
      throw new OpsError(
        'not_found',
        `The key ${toRedisBytes(key, 'key').text} does not exist (it may have expired or been deleted): refresh the list.`,
      );
    const encoding = await client
      .call('OBJECT', 'ENCODING', key)
      .then(String, (error: Error) => (notes.push(`Encoding not shown: ${error.message}.`), null));
    const length = await this.lengthOf(client, key, type).catch(
      (error: Error) => (notes.push(`Length not shown: ${error.message}.`), null),
    );
    return {
      key: toRedisBytes(key, 'key'),
      type,
      ttlMs: fact.ttlMs ?? -1,
      memoryBytes: fact.memoryBytes,
      encoding,
      length,
      notes,
    };
  }

  private async lengthOf(client: Redis, key: Buffer, type: string): Promise<number | null> {
    const command = { string: 'STRLEN', hash: 'HLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', stream: 'XLEN' }[type];
    return command ? Number(await client.call(command, key)) : null;
  }

  private async valuePage(
    profileId: string,
    b64: string,
    from: string | undefined,
    count: number,
  ): Promise<RedisValuePage> {
    const client = await this.client(profileId);
    const key = keyBytes(b64);
    const type = String(await client.call('TYPE', key));
    const page = await readPage(client, key, type, from, count);
    const length = await this.lengthOf(client, key, type).catch(() => null);
    return { type, length, ...page };
  }
}

type Page = Omit<RedisValuePage, 'type' | 'length'>;

const value = (buffer: Buffer) => toRedisBytes(buffer, 'value');

/** Pairs of a flat [a, b, a, b …] reply. */
function pairs(flat: Buffer[]): [Buffer, Buffer][] {
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

async function readPage(
  client: Redis,
  key: Buffer,
  type: string,
  from: string | undefined,
  count: number,
): Promise<Page> {
  const cursor = from ?? '0';
  switch (type) {
    case 'string': {
      const [head, size] = await Promise.all([
        client.callBuffer('GETRANGE', key, '0', String(stringViewBytes - 1)) as Promise<Buffer>,
        client.call('STRLEN', key),
      ]);
      return { string: toRedisBytes(head, 'value', Number(size)), items: [] };
    }
    case 'hash':
    case 'set':
    case 'zset':
      return scanValues(client, type, key, cursor, count);
    case 'list': {
      const offset = Number(cursor) || 0;
      const items = (await client.callBuffer('LRANGE', key, String(offset), String(offset + count - 1))) as Buffer[];
      const list: RedisValueItem[] = items.map((item, i) => ({
        field: value(Buffer.from(String(offset + i))),
        value: value(item),
      }));
      return { items: list, ...(items.length === count ? { next: String(offset + count) } : {}) };
    }
    case 'stream': {
      const start = from ? `(${from}` : '-';
      const entries = (await client.callBuffer('XRANGE', key, start, '+', 'COUNT', String(count))) as [
        Buffer,
        Buffer[],
      ][];
      const items = entries.map(([id, fields]) => ({
        field: value(id),
        value: value(Buffer.alloc(0)),
        pairs: pairs(fields).map(
          ([f, v]) => [value(f), value(v)] as [ReturnType<typeof value>, ReturnType<typeof value>],
        ),
      }));
      return { items, ...(entries.length === count ? { next: entries.at(-1)![0].toString() } : {}) };
    }
    case 'none':
      throw new OpsError(
        'not_found',
        'The key does not exist (it may have expired or been deleted): refresh the list.',
      );
    default:
      return { items: [] };
  }
}

/** HSCAN/SSCAN/ZSCAN from a cursor: about `count` elements (SCAN's COUNT is a hint: a page may hold more or fewer). */
async function scanValues(
  client: Redis,
  type: 'hash' | 'set' | 'zset',
  key: Buffer,
  cursor: string,
  count: number,
): Promise<Page> {
  const command = { hash: 'HSCAN', set: 'SSCAN', zset: 'ZSCAN' }[type];
  const [next, flat] = (await client.callBuffer(command, key, cursor, 'COUNT', String(count))) as [Buffer, Buffer[]];
  const items: RedisValueItem[] =
    type === 'set'
      ? flat.map((member) => ({ value: value(member) }))
      : pairs(flat).map(([a, b]) =>
          type === 'hash' ? { field: value(a), value: value(b) } : { value: value(a), score: b.toString() },
        );
  const nextCursor = next.toString();
  return { items, ...(nextCursor !== '0' ? { next: nextCursor } : {}) };
}
