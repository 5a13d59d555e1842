import { z } from 'zod';
import { sqlTextRules } from '../sql-text';
import type { Recorded, ServerOutcome } from '../incident';
import type { Reason, RiskLevel } from '../risk';
import { operation, event } from './define';
import { profileIdSchema } from './profiles';

export interface SqlField {
  name: string;
  /** Postgres type name when known (int4, text, …), else the type OID as text. */
  type: string;
}

export interface SqlResult {
  fields: SqlField[];
  /** Rows as arrays in field order; bigint and numeric stay strings so nothing is rounded. */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}

/**
 * How a run ended: `read` (ran read-only), `pending` (previewed inside an open transaction, waiting
 * for `sql.confirm`), `committed`, `rolled_back` (the operator's choice, no confirmation in time,
 * or a failing statement), `refused` (the safety level, a wrong typed name, or Postgres refusing a
 * write in a read-only transaction), `cancelled` (the operator cancelled it while it ran), `unknown`
 * (the connection was lost during COMMIT and pg_xact_status could not settle it: check before retrying).
 */
export const sqlOutcomes = ['read', 'pending', 'committed', 'rolled_back', 'refused', 'cancelled', 'unknown'] as const;
export type SqlOutcome = (typeof sqlOutcomes)[number];

/** One statement of a run: its classification, what it returned or affected, and its plan. */
export interface SqlStatementResult extends SqlResult {
  text: string;
  risk: RiskLevel;
  reasons: Reason[];
  /** The command tag Postgres answered (SELECT, UPDATE, INSERT …); absent when it did not run. */
  command?: string;
  /** EXPLAIN of the statement, taken before it ran (writes previewed inside the transaction). */
  plan?: string;
  /** False when the statement did not run (it was not previewed, or an earlier one failed). */
  ran: boolean;
}

/** What the operator must do to commit a pending (or not previewable) run. */
export interface SqlConfirmationRequest {
  /** `type-profile-name`: production profiles; `confirm`: a plain confirmation. */
  policy: 'confirm' | 'type-profile-name';
  profileName: string;
  /** The open transaction is rolled back (or the un-previewed run dropped) at this UTC time. */
  expiresAt: string;
  timeoutMs: number;
  /** False when a statement cannot run inside a transaction: nothing ran yet, there is no preview. */
  previewed: boolean;
  /** Why there is no preview, when there is none. */
  note?: string;
}

export interface SqlRunResult {
  runId: string;
  profileId: string;
  profileName: string;
  risk: RiskLevel;
  outcome: SqlOutcome;
  statements: SqlStatementResult[];
  durationMs: number;
  /** Why it was refused, rolled back or cancelled; what the server said. */
  message?: string;
  /** Set while `outcome` is `pending`. */
  confirmation?: SqlConfirmationRequest;
  /** The template parameters as bound (secret ones shown as [redacted]). */
  parameters?: { name: string; value: unknown; secret: boolean }[];
  /** The Postgres user it runs (or would run) as: the profile's read user for reads, when it has one. */
  role?: string;
  /** For a write: what the server did with it, apart from whether the console recorded it. */
  serverOutcome?: ServerOutcome;
  /** Whether the outcome reached the timeline (true), waits in the fallback journal ('deferred'), or was not recorded (false). */
  recorded?: Recorded;
  /** The transaction id noted before COMMIT (settle an unknown outcome with pg_xact_status). */
  xid?: string;
}

/**
 * A run still in flight (its statements running, or a confirmed change being committed), as a
 * window that reloaded is shown it: the answer goes to the window that asked, so this one can
 * only cancel it (`sql.cancel`) or wait for `onSqlRunEnded`.
 */
export interface SqlRunningRun {
  runId: string;
  profileId: string;
  profileName: string;
  risk: RiskLevel;
  /** The statements' texts, as classified (bound values are not in them). */
  statements: string[];
  /** UTC, when its statements started to run (or the confirmation was given). */
  startedAt: string;
  /** `running`: its statements run (a read, or a preview being opened); `confirmed`: the operator confirmed it and it is being committed or run. */
  phase: 'running' | 'confirmed';
}

/** A run that was in flight ended: `failed` when it ended in an error rather than an outcome. */
export interface SqlRunEnded {
  runId: string;
  profileId: string;
  outcome: SqlOutcome | 'failed';
  /** What it was doing when it ended (a `confirmed` run that failed may have kept earlier statements). */
  phase: SqlRunningRun['phase'];
  /** The result's message, as `sql.run` and `onSqlRunSettled` carry it (never an error's text). */
  message?: string;
  /** For a write: what the server did with it (see SqlRunResult.serverOutcome). */
  serverOutcome?: ServerOutcome;
  /** The transaction id noted before COMMIT: settle an `unknown` outcome with pg_xact_status. */
  xid?: string;
  /** For `failed`: the error's code (ssh_disconnected, timeout, pg_error…), without its text. */
  code?: string;
}

