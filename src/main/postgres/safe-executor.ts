import type { SqlRunEnded, SqlRunningRun, SqlRunResult } from '../../shared/contract';
import type { SqlClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import { BreakGlass } from './break-glass';
import type { PgConnectionRegistry } from './connection-registry';
import { PendingRuns } from './pending-runs';
import type { RecordEvent } from '../../shared/record-event';
import { newRun, type SafeRun } from './run-context';
import { settleFailure } from './run-failures';
import { SqlRunRecording } from './run-recording';
import { withReadOnlyTransaction } from './read-only-transaction';
import { StatementLoop } from './statement-loop';
import { roundMs } from './statement-runner';

/** How long a previewed write waits for its confirmation before it is rolled back. */
export const defaultConfirmationTimeoutMs = 60_000;

export interface SafeExecutorDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: PgConnectionRegistry;
  /** The classifier, with the profile's catalog resolving user functions, operators and views. */
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  record: RecordEvent;
  /** Told when a pending run settles (the UI closes its dialog when the 60 s run out). */
  onSettled?(result: SqlRunResult): void;
  /** Told when a run in flight (see `running()`) ends: a window that reloaded meanwhile waits for it. */
  onEnded?(ended: SqlRunEnded): void;
  confirmationTimeoutMs?: number;
  now?: () => Date;
}

export interface SafeRunRequest {
  profileId: string;
  sql: string;
  /** Bound as $1…$n; never spliced into the text. */
  values?: unknown[];
  /** As recorded and shown: secret values already replaced by [redacted]. */
  parameters?: { name: string; value: unknown; secret: boolean }[];
  incidentId?: string;
  /** Refuse anything the classifier does not call a read: nothing is sent (the assistants' path). */
  readsOnly?: boolean;
}

/**
 * Runs SQL the way DESIGN.md's safety model says: reads inside BEGIN READ ONLY with the profile's
 * statement timeout and row cap (the server enforces what the classifier believes); anything else
 * is break-glass (`BreakGlass`) — refused on read-only profiles, else run inside a transaction kept
 * open as a preview until the operator confirms (typing the profile name on production), rolled
 * back by default and after the confirmation timeout. Every step is recorded in the incident timeline.
 */
export class SafeExecutor {
  readonly confirmationTimeoutMs: number;
  readonly #pending: PendingRuns;
  readonly #statements: StatementLoop;
  readonly #recording: SqlRunRecording;
  readonly #breakGlass: BreakGlass;
  /** The runs in flight, by run id: their answer goes to whoever asked, a reloaded window sees them here. */
  readonly #inFlight = new Map<string, SqlRunningRun>();
  /** Confirmed changes being committed (or run): closing waits for them, so their outcome is known and recorded. */
  readonly #committing = new Map<string, Promise<SqlRunResult>>();
  readonly #now: () => Date;
  /** Profiles with a change between its classification and its preview being held (or its end). */
  readonly #startingWrites = new Set<string>();

