import { z } from 'zod';
import type { RiskLevel } from '../risk';
import { operation, event } from './define';
import { profileIdSchema } from './profiles';
import { sqlExportFormats, type SqlExportFormat } from '../sql-export-formats';
import { templateRefSchema, type SqlField } from './sql';

/** How far a streamed result has come. */
export interface SqlResultStatus {
  resultId: string;
  /** Rows in the buffer so far. */
  rowCount: number;
  /** True once the cursor is exhausted, the stream failed, or it was closed. */
  done: boolean;
  /** From the start of the run to the first batch in the buffer. */
  firstRowMs: number;
  /** From the start to now (while streaming) or to the end. */
  durationMs: number;
  /** True when it stopped early because the operator cancelled or closed it. */
  cancelled: boolean;
  /** What went wrong after the first rows arrived. */
  error?: string;
}

/** A result streaming into the main process's buffer, read by window. */
export interface SqlResultInfo {
  resultId: string;
  profileId: string;
  sql: string;
  risk: RiskLevel;
  fields: SqlField[];
  status: SqlResultStatus;
}

export interface SqlResultWindow {
  /** Position of the first row in the (sorted, filtered) view. */
  offset: number;
  /** Rows as arrays in field order: strings as Postgres sent them, null for NULL. */
  rows: (string | null)[][];
  /** Rows in the view: the buffer's count, or how many matched the filter. */
  viewCount: number;
  status: SqlResultStatus;
}

export { sqlExportFormats, type SqlExportFormat };

export interface SqlExportProgress {
  exportId: string;
  rows: number;
  bytes: number;
  done: boolean;
}

/** An export still being written, as a window that reloaded is shown it. */
export interface SqlExportRunning {
  exportId: string;
  profileId: string;
  format: SqlExportFormat;
  path: string;
  progress: SqlExportProgress;
}

/** An export ended: written (`ok`), cancelled, or `failed` (why is in the incident timeline). */
export interface SqlExportEnded {
  exportId: string;
  profileId: string;
  outcome: SqlExportResult['outcome'] | 'failed';
  /** The file written (ok), or kept as .partial when it was asked to keep what was written. */
  path: string;
  rows: number;
  bytes: number;
  durationMs: number;
}

export interface SqlExportResult {
  exportId: string;
  path: string;
  format: SqlExportFormat;
  rows: number;
  bytes: number;
  durationMs: number;
  outcome: 'ok' | 'cancelled';
}

const resultId = z.string().min(1).max(64);

const sourceShape = {
  profileId: profileIdSchema,
  /** One read statement; give either this or `template`. */
  sql: z.string().min(1, 'is empty: type a statement').max(1_000_000, 'is longer than 1 MB').optional(),
  template: templateRefSchema.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  incidentId: z.string().min(1).max(64).optional(),
};
const oneSource = (input: { sql?: string; template?: unknown }) =>
  (input.sql === undefined) !== (input.template === undefined);

