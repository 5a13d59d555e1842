// Walking a Redis keyspace the way an on-call tool may: SCAN (never KEYS), bounded by a deadline,
// resumable from a cursor. Shared by the big-key health check and the Redis browser.
import { pipelinedKeyFacts, type PipelineClient } from './key-facts';

/** What a scan needs of a client: ioredis's `call`, and its `pipeline` when it has one. */
export interface ScanClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  pipeline?(): ReturnType<PipelineClient['pipeline']>;
}

export interface ScanOptions {
  /** Date.now() after which no further SCAN is sent; the batch in hand is still visited. */
  deadline: number;
  match?: string;
  /** Where to start: '0' (default) or the cursor a paused walk returned. */
  cursor?: string;
  /** Asked before each further SCAN: true pauses the walk (the result's cursor resumes it). */
  shouldPause?: () => boolean;
}

export interface ScanWalk {
  /** The whole keyspace was walked (the cursor came back to 0). */
  complete: boolean;
  scanned: number;
  elapsedMs: number;
  /** Where to resume; '0' once complete. */
  cursor: string;
}

/**
 * Batches whose visits (MEMORY USAGE pipelines) may be outstanding at once. Three, not two: on a
 * contended machine the SSH hop and Redis wait for a core, and a third pipeline queued keeps the
 * server busy meanwhile (contended big-key scan about 1.5x faster); deeper stops paying.
 */
const visitsInFlight = 3;

/**
 * Walks with SCAN cursor COUNT 1000 and calls `visit` per batch. The next SCAN is sent before the
 * batch is visited (SCAN ahead), so the round trip overlaps the visit's own calls; and a batch's
 * visit starts while the previous ones' replies are still coming (at most visitsInFlight), so the
 * server always has the next pipeline queued instead of waiting a round trip for it.
 */
export async function scanKeys(
  redis: ScanClient,
  options: ScanOptions,
  visit: (keys: string[]) => Promise<void>,
): Promise<ScanWalk> {
  const started = Date.now();
  const scan = (from: string) =>
    redis.call('SCAN', from, ...(options.match ? ['MATCH', options.match] : []), 'COUNT', '1000') as Promise<
      [string, string[]]
    >;
  let cursor = options.cursor ?? '0';
  let scanned = 0;
  let inFlight: Promise<[string, string[]]> | undefined = scan(cursor);
  const visiting: Promise<void>[] = [];
  try {
    while (inFlight) {
      const [next, keys] = await inFlight;
      cursor = String(next);
      scanned += keys.length;
      const more = cursor !== '0' && Date.now() < options.deadline && !options.shouldPause?.();
      inFlight = more ? scan(cursor) : undefined;
      // A failed visit must not leave the SCAN ahead unobserved (an unhandled rejection).
      inFlight?.catch(() => undefined);
      if (keys.length) {
        const visited = visit(keys);
        visited.catch(() => undefined);
        visiting.push(visited);
      }
      if (visiting.length >= visitsInFlight) await visiting.shift();
    }
    for (const pending of visiting) await pending;
  } finally {
    inFlight?.catch(() => undefined);
  }
  return { complete: cursor === '0', scanned, elapsedMs: Date.now() - started, cursor };
}

/**
 * `MEMORY USAGE key` (SAMPLES 5, the server's default) for every key, sent as one pipeline (pipelinedKeyFacts: one write,
 * so over SSH a few packets instead of one per key); null for a key that vanished or a refused command.
 */
export async function memoryUsages(redis: ScanClient, keys: string[]): Promise<(number | null)[]> {
  if (!redis.pipeline) {
    const asNumber = (reply: unknown) => (reply === null || reply === undefined ? null : Number(reply));
    return Promise.all(
      keys.map((key) => redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '5').then(asNumber, () => null)),
    );
  }
  const { facts } = await pipelinedKeyFacts({ pipeline: () => redis.pipeline!() }, keys, { memory: true });
  return facts.map((fact) => fact.memoryBytes);
}

/** Walks the keyspace sizing every key, keeping the `limit` biggest: the big-key sample. */
export async function biggestKeys(
  redis: ScanClient,
  options: ScanOptions,
  limit = 10,
): Promise<{ top: { key: string; bytes: number }[]; walk: ScanWalk }> {
  const top: { key: string; bytes: number }[] = [];
  const walk = await scanKeys(redis, options, async (keys) => {
    const sizes = await memoryUsages(redis, keys);
    // Only a key bigger than the smallest kept one can enter: most batches sort nothing.
    keys.forEach((key, i) => {
      const bytes = sizes[i] ?? 0;
      if (top.length < limit || bytes > top[top.length - 1]!.bytes) {
        top.push({ key, bytes });
        top.sort((a, b) => b.bytes - a.bytes).splice(limit);
      }
    });
  });
  return { top, walk };
}
