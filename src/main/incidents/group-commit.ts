/** What became of one queued item once its batch was written: a value, or the error it alone met. */
export type Settled<R> = { value: R } | { error: unknown };

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items that arrive close together (within one turn of the event loop, or until
 * `maxBatch` of them are waiting) are written by ONE call of `write` (one transaction), and each
 * caller's promise settles only after that call returned, i.e. after the COMMIT that holds its
 * item. A caller alone waits one setImmediate; a burst of callers shares one commit instead of
 * paying one each. `write` settles every item itself (a refused item fails alone); if it throws,
 * every item of the batch fails with that error: none is reported written.
 */
export class GroupCommit<I, R> {
  #queue: Waiting<I, R>[] = [];
  #scheduled = false;

  constructor(
    private readonly write: (items: I[]) => Settled<R>[],
    private readonly maxBatch = 256,
  ) {}

  /** Queues one item; resolves with what `write` made of it, after its batch committed. */
  enqueue(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#queue.length >= this.maxBatch) this.flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // Not unref'd: a process must not exit with events waiting for their commit.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued now, in arrival order (a synchronous writer calls this first to keep order). */
  flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    let settled: Settled<R>[];
    try {
      settled = this.write(batch.map((w) => w.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = settled[i]!;
      if ('value' in outcome) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}

/** Runs `work` for one item: its value, or the error it threw. */
export function settle<R>(work: () => R): Settled<R> {
  try {
    return { value: work() };
  } catch (error) {
    return { error };
  }
}