export const sqlResultOperations = {
  /**
   * Streams one read statement (inside BEGIN READ ONLY, through a cursor in batches) into a result
   * buffer in the main process: held in memory up to a bound, then spilled to a temp file. Answers
   * once the first batch is in; read it with `sql.readWindow`, free it with `sql.closeResult`.
   * Writes and several statements are refused: run those with `sql.run`.
   */
  'sql.openResult': operation<SqlResultInfo>()(
    z.object(sourceShape).strict().refine(oneSource, 'give exactly one of sql or template'),
    'Stream a read into a result buffer',
  ),
  /**
   * Rows `offset`…`offset+limit-1` of a buffered result, through its current view (sort and
   * filter over every row loaded so far, when set).
   */
  'sql.readWindow': operation<SqlResultWindow>()(
    z
      .object({
        resultId,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(5000),
        /** Sort by this column index (over the rows loaded at the time of the call). */
        sort: z
          .object({ column: z.number().int().min(0).max(1600), direction: z.enum(['asc', 'desc']) })
          .strict()
          .optional(),
        /** Keep rows where some value contains this text (case-insensitive). */
        filter: z.string().max(1000).optional(),
      })
      .strict(),
    'Read a window of a buffered result',
  ),
  /**
   * The buffered results still open (streaming or done), as `sql.openResult` answered them with
   * their status now: a window that reloads shows its grids again instead of leaving them held.
   */
  'sql.results': operation<SqlResultInfo[]>()(z.object({}).strict(), 'List the buffered results still open'),
  /** Stops the stream if it still runs and frees the buffer (and its temp file). */
  'sql.closeResult': operation<{ closed: boolean }>()(z.object({ resultId }).strict(), 'Free a buffered result'),
  /**
   * Streams a read to a file: CSV through `COPY (…) TO STDOUT (FORMAT csv, HEADER)` (byte for byte
   * what psql's `\copy … with (format csv, header)` writes), JSON Lines one object per row. Written
   * to a temp name and renamed at the end, so a failed or cancelled export leaves no partial file
   * (unless `keepPartial`). Progress comes as `onSqlExportProgress`; recorded in the incident.
   * CSV cells that a spreadsheet would run as a formula are neutralised unless `csvRaw`.
   */
  'sql.export': operation<SqlExportResult>()(
    z
      .object({
        ...sourceShape,
        format: z.enum(sqlExportFormats),
        /** Absolute path of the file to write: CLI only (--out); windows pass saveToken instead. */
        path: z.string().min(1, 'is empty: choose a file').max(4096).optional(),
        /** From app.chooseSavePath: the file the operator chose there. */
        saveToken: z.string().min(1).max(100).optional(),
        /** Replace an existing file (refused otherwise). */
        overwrite: z.boolean().default(false),
        /** Keep what was written when it is cancelled or fails (as `path`.partial). */
        keepPartial: z.boolean().default(false),
        /** CSV exactly as stored, for machine consumers: no apostrophe before =, +, -, @, tab or CR (spreadsheet formula) cells. */
        csvRaw: z.boolean().default(false),
        /** Chosen by the caller so it can cancel with `sql.cancelExport` before this answers. */
        exportId: z.string().min(1).max(64).optional(),
      })
      .strict()
      .refine(oneSource, 'give exactly one of sql or template')
      .refine(
        (input) => (input.path === undefined) !== (input.saveToken === undefined),
        'give exactly one of saveToken (from app.chooseSavePath) or path (CLI --out)',
      ),
    'Export a read to a CSV or JSON Lines file',
  ),
  /**
   * The exports still being written: a window that reloads shows each with its progress and its
   * Cancel, and learns its end from `onSqlExportEnded` (the answer went to the window that asked).
   */
  'sql.exports': operation<SqlExportRunning[]>()(z.object({}).strict(), 'List the exports still being written'),
  /** Cancels a running export; `cancelled` is false when no export has that id. */
  'sql.cancelExport': operation<{ cancelled: boolean }>()(
    z.object({ exportId: z.string().min(1).max(64) }).strict(),
    'Cancel a running export',
  ),
  /** Table and column names of the profile's database for completion (cached; `refresh` reloads). */
  'sql.catalog': operation<SqlCatalog>()(
    z.object({ profileId: profileIdSchema, refresh: z.boolean().default(false) }).strict(),
    'Schema for completion',
  ),
};

/** Tables (and views) by schema, with their columns, as completion needs them. */
export interface SqlCatalog {
  profileId: string;
  loadedAt: string;
  tables: { schema: string; name: string; kind: 'table' | 'view'; columns: { name: string; type: string }[] }[];
  /** Function names the user may call (built-ins and the database's own), for completion. */
  functions?: { schema: string; name: string }[];
}

export const sqlResultEvents = {
  /** A streaming result took in more rows, finished, or failed (at most a few times a second). */
  onSqlResultProgress: event<SqlResultStatus>('A streamed result progressed'),
  /** An export wrote more rows or finished. */
  onSqlExportProgress: event<SqlExportProgress>('An export progressed'),
  /** An export ended (any window may have started it): its outcome, file, rows and bytes; no error text. */
  onSqlExportEnded: event<SqlExportEnded>('An export ended'),
};
