import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OpsError } from '../errors';
import { engineCode } from './engine-code';
import type { EngineError, EngineOpenOptions, EngineRequest, EngineResponse, QueryResult } from './engine-protocol';

type EngineRequestBody = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'id'> : never) : never;

/** A Postgres error raised inside the sandbox, with its SQLSTATE and the constraint it names. */
export class SandboxQueryError extends Error {
  constructor(readonly detail: EngineError) {
    super(detail.message);
    this.name = 'SandboxQueryError';
  }
}

// The worker is TypeScript beside this file under tsx, and a sibling bundle in the built app.
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./engine-worker.ts', here) : new URL('./sandbox-worker.js', here);
}

/**
 * One embedded Postgres in its own worker thread. Closing it ends the thread, so its memory
 * (a few hundred MB of WASM heap) goes back at once.
 */
export class SandboxEngine {
  #next = 1;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly options: EngineOpenOptions,
  ) {
    worker.on('message', (response: EngineResponse) => this.settle(response));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('the sandbox engine stopped')));
  }

  /** Starts the worker and waits until Postgres inside it is ready. */
  static async open(options: EngineOpenOptions): Promise<SandboxEngine> {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const worker = new Worker(workerUrl(), { workerData: { ...options, wasmModule: await engineCode() } });
    const engine = new SandboxEngine(worker, options);
    try {
      await new Promise<void>((resolve, reject) => engine.#pending.set(0, { resolve: () => resolve(), reject }));
    } catch (error) {
      // A cluster that failed to start (a corrupt folder aborts the WASM) must not keep the thread, or the process, alive.
      await worker.terminate();
      throw error;
    }
    return engine;
  }

  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.send({ op: 'query', sql, params }) as Promise<QueryResult<R>>;
  }

  /** Runs a script of several statements (simple protocol): DDL and seeding only. */
  exec(sql: string): Promise<{ rows: unknown[]; affectedRows: number }[]> {
    return this.send({ op: 'exec', sql }) as Promise<{ rows: unknown[]; affectedRows: number }[]>;
  }

  /** Writes the data folder as a gzip tarball (a template for later sandboxes). */
  async dump(path: string): Promise<void> {
    await this.send({ op: 'dump', path });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.send({ op: 'close' }).catch(() => undefined);
    this.#closed = true;
    await this.worker.terminate();
  }

  private send(request: EngineRequestBody): Promise<unknown> {
    if (this.#closed) return Promise.reject(new OpsError('internal', 'The sandbox is closed: open it again.'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private settle(response: EngineResponse): void {
    const waiter = this.#pending.get(response.id);
    if (!waiter) return;
    this.#pending.delete(response.id);
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(new SandboxQueryError(response.error));
  }

  private failAll(error: Error): void {
    this.#closed = true;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

/** Bumped when templates are made differently (2: WAL compacted before the dump). */
export const templateFormat = 2;

/**
 * The initialised-cluster template, made once (a cold initdb) and kept in `cacheDir`; every
 * later sandbox loads it instead of running initdb. Keyed by the engine version so an upgrade
 * never loads an old cluster.
 */
export async function ensureTemplate(cacheDir: string, engineVersion: string): Promise<string> {
  const path = join(cacheDir, `pglite-${engineVersion}-${templateFormat}.tar.gz`);
  if (existsSync(path)) return path;
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const scratch = join(cacheDir, `.template-${process.pid}-${Date.now()}`);
  const engine = await SandboxEngine.open({ dataDir: scratch });
  try {
    await engine.dump(`${path}.partial`);
    renameSync(`${path}.partial`, path);
  } finally {
    await engine.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return path;
}
