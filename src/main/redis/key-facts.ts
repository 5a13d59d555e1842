/** What the facts need of a client: a pipeline (ioredis's), so every question goes in one write. */
export interface PipelineClient {
  pipeline(): {
    call(command: string, ...args: (string | Buffer | number)[]): unknown;
    exec(): Promise<[Error | null, unknown][] | null>;
  };
}

/** What to ask about each key; every answer comes from one pipelined round trip per batch. */
export interface KeyFactsWanted {
  type?: boolean;
  ttl?: boolean;
  memory?: boolean;
}

/** One key's answers; null where the server refused (ACL, unknown command) or the key vanished. */
export interface KeyFact {
  type: string | null;
  ttlMs: number | null;
  memoryBytes: number | null;
}

/**
 * TYPE, PTTL and MEMORY USAGE of many keys in one pipeline (one round trip instead of one per key
 * and command): the path the key browser's pages, the sampled big-key / TTL scans and the big-key
 * health check (key-scan.ts memoryUsages) share.
 * A command the ACL user may not run answers null for that fact; the others still count.
 */
export async function pipelinedKeyFacts(
  client: PipelineClient,
  keys: (string | Buffer)[],
  wanted: KeyFactsWanted,
): Promise<{ facts: KeyFact[]; refused: Set<string> }> {
  const asked = (['type', 'ttl', 'memory'] as const).filter((f) => wanted[f]);
  if (keys.length === 0 || asked.length === 0)
    return { facts: keys.map(() => ({ type: null, ttlMs: null, memoryBytes: null })), refused: new Set() };
  const pipeline = client.pipeline();
  for (const key of keys) {
    if (wanted.type) pipeline.call('TYPE', key);
    if (wanted.ttl) pipeline.call('PTTL', key);
    // SAMPLES 5 is the server's default: leaving it out takes a third off every MEMORY USAGE sent.
    if (wanted.memory) pipeline.call('MEMORY', 'USAGE', key);
  }
  const answers = (await pipeline.exec()) ?? [];
  const refused = new Set<string>();
  // Indexed in place rather than sliced per key: a batch is a thousand keys, every few milliseconds.
  const facts = keys.map((_, i) => {
    const fact: KeyFact = { type: null, ttlMs: null, memoryBytes: null };
    asked.forEach((field, j) => {
      const [error, value] = answers[i * asked.length + j] ?? [new Error('no answer'), null];
      if (error) return void refused.add(`${field}: ${error.message}`);
      if (field === 'type') fact.type = String(value);
      else if (field === 'ttl') fact.ttlMs = Number(value);
      else fact.memoryBytes = value === null ? null : Number(value);
    });
    return fact;
  });
  return { facts, refused };
}
