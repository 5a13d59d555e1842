/**
 * The sandbox's worker thread (one file: it is started without the TypeScript loader, which a
 * sibling import would need): PGlite (Postgres compiled to WASM) runs here so a long statement
 * or a cold start never blocks the core's event loop. Loaded only when a sandbox is opened.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import type { EngineOpenOptions, EngineRequest, EngineResponse } from './engine-protocol';

const options = workerData as EngineOpenOptions;

/**
 * Before a data folder is dumped as a template: two WAL switches with checkpoints and no
 * recycling leave one fresh, zero-filled segment instead of three full ones (86 MB → 54 MB on
 * disk, half the tarball), so every sandbox made from it untars and starts faster. What the
 * removed WAL held is already in the checkpointed tables.
 */
const compactWal =
  'SET wal_recycle = off; CHECKPOINT; SELECT pg_switch_wal(); CHECKPOINT; SELECT pg_switch_wal(); CHECKPOINT; RESET wal_recycle';
let db: PGlite | undefined;
let queue: SessionQueue | undefined;
let stopServing: (() => Promise<void>) | undefined;

async function open(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const fresh = !existsSync(options.dataDir) || readdirSync(options.dataDir).length === 0;
  // A fresh folder is filled from the template (skips initdb, ~15x faster than a cold start).
  const loadDataDir =
    fresh && options.templatePath && existsSync(options.templatePath)
      ? new Blob([readFileSync(options.templatePath)])
      : undefined;
  const opened = await PGlite.create(options.dataDir, {
    ...(loadDataDir ? { loadDataDir } : {}),
    ...(options.wasmModule ? { pgliteWasmModule: options.wasmModule } : {}),
  });
  queue = new SessionQueue(opened);
  if (options.socketPath) stopServing = await serveSession(queue, options.socketPath);
  return opened;
}

async function handle(request: EngineRequest, engine: PGlite): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const result = await engine.query(request.sql, request.params ?? [], { rowMode: 'object' });
      return {
        rows: result.rows,
        fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        affectedRows: result.affectedRows ?? 0,
      };
    }
    case 'exec':
      return (await engine.exec(request.sql)).map((r) => ({ rows: r.rows, affectedRows: r.affectedRows ?? 0 }));
    case 'dump': {
      await engine.exec(compactWal);
      const dump = await engine.dumpDataDir('gzip');
      writeFileSync(request.path, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      return { written: request.path };
    }
    case 'close':
      await stopServing?.();
      await engine.close();
      return { closed: true };
  }
}

/**
 * Frontend messages that leave a unit of work unfinished (extended protocol before its Sync:
 * Parse, Bind, Describe, Execute, Close, Flush; COPY data): the sender keeps the session.
 */
const unfinished = new Set([...'PBDECHdcf'].map((c) => c.charCodeAt(0)));

type Entry =
  | {
      handlerId: number;
      message: Uint8Array;
      onData(data: Uint8Array): void;
      resolve(bytes: number): void;
      reject(error: Error): void;
    }
  | { handlerId: number; work(): Promise<unknown>; resolve(value: unknown): void; reject(error: Error): void };

/**
 * PGlite is one Postgres session; every socket client and the core's own requests share it. This
 * queue gives it to one client at a time: a client that opened a transaction block, or sent an
 * extended-protocol message without its Sync yet, holds the session until it finishes (others
 * wait, queued), so two clients' transactions, unnamed statements and portals never interleave.
 * A client that goes away while holding it is rolled back. (pglite-socket's own queue releases the
 * session between Parse and Sync, so one client's Bind could run another's statement.)
 */
class SessionQueue {
  #queue: Entry[] = [];
  #running = false;
  #owner: number | undefined;
  // A plain field, not a parameter property: this file runs under Node's type stripping.
  private readonly db: PGlite;

  constructor(db: PGlite) {
    this.db = db;
  }

  /** A client's protocol message, answered through `onData` (the handler's interface). */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => this.push({ handlerId, message, onData, resolve, reject }));
  }

  /** Work of the core's own (a query, a dump) run when no client holds the session. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) =>
      this.push({ handlerId: -1, work, resolve: resolve as (value: unknown) => void, reject }),
    );
  }

  getQueueLength(): number {
    return this.#queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    const gone = this.#queue.filter((e) => e.handlerId === handlerId);
    this.#queue = this.#queue.filter((e) => e.handlerId !== handlerId);
    for (const entry of gone) entry.reject(new Error('the client disconnected'));
  }

  /** Rolls back what a departed client left open (a transaction block or an unsynced implicit one). */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#owner !== handlerId) return;
    // First in line: the session is still this client's until the rollback ran.
    await new Promise((resolve, reject) => {
      this.#queue.unshift({ handlerId, work: () => this.db.exec('ROLLBACK'), resolve, reject });
      void this.drain();
    }).catch(() => undefined);
    this.#owner = undefined;
    void this.drain();
  }

  private push(entry: Entry): void {
    this.#queue.push(entry);
    void this.drain();
  }

  private next(): Entry | undefined {
    const index = this.#owner === undefined ? 0 : this.#queue.findIndex((e) => e.handlerId === this.#owner);
    return index === -1 ? undefined : this.#queue.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let entry = this.next(); entry; entry = this.next()) await this.run(entry);
    } finally {
      this.#running = false;
    }
  }

  private async run(entry: Entry): Promise<void> {
    try {
      if ('work' in entry) {
        const value = await entry.work();
        // The core's own transaction (a rehearsal's BEGIN … ROLLBACK) holds the session too.
        this.#owner = this.db.isInTransaction() ? entry.handlerId : undefined;
        return entry.resolve(value);
      }
      let bytes = 0;
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(entry.message, {
          onRawData: (data) => ((bytes += data.length), entry.onData(data)),
        }),
      );
      const holds = unfinished.has(entry.message[0]!) || this.db.isInTransaction();
      this.#owner = holds ? entry.handlerId : undefined;
      entry.resolve(bytes);
    } catch (error) {
      entry.reject(error as Error);
    }
  }
}

/**
 * Serves the session on a Unix socket (never a TCP port), every connection through the queue.
 * Returns the function that stops it.
 */
async function serveSession(queue: SessionQueue, path: string, maxConnections = 8): Promise<() => Promise<void>> {
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket) => {
    if (handlers.size >= maxConnections) return void socket.end('too many connections to the embedded database\n');
    // The handler's type names pglite-socket's own queue class; ours has the same public surface.
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  return async () => {
    for (const handler of handlers) await handler.detach(true);
    await new Promise((resolve) => server.close(resolve));
  };
}

const ready = open().then((opened) => (db = opened));
ready.then(
  () => parentPort!.postMessage({ id: 0, ok: true, value: { ready: true } } satisfies EngineResponse),
  (error: Error) =>
    parentPort!.postMessage({ id: 0, ok: false, error: { message: error.message } } satisfies EngineResponse),
);

parentPort!.on('message', (request: EngineRequest) => {
  void ready
    // The core's requests take their turn on the one session like any socket client's.
    .then(() => (request.op === 'close' ? handle(request, db!) : queue!.exclusive(() => handle(request, db!))))
    .then(
      (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies EngineResponse),
      (error: Error & { code?: string; detail?: string; constraint?: string }) =>
        parentPort!.postMessage({
          id: request.id,
          ok: false,
          error: { message: error.message, code: error.code, detail: error.detail, constraint: error.constraint },
        } satisfies EngineResponse),
    );
});
