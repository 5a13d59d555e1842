import { extended, withReadOnlyTransaction } from './read-only-transaction';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SqlResultInfo, SqlResultStatus, SqlResultWindow } from '../../shared/contract';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import type { PgConnectionRegistry } from './connection-registry';
import { resolveReadSource, type ReadSource, type ReadSourceDeps, type ReadSourceInput } from './read-source';
import { RowStore } from './row-store';
import type { RecordEvent } from '../../shared/record-event';
import { backendPid, roundMs, sqlState } from './statement-runner';
import { typeName } from './type-names';
import { ResultView, type ViewSpec } from './result-view';

export interface ResultBuffersDeps extends ReadSourceDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: PgConnectionRegistry;
  record: RecordEvent;
  onProgress?(status: SqlResultStatus): void;
  /** Decoded rows held in memory per result before the rest spills to a temp file. */
  memoryBytes?: number;
  batchRows?: number;
}

interface Buffer {
  info: SqlResultInfo;
  store: RowStore;
  started: number;
  stop: boolean;
  pid?: number;
  view?: ResultView;
  finished: Promise<void>;
}

const cursorName = 'opsconsole_stream';

/**
 * Results streamed from a cursor in batches into the main process (RowStore: memory up to a bound,
 * then a temp file), read by the renderer one window at a time, so neither side holds a million
 * rows as objects. A stream holds the profile's connection until it ends or is closed.
 */
export class ResultBuffers {
  readonly #buffers = new Map<string, Buffer>();
  readonly #memoryBytes: number;
  readonly #batchRows: number;

  constructor(private readonly deps: ResultBuffersDeps) {
    this.#memoryBytes = deps.memoryBytes ?? 32 * 1024 * 1024;
    this.#batchRows = deps.batchRows ?? 10_000;
  }