/**
 * A SQL text as every boundary takes it: no NUL (the parser would stop there and never see the
 * rest), no lone UTF-16 surrogate (text that was not valid UTF-8), at most 10 MB.
 */
export const sqlTextSchema = sqlTextRules.reduce<z.ZodType<string, string>>(
  (schema, rule) => schema.refine(rule.ok, rule.message),
  z.string(),
);

const sqlText = z.string().min(1, 'is empty: type a statement').pipe(sqlTextSchema);

/**
 * A template from the library (by name or id) or from a runbook step (file path and step id). A
 * runbook outside the library comes with its text (the CLI's --runbook FILE reads it); the path
 * then only names it.
 */
export const templateRefSchema = z.union([
  z.object({ name: z.string().min(1).max(200) }).strict(),
  z.object({ runbook: z.string().min(1).max(4096), step: z.string().min(1).max(500) }).strict(),
  z
    .object({
      runbook: z.string().min(1).max(4096),
      step: z.string().min(1).max(500),
      text: z.string().max(10 * 1024 * 1024, 'is longer than 10 MB, the most a runbook can be'),
    })
    .strict(),
]);
export type TemplateRef = z.infer<typeof templateRefSchema>;

export const sqlRunInputSchema = z
  .object({
    profileId: profileIdSchema,
    /** Free SQL text; give either this or `template`. */
    sql: sqlText.optional(),
    template: templateRefSchema.optional(),
    /** Template parameter values by name (strings as typed, or typed values; lists as arrays). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Record into this incident instead of the active one. */
    incidentId: z.string().min(1).max(64).optional(),
    /** Run only what the classifier calls a read; anything else is refused and nothing is sent (assistants). */
    readsOnly: z.boolean().default(false),
  })
  .strict()
  .refine(
    (input) => (input.sql === undefined) !== (input.template === undefined),
    'give exactly one of sql or template',
  );

export const sqlOperations = {
  /**
   * Run a SQL text or a template: the one way SQL reaches a server. It is classified first (with
   * the profile's catalog for user functions, operators and views). A read runs inside BEGIN READ
   * ONLY (outcome `read`). Anything else is break-glass: refused on a read-only profile; a
   * transactional change runs inside a transaction that stays open (outcome `pending`, affected
   * rows and EXPLAIN per statement) until `sql.confirm`, rolled back when no confirmation comes
   * within the timeout (60 s). Irreversible statements (effects outside the transaction) and those
   * that cannot run in a transaction come back `pending` with `previewed: false`: nothing has run.
   */
  'sql.run': operation<SqlRunResult>()(sqlRunInputSchema, 'Run SQL (read-only, or break-glass with preview)'),
  /**
   * Commit or roll back a pending run. On a production profile `commit` needs `typedName` equal to
   * the profile's name; a wrong name is refused and rolls back. Any `typedName` given must match.
   */
  'sql.confirm': operation<SqlRunResult>()(
    z
      .object({
        runId: z.string().min(1).max(64),
        decision: z.enum(['commit', 'rollback']),
        typedName: z.string().max(200).optional(),
      })
      .strict(),
    'Commit or roll back a previewed SQL run',
  ),
  /**
   * The runs waiting for a confirmation, as `sql.run` answered them (outcome `pending`, with the
   * deadline in `confirmation.expiresAt`): a window that reloads asks again and shows them.
   */
  'sql.pending': operation<SqlRunResult[]>()(z.object({}).strict(), 'List the SQL runs waiting for a confirmation'),
  /**
   * The runs still in flight: their statements run, or a confirmed change is being committed. A
   * window that reloads asks, shows each as running with its Cancel, and learns the end from
   * `onSqlRunEnded` (the answer itself went to the window that asked).
   */
  'sql.running': operation<SqlRunningRun[]>()(z.object({}).strict(), 'List the SQL runs still running'),
  /**
   * Cancel what runs on the profile's Postgres (pg_cancel_backend over a second connection on the
   * same SSH session), or roll back its pending preview. `cancelled` is false when nothing ran.
   */
  'sql.cancel': operation<{ cancelled: boolean }>()(
    z.object({ profileId: profileIdSchema }).strict(),
    'Cancel the running SQL',
  ),
};

export const sqlEvents = {
  /** A pending run was settled (committed, rolled back, refused, cancelled, or timed out). */
  onSqlRunSettled: event<SqlRunResult>('A pending SQL run was settled'),
  /** A run `sql.running` listed (any run in flight) ended, with its outcome; no rows, no text. */
  onSqlRunEnded: event<SqlRunEnded>('A SQL run in flight ended'),
};