  constructor(private readonly deps: SafeExecutorDeps) {
    this.confirmationTimeoutMs = deps.confirmationTimeoutMs ?? defaultConfirmationTimeoutMs;
    this.#now = deps.now ?? (() => new Date());
    this.#recording = new SqlRunRecording(deps.record);
    this.#pending = new PendingRuns(this.confirmationTimeoutMs, this.#now, deps.onSettled);
    this.#statements = new StatementLoop(deps.connections);
    this.#breakGlass = new BreakGlass({
      connections: deps.connections,
      statements: this.#statements,
      recording: this.#recording,
      pending: this.#pending,
    });
  }

  async run(request: SafeRunRequest): Promise<SqlRunResult> {
    const run = await this.prepare(request);
    if (run.risk === 'read') return this.inFlight(run, 'running', () => this.readOnly(run));
    if (request.readsOnly) return this.refuseNonRead(run);
    // Checked again after classifying (prepare awaited it), and claimed in the same turn: two runs
    // sent together (a double click, two windows) both passed prepare's check, and the second's
    // preview waited behind the first and asked again once the first was committed — the same
    // change offered twice to a tired operator.
    const { profileName } = run.result;
    if (this.#startingWrites.has(run.profileId) || this.#pending.ofProfile(run.profileId))
      throw new OpsError(
        'conflict',
        `Another change on "${profileName}" is being previewed or waits for its confirmation: commit or roll it back first. This one was not sent.`,
      );
    this.#startingWrites.add(run.profileId);
    try {
      // Settles once the run is held for its confirmation (PendingRuns has it from then on) or has ended.
      return await this.inFlight(run, 'running', () => this.#breakGlass.start(run));
    } finally {
      this.#startingWrites.delete(run.profileId);
    }
  }

  /** Runs `work` listed in `running()` until it ends, then tells `onEnded` how it ended. */
  private async inFlight(
    run: SafeRun,
    phase: SqlRunningRun['phase'],
    work: () => Promise<SqlRunResult>,
  ): Promise<SqlRunResult> {
    const { runId, profileId, profileName, risk, statements } = run.result;
    const startedAt = this.#now().toISOString();
    this.#inFlight.set(runId, {
      runId,
      profileId,
      profileName,
      risk,
      statements: statements.map((s) => s.text),
      startedAt,
      phase,
    });
    let ended: SqlRunEnded = { runId, profileId, outcome: 'failed', phase };
    const running = (async () => {
      try {
        const result = await work();
        const { outcome, message, serverOutcome, xid } = result;
        ended = {
          ...ended,
          outcome,
          ...(message ? { message } : {}),
          ...(serverOutcome ? { serverOutcome } : {}),
          ...(xid ? { xid } : {}),
        };
        return result;
      } catch (error) {
        ended = { ...ended, code: error instanceof OpsError ? error.code : 'internal' };
        throw error;
      } finally {
        this.#inFlight.delete(runId);
        this.#committing.delete(runId);
        this.deps.onEnded?.(ended);
      }
    })();
    if (phase === 'confirmed') this.#committing.set(runId, running);
    return running;
  }

  /** Checks and classifies the request and builds its one run context; nothing is sent yet. */
  private async prepare(request: SafeRunRequest): Promise<SafeRun> {
    const profile = this.deps.profiles.get(request.profileId);
    const settings = this.deps.connections.settings(profile);
    if (this.#pending.ofProfile(profile.id))
      throw new OpsError(
        'conflict',
        `A previewed run on "${profile.name}" is waiting for its confirmation: commit or roll it back first.`,
      );
    const classification = await this.deps.classify(request.sql, profile.id);
    if (classification.statements.length === 0)
      throw new OpsError('invalid_input', 'sql has no statement (only whitespace or comments): type one.');
    if ((request.values?.length ?? 0) > 0 && classification.statements.length > 1) {
      throw new OpsError(
        'invalid_input',
        'A text with bound parameters must be one statement: split the template into several.',
      );
    }
    const roles = {
      read: this.deps.connections.userOf(profile.id, 'read'),
      write: this.deps.connections.userOf(profile.id, 'main'),
    };
    return newRun({ request, profile, classification, roles, limits: settings });
  }

  /** A non-read on the reads-only path: refused and recorded before any byte reaches the server. */
  private refuseNonRead(run: SafeRun): SqlRunResult {
    const { result } = run;
    const reasons = [...new Set(result.statements.flatMap((s) => s.reasons))];
    result.outcome = 'refused';
    result.message = `Only reads run here: this text is ${result.risk}${reasons.length ? ` (${reasons.join(', ')})` : ''}. Nothing was sent to the server. Propose the change instead, for a person to run.`;
    this.#recording.refusal(run, result.risk, result.message);
    return result;
  }

  /** A read: every statement inside one BEGIN READ ONLY, as the read role, streamed up to the row cap. */
  private async readOnly(run: SafeRun): Promise<SqlRunResult> {
    const started = performance.now();
    const limits = { statementTimeoutMs: run.statementTimeoutMs };
    try {
      await this.deps.connections.run(
        run.profileId,
        (client) =>
          withReadOnlyTransaction(client, limits, () => this.#statements.runAll(run, client, run.result, 'read')),
        'read',
      );
    } catch (error) {
      return settleFailure(this.#recording, run, run.result, { error, started, mode: 'read' });
    }
    run.result.durationMs = roundMs(performance.now() - started);
    this.#recording.read(run, run.result);
    return run.result;
  }

  /** A run waiting for its confirmation, as it would run: its profile, text and bound values. */
  pendingStatement(runId: string): { profileId: string; sql: string; values: unknown[] } | undefined {
    const pending = this.#pending.get(runId);
    return (
      pending && {
        profileId: pending.run.profileId,
        sql: pending.result.statements.map((s) => s.text).join(';\n'),
        values: pending.run.values ?? [],
      }
    );
  }

  /** The runs waiting for a confirmation, as the operator was shown them. */
  waiting(): SqlRunResult[] {
    return this.#pending.all().map((pending) => pending.result);
  }

  /** The runs in flight (statements running, a confirmed change committing), oldest first. */
  running(): SqlRunningRun[] {
    return [...this.#inFlight.values()];
  }

  /** The operator's answer to a pending run; a confirmed one is in flight until it is committed (or has run). */
  confirm(runId: string, decision: 'commit' | 'rollback', typedName?: string): Promise<SqlRunResult> {
    const pending = this.#pending.get(runId);
    if (!pending || decision !== 'commit') return this.#breakGlass.confirm(runId, decision, typedName);
    return this.inFlight(pending.run, 'confirmed', () => this.#breakGlass.confirm(runId, decision, typedName));
  }

  /** Drops the profile's pending preview, or cancels the statement running on it. */
  async cancel(profileId: string): Promise<boolean> {
    return (await this.#breakGlass.cancel(profileId)) || this.#statements.cancel(profileId);
  }

  /** What quitting now would roll back: runs waiting for confirmation, statements still running. */
  openWork(): string[] {
    const waiting = this.#pending
      .all()
      .map((pending) => `a ${pending.result.risk} run on ${pending.run.profile.name} waiting for your confirmation`);
    const confirmed = [...this.#inFlight.values()].filter((run) => run.phase === 'confirmed');
    const committing = new Set(confirmed.map((run) => run.profileId));
    const running = this.#statements
      .profileIds()
      .filter((profileId) => !committing.has(profileId))
      .map((profileId) => `a query still running on ${this.deps.profiles.get(profileId).name}`);
    return [
      ...waiting,
      ...confirmed.map((run) => `a confirmed ${run.risk} on ${run.profileName} still being committed`),
      ...running,
    ];
  }

  /**
   * The app is closing: a confirmed change being committed is waited for (up to 10 s) so its outcome
   * is known and recorded, then every pending run is rolled back.
   */
  async dispose(): Promise<void> {
    if (this.#committing.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#committing.values()]),
        new Promise((resolve) => (timer = setTimeout(resolve, 10_000))),
      ]);
      clearTimeout(timer);
    }
    return this.#breakGlass.dispose();
  }
}