  async open(input: ReadSourceInput & { incidentId?: string }): Promise<SqlResultInfo> {
    const profile = this.deps.profiles.get(input.profileId);
    const settings = this.deps.connections.settings(profile);
    const source = await resolveReadSource(this.deps, input);
    const resultId = randomUUID();
    const status: SqlResultStatus = {
      resultId,
      rowCount: 0,
      done: false,
      firstRowMs: 0,
      durationMs: 0,
      cancelled: false,
    };
    const info: SqlResultInfo = {
      resultId,
      profileId: profile.id,
      sql: source.sql,
      risk: source.risk,
      fields: [],
      status,
    };
    let firstBatch!: () => void;
    const ready = new Promise<void>((resolve) => (firstBatch = resolve));
    const buffer: Buffer = {
      info,
      store: new RowStore(this.#memoryBytes),
      started: performance.now(),
      stop: false,
      finished: Promise.resolve(),
    };
    this.#buffers.set(resultId, buffer);
    const progress = throttle(() => this.deps.onProgress?.({ ...this.status(buffer) }), 250);
    buffer.finished = this.deps.connections
      .run(
        profile.id,
        async (client) => {
          buffer.pid = backendPid(client);
          await withReadOnlyTransaction(client, { statementTimeoutMs: settings.statementTimeoutMs }, async () => {
            await client.query(
              extended({ text: `DECLARE ${cursorName} NO SCROLL CURSOR FOR ${source.sql}`, values: source.values }),
            );
            const fetch = (): Promise<pg.QueryArrayResult> =>
              client.query({ text: `FETCH FORWARD ${this.#batchRows} FROM ${cursorName}`, rowMode: 'array' });
            // One FETCH always in flight ahead: the server produces the next batch while this one is stored.
            let next: Promise<pg.QueryArrayResult> | undefined = fetch();
            while (next) {
              const batch: pg.QueryArrayResult = await next;
              next = batch.rows.length === this.#batchRows && !buffer.stop ? fetch() : undefined;
              next?.catch(() => undefined);
              if (info.fields.length === 0)
                info.fields = batch.fields.map((f) => ({ name: f.name, type: typeName(f.dataTypeID) }));
              buffer.store.append(batch.rows as unknown[][]);
              if (status.firstRowMs === 0) status.firstRowMs = roundMs(performance.now() - buffer.started);
              firstBatch();
              progress();
            }
          });
        },
        'read',
      )
      .then(
        () => this.end(buffer, input, source.parameters),
        (error: unknown) => {
          const cancelled = buffer.stop && sqlState(error) === '57014';
          const message = error instanceof Error ? error.message : String(error);
          this.end(buffer, input, source.parameters, cancelled ? undefined : message);
        },
      )
      .finally(() => {
        firstBatch();
        this.deps.onProgress?.({ ...this.status(buffer) });
      });
    await ready;
    if (status.error && status.rowCount === 0) {
      this.dispose(resultId);
      throw new OpsError('pg_error', `Postgres refused the statement: ${status.error}`);
    }
    return { ...info, status: this.status(buffer) };
  }

  private end(
    buffer: Buffer,
    input: { incidentId?: string },
    parameters: ReadSource['parameters'],
    error?: string,
  ): void {
    const { info } = buffer;
    const status = info.status;
    status.done = true;
    status.cancelled = buffer.stop;
    status.durationMs = roundMs(performance.now() - buffer.started);
    if (error) status.error = error;
    if (status.firstRowMs === 0) status.firstRowMs = status.durationMs;
    const profile = this.deps.profiles.get(info.profileId);
    this.deps.record(
      'sql.run',
      {
        profileId: profile.id,
        profileName: profile.name,
        sql: info.sql,
        risk: info.risk,
        role: this.deps.connections.userOf(profile.id, 'read'),
        readOnly: true,
        rowCount: buffer.store.count,
        durationMs: status.durationMs,
        outcome: error ? 'error' : buffer.stop ? 'cancelled' : 'ok',
        ...(error ? { error: error.slice(0, 5000) } : {}),
        ...(parameters?.length ? { parameters } : {}),
      },
      input.incidentId ? { incidentId: input.incidentId } : {},
    );
  }

  private status(buffer: Buffer): SqlResultStatus {
    const status = buffer.info.status;
    status.rowCount = buffer.store.count;
    if (!status.done) status.durationMs = roundMs(performance.now() - buffer.started);
    return { ...status };
  }

  private get(resultId: string): Buffer {
    const buffer = this.#buffers.get(resultId);
    if (!buffer)
      throw new OpsError(
        'not_found',
        `No result ${resultId}: it was closed (or the app restarted). Run the query again.`,
      );
    return buffer;
  }

  /** A window of rows through the requested view (the whole buffer in order when no sort or filter). */
  readWindow(resultId: string, offset: number, limit: number, spec: ViewSpec = {}): SqlResultWindow {
    const buffer = this.get(resultId);
    const status = this.status(buffer);
    if (!spec.sort && !spec.filter) {
      return {
        offset,
        rows: buffer.store.read(offset, limit) as (string | null)[][],
        viewCount: buffer.store.count,
        status,
      };
    }
    if (!buffer.view || !buffer.view.matches(spec, buffer.store.count))
      buffer.view = ResultView.build(buffer.store, spec);
    return { offset, rows: buffer.view.read(buffer.store, offset, limit), viewCount: buffer.view.count, status };
  }

  /** Stops the stream of a result (the server cancels the FETCH in flight). */
  async stop(resultId: string): Promise<boolean> {
    const buffer = this.#buffers.get(resultId);
    if (!buffer || buffer.info.status.done) return false;
    buffer.stop = true;
    if (buffer.pid !== undefined)
      await this.deps.connections.cancelBackend(buffer.info.profileId, buffer.pid, 'read').catch(() => false);
    await buffer.finished;
    return true;
  }

  /** Stops every stream running on a profile (the console's Cancel). */
  async cancelProfile(profileId: string): Promise<boolean> {
    const running = [...this.#buffers.values()].filter((b) => b.info.profileId === profileId && !b.info.status.done);
    const stopped = await Promise.all(running.map((b) => this.stop(b.info.resultId)));
    return stopped.some(Boolean);
  }

  /** Every buffer still open, oldest first, with its status now. */
  list(): SqlResultInfo[] {
    return [...this.#buffers.values()].map((buffer) => ({ ...buffer.info, status: this.status(buffer) }));
  }

  async close(resultId: string): Promise<boolean> {
    if (!this.#buffers.has(resultId)) return false;
    await this.stop(resultId);
    this.dispose(resultId);
    return true;
  }

  private dispose(resultId: string): void {
    this.#buffers.get(resultId)?.store.dispose();
    this.#buffers.delete(resultId);
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.#buffers.keys()].map((id) => this.close(id)));
  }
}

function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  return () => {
    const now = performance.now();
    if (now - last < ms) return;
    last = now;
    fn();
  };
}
