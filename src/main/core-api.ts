import type { InputOf, OperationName, OutputOf } from '../shared/contract';
import type { PdfRenderer } from './incidents/index';
import type { SavePathRequest } from './files/export-targets';

export type { SavePathRequest };
import type { EventListener } from './lifecycle/events';
import type { HostKeyPrompter } from './ssh/host-key-policy';
import type { VaultKeySource } from './vault/vault';

/** What the composition root is given: where the data lives, and the adapters of the process that runs it. */
export interface CoreDeps {
  /** The data folder: SQLite store, key file (when no keychain), logs. */
  dataDir: string;
  version?: string;
  /** known_hosts files consulted before the app's trust store; ~/.ssh/known_hosts by default. */
  knownHostsFiles?: string[];
  /** Overrides the event-driven prompt (the CLI answers from --trust-host-key). */
  hostKeyPrompter?: HostKeyPrompter;
  keySource?: VaultKeySource;
  agentSocket?: string;
  operator?: string;
  now?: () => Date;
  /** How long an unanswered host-key prompt waits before it counts as "no". */
  hostKeyPromptTimeoutMs?: number;
  /** Prints incident reports the PDF writer cannot draw (CJK, right-to-left scripts…) from their HTML: Electron's printToPDF in the app, headless Chromium otherwise. */
  pdfRenderer?: PdfRenderer;
  /** The operator's time zone for reports; the system's by default. */
  timeZone?: string;
  /** Opens an https link in the system browser (Electron's shell.openExternal); the browser host has none. */
  openExternal?: (url: string) => Promise<void>;
  /** The system's save dialog (Electron's dialog.showSaveDialog): an absolute path, or null when dismissed. */
  chooseSavePath?: (options: SavePathRequest) => Promise<string | null>;
  /** The runbooks shipped with the app; the repository's runbooks/ folder by default. */
  bundledRunbooksDir?: string;
  /** Pulls the git runbook sources this often in the background (the app: 15 min); off when unset (the CLI syncs on demand). */
  runbookSyncIntervalMs?: number;
  /** How long a previewed write waits for its confirmation before rolling back (60 s by default). */
  confirmationTimeoutMs?: number;
  /**
   * Whether an export request may name its file by path (the CLI's --out). Off for every window:
   * they pass a save token from app.chooseSavePath instead.
   */
  acceptExportPaths?: boolean;
  /**
   * Where the embedded engine's templates (an initialised cluster, the seeded demo) are cached;
   * OPSCONSOLE_SANDBOX_CACHE, else the data folder. Tests share one to skip initdb per folder.
   */
  sandboxTemplateDir?: string;
  /** Opens the store read-only (commands that only read): no migration, no write lock, works on a read-only file. */
  readOnlyStore?: boolean;
  /** Team mode's continuous link (LISTEN/NOTIFY, presence): the app and the browser host; the CLI ships after a command instead. */
  teamLive?: boolean;
  /** The live link's presence beat (5 s by default); it fetches as a fallback to NOTIFY every third beat. */
  teamHeartbeatMs?: number;
  /** The saved query folder (OPSCONSOLE_QUERIES); overrides the one set in Settings and the data folder's queries/. */
  queriesDir?: string;
}

/** What every transport (IPC, the WebSocket host, the CLI, the MCP server) holds: the contract and its events. */
export interface Core {
  /** Validates the input with the operation's zod schema, then runs it: what every transport calls. */
  invoke<K extends OperationName>(name: K, input: InputOf<K>): Promise<OutputOf<K>>;
  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Scrubs every secret this process has opened from a text (logs, error messages). */
  redact(text: string): string;
  /** Entries of the data folder that could not be made private (0700 folder, 0600 files): shown by the app and the CLI. */
  fileWarnings: readonly string[];
  /** After the laptop wakes: checks every session at once and rebuilds the dead ones. */
  resume(): Promise<void>;
  /** Closes everything the core opened, in the reverse order it was built. */
  dispose(): Promise<void>;
}
