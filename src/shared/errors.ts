/**
 * Stable error codes that cross every boundary (IPC, WebSocket host, CLI --json).
 * A code never changes meaning once released; add new ones instead.
 */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'host_key_unknown',
  'host_key_changed',
  'host_key_revoked',
  'host_key_rejected',
  'ssh_auth_failed',
  'ssh_connect_failed',
  'ssh_disconnected',
  'pg_error',
  'redis_error',
  'refused',
  'cancelled',
  'timeout',
  'vault_error',
  /** An incident timeline's hash chain does not verify: it was changed outside the app. */
  'chain_broken',
  /** Neither the local store nor its fallback journal could take a record: the action was not sent. */
  'store_unavailable',
  /** The connection was lost (or the server went silent) before it answered a write: whether it was applied is unknown. CLI exit 3. */
  'outcome_unknown',
  /** The local store's schema is older than the code and a read-only command may not upgrade it. */
  'store_outdated',
  /** The system git is not installed (runbook sources from git need it). */
  'git_missing',
  /** git refused or failed (a remote that refuses, a rewritten history, a dirty clone): the message says which. */
  'git_failed',
  /** A PDF that only a browser can print (text the PDF writer's fonts cannot draw), and no browser could be started. */
  'browser_missing',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The shape of an error once it has crossed a boundary: a thrown Error keeps only its message over IPC. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
