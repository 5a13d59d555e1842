import { pgCopyStreams } from '../drivers';
import { extended, withReadOnlyTransaction } from './read-only-transaction';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, rmSync, type WriteStream } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type {
  SqlExportEnded,
  SqlExportFormat,
  SqlExportProgress,
  SqlExportResult,
  SqlExportRunning,
} from '../../shared/contract';
import { OpsError } from '../errors';
import { createExclusive, placeFile } from '../files/exclusive-file';
import type { ProfileRepository } from '../store/profile-repository';
import type { PgConnectionRegistry } from './connection-registry';
import { csvHeader, csvLine } from './csv';
import { neutralizeCsvStream } from './csv-neutralize';
import { resolveReadSource, type ReadSource, type ReadSourceDeps, type ReadSourceInput } from './read-source';
import type { RecordEvent } from '../../shared/record-event';
import { backendPid, roundMs, sqlState } from './statement-runner';

export interface ExporterDeps extends ReadSourceDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: PgConnectionRegistry;
  record: RecordEvent;
  onProgress?(progress: SqlExportProgress): void;
  /** Told when an export listed by `running()` ends (a window that reloaded meanwhile waits for it). */
  onEnded?(ended: SqlExportEnded): void;
}

export interface ExportRequest extends ReadSourceInput {
  format: SqlExportFormat;
  path: string;
  overwrite?: boolean;
  keepPartial?: boolean;
  /** CSV as stored: formula cells are not neutralised (machine consumers). */
  csvRaw?: boolean;
  exportId?: string;
  incidentId?: string;
}

interface Running {
  profileId: string;
  /** The file being written (as `path`.partial until it is complete). */
  path: string;
  format: SqlExportFormat;
  counter: { rows: number; bytes: number };
  pid?: number;
  cancelled: boolean;
}

const batchRows = 10_000;
/** COPY arrives a row or a packet at a time; the file is written in pieces of about this size. */
const writeChunkBytes = 1024 * 1024;

/**
 * Gathers small chunks into pieces of about `size` bytes: one file write (one trip to libuv's
 * thread pool) per megabyte instead of one per SSH packet. `onBytes` counts what passes.
 */
function coalesce(size: number, onBytes: (bytes: number) => void): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  const release = (stream: Transform) => {
    if (heldBytes === 0) return;
    stream.push(held.length === 1 ? held[0] : Buffer.concat(held, heldBytes));
    held = [];
    heldBytes = 0;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= size) release(this);
      done();
    },
    flush(done) {
      release(this);
      done();
    },
  });
}

/**
 * Streams a read to a file without holding it: CSV through COPY … TO STDOUT (the server formats,
 * as fast as psql's \copy), JSON Lines from a cursor (row_to_json on the server keeps numbers,
 * booleans and NULL typed). Written to `path.partial`, renamed when complete.
 */
export class Exporter {
  readonly #running = new Map<string, Running>();

  constructor(private readonly deps: ExporterDeps) {}

