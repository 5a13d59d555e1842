import type {
  QueryTemplateView,
  RedisRunResult,
  SqlCatalog,
  SqlExportFormat,
  SqlExportEnded,
  SqlExportProgress,
  SqlExportResult,
  SqlField,
  SqlResultStatus,
  SqlRunEnded,
  SqlRunningRun,
  SqlRunResult,
  TemplateParam,
} from '../../../../shared/contract';
import type { SqlClassification } from '../../../../shared/risk';
import type { CopyFormat } from '../../components/sql/copy-format';
import type { Notice } from './notice';

/** The SQL console of one profile: free text or a template, the last run, a pending confirmation. */
export interface SqlPane {
  text: string;
  running: boolean;
  /** The last settled run (read, committed, rolled back, refused, cancelled). */
  result?: SqlRunResult;
  /** A break-glass run waiting for the operator's decision. */
  pending?: SqlRunResult;
  /** A run started before this window (re)loaded, still in flight: cancellable, its answer went elsewhere. */
  elsewhere?: SqlRunningRun;
  typedName: string;
  error?: Notice;
  /** Live classification of `text` as typed. */
  classification?: SqlClassification;
  templateName?: string;
  params: Record<string, string>;
  enumOptions: Record<string, string[]>;
  /** The editor's selection (from = to: the cursor). */
  selection?: { from: number; to: number };
  /** The database's schema for completion (loaded after the first run, refreshable). */
  catalog?: SqlCatalog;
  /** A read streamed into the main process's result buffer, browsed by window. */
  grid?: GridPane;
  /** The last export to a file (running or finished). */
  exporting?: ExportPane;
}

export interface RedisPane {
  line: string;
  running: boolean;
  result?: RedisRunResult;
  /** A command waiting for confirmation (nothing was sent yet). */
  pending?: RedisRunResult;
  /** What was sent for `pending`: confirming resends it (the shown argv is masked and may be escaped bytes). */
  sent?: { argv: string[] } | { line: string };
  typedName: string;
  error?: Notice;
}

/** A template being written in the editor; `id` when it replaces a stored one. */
export interface TemplateDraft {
  id?: string;
  name: string;
  description: string;
  sql: string;
  params: TemplateParam[];
}

export interface TemplateEditor {
  draft: TemplateDraft;
  error?: Notice;
  saving: boolean;
}

export interface SqlSlice extends GridActions, ExportActions {
  templateEditor?: TemplateEditor;
  templateEditorOpened(name?: string): void;
  templateDraftEdited(change: Partial<TemplateDraft>): void;
  templateDraftParamEdited(index: number, change: Partial<TemplateParam>): void;
  templateDraftParamAdded(): void;
  templateDraftParamRemoved(index: number): void;
  templateSaveRequested(): Promise<void>;
  templateRemoveRequested(): Promise<void>;
  templateEditorClosed(): void;
  sqlPanes: Record<string, SqlPane>;
  redisPanes: Record<string, RedisPane>;
  templates: QueryTemplateView[];
  sqlEdited(profileId: string, text: string): void;
  sqlSelectionMoved(profileId: string, from: number, to: number): void;
  sqlCatalogRequested(profileId: string, refresh?: boolean): Promise<void>;
  sqlRunRequested(profileId: string): Promise<void>;
  sqlConfirmNameTyped(profileId: string, name: string): void;
  sqlDecided(profileId: string, decision: 'commit' | 'rollback'): Promise<void>;
  sqlCancelRequested(profileId: string): Promise<void>;
  sqlRunSettled(result: SqlRunResult): void;
  /** At start: the runs still waiting for a confirmation (the window reloaded) are shown again. */
  sqlPendingRequested(): Promise<void>;
  /** At start: the runs still in flight (the window reloaded while they ran) are shown running, with Cancel. */
  sqlRunningRequested(): Promise<void>;
  /** onSqlRunEnded: a run shown as running elsewhere ended (a pending one brings its dialog back). */
  sqlRunEnded(ended: SqlRunEnded): void;
  templatesRequested(): Promise<void>;
  templatePicked(profileId: string, name: string | undefined): Promise<void>;
  templateParamEdited(profileId: string, name: string, value: string): void;
  templateRunRequested(profileId: string): Promise<void>;
  redisLineEdited(profileId: string, line: string): void;
  redisRunRequested(profileId: string, argv?: string[]): Promise<void>;
  redisConfirmNameTyped(profileId: string, name: string): void;
  redisConfirmed(profileId: string): Promise<void>;
  redisDismissed(profileId: string): void;
}

/** One row of a result window: cells as text, NULL as null. */
export type Row = (string | null)[];

/** A result streamed into the main process and browsed here one window at a time. */
export interface GridPane {
  resultId: string;
  sql: string;
  fields: SqlField[];
  status: SqlResultStatus;
  /** Rows in the current view (all loaded rows, or those matching the filter). */
  viewCount: number;
  sort?: { column: number; direction: 'asc' | 'desc' };
  filter: string;
  /** Windows of the current view by block number; bumped `view` discards answers for an older one. */
  blocks: Record<number, Row[]>;
  view: number;
  selection?: { anchor: number; focus: number };
  viewer?: { row: number; column: number; value: string };
  copied?: string;
  error?: Notice;
}

export interface ExportPane {
  exportId: string;
  format: SqlExportFormat;
  path: string;
  running: boolean;
  progress?: SqlExportProgress;
  result?: SqlExportResult;
  error?: Notice;
  /** Started before this window (re)loaded: its end comes as onSqlExportEnded, not as an answer. */
  restored?: boolean;
}

export interface GridActions {
  sqlStreamRequested(profileId: string): Promise<void>;
  gridBlockNeeded(profileId: string, block: number): Promise<void>;
  gridSorted(profileId: string, column: number): void;
  gridFiltered(profileId: string, filter: string): void;
  gridRowSelected(profileId: string, row: number, extend: boolean): void;
  /** Copies the selection (or all rows) with the columns in `order`, the order shown (field indexes). */
  gridCopyRequested(profileId: string, format: CopyFormat, order?: number[]): Promise<void>;
  gridValueOpened(profileId: string, row: number, column: number, value: string): void;
  gridViewerClosed(profileId: string): void;
  gridClosed(profileId: string): Promise<void>;
  /** At start: the results still buffered (the window reloaded) are shown again, one grid per profile. */
  gridsRestored(): Promise<void>;
  /** onSqlResultProgress: rows arrived, or the stream ended. */
  sqlResultProgressed(status: SqlResultStatus): void;
}

export interface ExportActions {
  /**
   * Asks where to save (the system dialog; in the browser host, a new file in the data folder's
   * exports/), then exports there with the save token that answer carried. Dismissed: nothing.
   */
  sqlExportRequested(profileId: string, format: SqlExportFormat): Promise<void>;
  sqlExportCancelRequested(profileId: string): Promise<void>;
  /** onSqlExportProgress */
  sqlExportProgressed(progress: SqlExportProgress): void;
  /** At start: the exports still being written (the window reloaded) are shown with progress and Cancel. */
  exportsRestored(): Promise<void>;
  /** onSqlExportEnded: a restored export ended (written, cancelled, or failed). */
  sqlExportEnded(ended: SqlExportEnded): void;
}