  /** The exports still being written, with their progress now. */
  running(): SqlExportRunning[] {
    return [...this.#running.entries()].map(([exportId, { profileId, format, path, counter }]) => ({
      exportId,
      profileId,
      format,
      path,
      progress: { exportId, rows: counter.rows, bytes: counter.bytes, done: false },
    }));
  }

  /** What quitting now would drop: each export still being written. */
  openWork(): string[] {
    return [...this.#running.values()].map((running) => `an export to ${running.path} still being written`);
  }

  async export(request: ExportRequest): Promise<SqlExportResult> {
    if (!isAbsolute(request.path))
      throw new OpsError(
        'invalid_input',
        `path "${request.path}" is not absolute: give the full path of the file to write.`,
      );
    if (existsSync(request.path) && !request.overwrite)
      throw new OpsError(
        'conflict',
        `${request.path} already exists: choose another file or allow overwriting it (--overwrite).`,
      );
    const exportId = request.exportId ?? randomUUID();
    if (this.#running.has(exportId))
      throw new OpsError('conflict', `An export with id ${exportId} is already running: give a new exportId.`);
    const profile = this.deps.profiles.get(request.profileId);
    const source = await resolveReadSource(this.deps, request);
    const copyText =
      request.format === 'csv' && source.values.length === 0 ? await this.copyText(profile.id, source) : undefined;
    const partial = `${request.path}.partial`;
    // Created exclusively: a stale .partial, or a link planted at its name, is refused and left untouched.
    const file = createWriteStream('', { fd: createExclusive(partial) });
    const counter = { rows: 0, bytes: 0 };
    const running: Running = {
      profileId: profile.id,
      path: request.path,
      format: request.format,
      counter,
      cancelled: false,
    };
    this.#running.set(exportId, running);
    const started = performance.now();
    const ended = (outcome: SqlExportEnded['outcome'], path: string, durationMs: number) =>
      this.deps.onEnded?.({
        exportId,
        profileId: profile.id,
        outcome,
        path,
        rows: counter.rows,
        bytes: counter.bytes,
        durationMs,
      });
    const progress = (done: boolean) =>
      this.deps.onProgress?.({ exportId, rows: counter.rows, bytes: counter.bytes, done });
    const timer = setInterval(() => progress(false), 250);
    try {
      await this.deps.connections.run(
        profile.id,
        async (client) => {
          running.pid = backendPid(client);
          if (running.cancelled) throw new OpsError('cancelled', 'Cancelled before it started.');
          // No statement timeout (0): an export streams to disk for as long as the table takes, and the operator cancels it.
          await withReadOnlyTransaction(client, { statementTimeoutMs: 0 }, async () => {
            if (copyText) await this.copyCsv(client, copyText, file, counter, request.csvRaw ?? false);
            else
              await this.throughCursor(client, source, request.format, file, counter, running, request.csvRaw ?? false);
          });
        },
        'read',
      );
      if (running.cancelled) throw new OpsError('cancelled', 'Cancelled by the operator.');
      placeFile(partial, request.path, request.overwrite ?? false);
    } catch (error) {
      file.destroy();
      if (!request.keepPartial) rmSync(partial, { force: true });
      const durationMs = roundMs(performance.now() - started);
      if (running.cancelled) {
        this.recordExport(request, source, profile.name, counter, durationMs, 'cancelled');
        ended('cancelled', request.keepPartial ? partial : request.path, durationMs);
        return {
          exportId,
          path: request.keepPartial ? partial : request.path,
          format: request.format,
          rows: counter.rows,
          bytes: counter.bytes,
          durationMs,
          outcome: 'cancelled',
        };
      }
      const message =
        error instanceof OpsError
          ? error.message
          : `Postgres refused the export: ${(error as Error).message}. Nothing was written to ${request.path}.`;
      this.recordExport(request, source, profile.name, counter, durationMs, 'error', message);
      ended('failed', request.path, durationMs);
      throw error instanceof OpsError
        ? error
        : new OpsError(sqlState(error) ? 'pg_error' : 'internal', message, { cause: error });
    } finally {
      clearInterval(timer);
      this.#running.delete(exportId);
    }
    const durationMs = roundMs(performance.now() - started);
    progress(true);
    this.recordExport(request, source, profile.name, counter, durationMs, 'ok');
    ended('ok', request.path, durationMs);
    return {
      exportId,
      path: request.path,
      format: request.format,
      rows: counter.rows,
      bytes: counter.bytes,
      durationMs,
      outcome: 'ok',
    };
  }

  /**
   * COPY goes by the simple protocol (pg-copy-streams), where the server runs every statement a
   * text holds: the text around the query is parsed again, and sent only if it is still exactly one
   * statement, a read, ending where the text ends.
   */
  private async copyText(profileId: string, source: ReadSource): Promise<string> {
    const text = `COPY (${source.sql}) TO STDOUT WITH (FORMAT csv, HEADER)`;
    const { statements } = await this.deps.classify(text, profileId);
    const [only] = statements;
    if (statements.length !== 1 || only?.text !== text || only.risk !== 'read')
      throw new OpsError(
        'invalid_input',
        'sql does not stay one read statement inside COPY (…) TO STDOUT: export it with parameters or as JSON lines, or check its comments and quotes.',
      );
    return text;
  }

  private async copyCsv(
    client: pg.Client,
    copyText: string,
    file: WriteStream,
    counter: { rows: number; bytes: number },
    raw: boolean,
  ): Promise<void> {
    const copy = client.query(pgCopyStreams().to(copyText));
    const counted = coalesce(writeChunkBytes, (bytes) => (counter.bytes += bytes));
    await (raw ? pipeline(copy, counted, file) : pipeline(copy, neutralizeCsvStream(), counted, file));
    counter.rows = copy.rowCount;
  }

  private async throughCursor(
    client: pg.Client,
    source: ReadSource,
    format: SqlExportFormat,
    file: WriteStream,
    counter: { rows: number; bytes: number },
    running: Running,
    raw: boolean,
  ): Promise<void> {
    const text =
      format === 'jsonl'
        ? `SELECT row_to_json(opsconsole_row)::text FROM (${source.sql}) AS opsconsole_row`
        : source.sql;
    await client.query(
      extended({ text: `DECLARE opsconsole_export NO SCROLL CURSOR FOR ${text}`, values: source.values }),
    );
    let header = format === 'csv';
    for (;;) {
      if (running.cancelled) throw new OpsError('cancelled', 'Cancelled by the operator.');
      const batch = await client.query({ text: `FETCH FORWARD ${batchRows} FROM opsconsole_export`, rowMode: 'array' });
      const lines: string[] = header
        ? [
            csvHeader(
              batch.fields.map((f) => f.name),
              raw,
            ),
          ]
        : [];
      header = false;
      for (const row of batch.rows as unknown[][])
        lines.push(format === 'jsonl' ? `${String(row[0])}\n` : csvLine(row as (string | null)[], raw));
      const chunk = Buffer.from(lines.join(''));
      counter.bytes += chunk.length;
      counter.rows += batch.rows.length;
      if (!file.write(chunk)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      if (batch.rows.length < batchRows) break;
    }
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  private recordExport(
    request: ExportRequest,
    source: ReadSource,
    profileName: string,
    counter: { rows: number; bytes: number },
    durationMs: number,
    outcome: 'ok' | 'cancelled' | 'error',
    error?: string,
  ): void {
    this.deps.record(
      'sql.export',
      {
        profileId: request.profileId,
        profileName,
        sql: source.sql,
        risk: source.risk,
        role: this.deps.connections.userOf(request.profileId, 'read'),
        format: request.format,
        path: request.path,
        rows: counter.rows,
        bytes: counter.bytes,
        durationMs,
        outcome,
        keptPartial: outcome !== 'ok' && !!request.keepPartial,
        ...(error ? { error: error.slice(0, 5000) } : {}),
        ...(source.parameters?.length ? { parameters: source.parameters } : {}),
      },
      request.incidentId ? { incidentId: request.incidentId } : {},
    );
  }

  /** Cancels an export: the server stops the COPY or FETCH in flight; the partial file is removed. */
  async cancel(exportId: string): Promise<boolean> {
    const running = this.#running.get(exportId);
    if (!running) return false;
    running.cancelled = true;
    if (running.pid !== undefined)
      await this.deps.connections.cancelBackend(running.profileId, running.pid, 'read').catch(() => false);
    return true;
  }
}
