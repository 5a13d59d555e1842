import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SqlRunResult } from '../../shared/contract';
import { writePolicy, type ProfileView } from '../../shared/profile';
import type { SqlClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import type { PgConnectionRegistry } from './connection-registry';
import { commitWithOutcome } from './commit-outcome';
import { commitDecision, PendingRuns, type Decision } from './pending-runs';
import { aftermath, failureOf, type RunMode } from './run-failures';
import type { RecordEvent } from '../../shared/record-event';
import { SqlRunRecording, type RunContext } from './run-recording';
import { pinSessionSettings, withReadOnlyTransaction } from './read-only-transaction';
import { planWithoutRunning } from './unpreviewed-plans';
import { explainable, unpreviewableNote } from './statement-traits';
import { backendPid, notRun, roundMs, runStatement, sqlState, type RunningStatement } from './statement-runner';

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
 * is break-glass — refused on read-only profiles, else run inside a transaction kept open as a
 * preview until the operator confirms (typing the profile name on production), rolled back by
 * default and after the confirmation timeout. Every step is recorded in the incident timeline.
 */
export class SafeExecutor {
  readonly confirmationTimeoutMs: number;
  readonly #pending: PendingRuns;
  readonly #running = new Map<string, RunningStatement>();
  readonly #recording: SqlRunRecording;
  readonly #now: () => Date;

  constructor(private readonly deps: SafeExecutorDeps) {
    this.confirmationTimeoutMs = deps.confirmationTimeoutMs ?? defaultConfirmationTimeoutMs;
    this.#recording = new SqlRunRecording(deps.record);
    this.#now = deps.now ?? (() => new Date());
    this.#pending = new PendingRuns(this.confirmationTimeoutMs, this.#now, deps.onSettled);
  }

  async run(request: SafeRunRequest): Promise<SqlRunResult> {
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
    const ctx: RunContext = {
      profileId: profile.id,
      profileName: profile.name,
      sql: request.sql,
      parameters: request.parameters,
      incidentId: request.incidentId,
      roles,
      risk: classification.risk,
    };
    const result: SqlRunResult = {
      runId: randomUUID(),
      profileId: profile.id,
      profileName: profile.name,
      risk: classification.risk,
      outcome: 'read',
      statements: classification.statements.map(notRun),
      durationMs: 0,
      role: classification.risk === 'read' ? roles.read : roles.write,
      ...(request.parameters?.length ? { parameters: request.parameters } : {}),
    };
    if (classification.risk === 'read')
      return this.readOnly(ctx, result, request.values, settings.statementTimeoutMs, settings.rowCap);
    if (request.readsOnly) return this.refuseNonRead(ctx, result);
    return this.breakGlass(ctx, profile, result, request.values, settings.statementTimeoutMs, settings.rowCap);
  }

  /** A non-read on the reads-only path: refused and recorded before any byte reaches the server. */
  private refuseNonRead(ctx: RunContext, result: SqlRunResult): SqlRunResult {
    const reasons = [...new Set(result.statements.flatMap((s) => s.reasons))];
    result.outcome = 'refused';
    result.message = `Only reads run here: this text is ${result.risk}${reasons.length ? ` (${reasons.join(', ')})` : ''}. Nothing was sent to the server. Propose the change instead, for a person to run.`;
    this.#recording.refusal(ctx, result.risk, result.message);
    return result;
  }

  private async readOnly(
    ctx: RunContext,
    result: SqlRunResult,
    values: unknown[] | undefined,
    timeoutMs: number,
    rowCap: number,
  ): Promise<SqlRunResult> {
    const started = performance.now();
    try {
      await this.deps.connections.run(
        ctx.profileId,
        (client) =>
          withReadOnlyTransaction(client, { statementTimeoutMs: timeoutMs }, () =>
            this.runAll(ctx.profileId, client, result, values, rowCap, false, true),
          ),
        'read',
      );
    } catch (error) {
      return this.settleFailure(ctx, result, error, started, timeoutMs, 'read');
    }
    result.durationMs = roundMs(performance.now() - started);
    this.#recording.read(ctx, result);
    return result;
  }

  /** Runs every statement in order into `result`; a failure leaves the rest `ran: false`. */
  private async runAll(
    profileId: string,
    client: pg.Client,
    result: SqlRunResult,
    values: unknown[] | undefined,
    rowCap: number,
    plan: boolean,
    readOnly = false,
  ): Promise<void> {
    const running: RunningStatement = {
      pid: backendPid(client),
      cancelRequested: false,
      role: readOnly ? 'read' : 'main',
    };
    this.#running.set(profileId, running);
    try {
      for (let i = 0; i < result.statements.length; i++) {
        const statement = result.statements[i]!;
        result.statements[i] = await runStatement(client, statement, values, rowCap, {
          plan: plan && explainable(statement.text),
          cursor: !plan && readOnly,
        });
      }
    } catch (error) {
      if (running.cancelRequested && sqlState(error) === '57014')
        throw new OpsError('cancelled', 'Cancelled by the operator while it ran.', { cause: error });
      const lost = this.deps.connections.lostReason(client);
      if (lost)
        throw new OpsError(
          'ssh_disconnected',
          `The statement did not finish: the SSH session was lost while it ran (${lost}). Nothing was committed. Run it again once the profile shows ready.`,
          { cause: error },
        );
      throw error;
    } finally {
      if (this.#running.get(profileId) === running) this.#running.delete(profileId);
    }
  }

  /**
   * Maps a failure to a result (cancelled; a write Postgres refused in the read-only transaction)
   * or rethrows it as an OpsError with a plain message, recording it either way.
   */
  private settleFailure(
    ctx: RunContext,
    result: SqlRunResult,
    error: unknown,
    started: number,
    timeoutMs: number,
    mode: RunMode,
  ): SqlRunResult {
    result.durationMs = roundMs(performance.now() - started);
    if (error instanceof OpsError && error.code === 'cancelled') {
      result.outcome = 'cancelled';
      result.message = `Cancelled by the operator while it ran: ${aftermath[mode]}.`;
      if (mode === 'read') this.#recording.read(ctx, result);
      else
        (this.#recording.cancel(ctx, 'cancelled by the operator while it ran'),
          this.#recording.write(ctx, result, 'cancelled'));
      return result;
    }
    if (mode === 'read' && sqlState(error) === '25006') {
      result.outcome = 'refused';
      result.message = `Postgres refused a write inside the read-only transaction (${(error as Error).message}). The classifier judged this text a read; nothing was changed. Run it as a write if that is what you meant.`;
      this.#recording.read(ctx, result);
      return result;
    }
    const failure = failureOf(error, mode, timeoutMs);
    this.#recording.failed(ctx, result.risk, mode === 'read', result.durationMs, failure.code, failure.message);
    throw failure;
  }

  private async breakGlass(
    ctx: RunContext,
    profile: ProfileView,
    result: SqlRunResult,
    values: unknown[] | undefined,
    timeoutMs: number,
    rowCap: number,
  ): Promise<SqlRunResult> {
    const policy = writePolicy(profile);
    const refuse = (message: string) => {
      result.outcome = 'refused';
      result.message = message;
      this.#recording.refusal(ctx, result.risk, message);
      return result;
    };
    if (policy === 'forbidden')
      return refuse(
        `Profile "${profile.name}" is read-only: its safety level forbids writes, so this ${result.risk} text was not run. Use a profile whose safety level allows break-glass writes.`,
      );
    if (result.statements.some((s) => s.reasons.some((r) => r.startsWith('transaction_control')))) {
      return refuse(
        'The text has BEGIN, COMMIT, ROLLBACK or SAVEPOINT: the console runs a write in its own transaction and commits only after your confirmation. Remove them and run it again.',
      );
    }
    const pinned = result.statements.flatMap((s) => s.reasons.filter((r) => r.startsWith('pinned_setting')));
    if (pinned.length > 0) {
      return refuse(
        `The text changes ${pinned.map((r) => r.slice('pinned_setting:'.length)).join(', ')}, which the console pins so that it reads string literals exactly as the server does. Remove that statement.`,
      );
    }
    const unpreviewable = unpreviewableNote(result.statements);
    if (unpreviewable) {
      // A plan is shown only where planning runs nothing; without one the text alone is shown.
      await planWithoutRunning(this.deps.connections, ctx.profileId, result.statements, values, timeoutMs).catch(
        () => undefined,
      );
      return this.awaitUnpreviewed(ctx, profile, result, values, timeoutMs, rowCap, unpreviewable);
    }
    return this.preview(ctx, profile, result, values, timeoutMs, rowCap);
  }

  /** Runs the text inside a transaction left open until the decision; resolves once the preview is ready. */
  private preview(
    ctx: RunContext,
    profile: ProfileView,
    result: SqlRunResult,
    values: unknown[] | undefined,
    timeoutMs: number,
    rowCap: number,
  ): Promise<SqlRunResult> {
    const started = performance.now();
    let decide!: (decision: Decision) => void;
    const decision = new Promise<Decision>((resolve) => (decide = resolve));
    let previewReady!: (result: SqlRunResult) => void;
    const ready = new Promise<SqlRunResult>((resolve) => (previewReady = resolve));
    const settled = this.deps.connections.run(ctx.profileId, async (client) => {
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL statement_timeout = ${Number(timeoutMs)}`);
        await pinSessionSettings(client, true);
        await this.runAll(ctx.profileId, client, result, values, rowCap, true);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      result.durationMs = roundMs(performance.now() - started);
      this.#recording.preview(ctx, result);
      const pending = this.#pending.hold(ctx, profile, result, true, decide, settledPromise, undefined, values);
      previewReady(pending);
      return this.finish(client, ctx, result, await decision);
    });
    const settledPromise: Promise<SqlRunResult> = settled.then(
      (final) => final,
      (error) => {
        if (sqlState(error) === '25001') {
          // The server knows better than our list: this statement cannot run in a transaction.
          const fresh = { ...result, statements: result.statements.map((s) => notRun(s)) };
          return this.awaitUnpreviewed(
            ctx,
            profile,
            fresh,
            values,
            timeoutMs,
            rowCap,
            `Postgres says a statement here cannot run inside a transaction block (${(error as Error).message}): there is no preview. It runs, and is kept, once you confirm.`,
          );
        }
        return this.settleFailure(ctx, result, error, started, timeoutMs, 'transaction');
      },
    );
    return Promise.race([ready, settledPromise]);
  }

  /** Commits or rolls back the open transaction and records how the run ended. */
  private async finish(
    client: pg.Client,
    ctx: RunContext,
    result: SqlRunResult,
    decision: Decision,
  ): Promise<SqlRunResult> {
    const final: SqlRunResult = { ...result, confirmation: undefined };
    delete final.confirmation;
    if (decision.kind !== 'commit') {
      await client.query('ROLLBACK').catch(() => undefined);
      final.outcome =
        decision.kind === 'cancel' ? 'cancelled' : decision.kind === 'refused' ? 'refused' : 'rolled_back';
      final.message = decision.message;
      if (decision.kind === 'rollback') this.#recording.cancel(ctx, 'rolled back by the operator after the preview');
      if (decision.kind === 'timeout') this.#recording.write(ctx, final, 'timeout');
      if (decision.kind === 'cancel') this.#recording.cancel(ctx, decision.message);
      return final;
    }
    try {
      this.#recording.confirmation(ctx, result.risk, decision.typed);
    } catch (error) {
      // Neither the store nor its journal can take the record: the write never reaches the server.
      await client.query('ROLLBACK').catch(() => undefined);
      return {
        ...final,
        outcome: 'refused',
        serverOutcome: 'not_sent',
        recorded: false,
        message: `Not committed: ${(error as Error).message} Rolled back, nothing was kept.`,
      };
    }
    const outcome = await commitWithOutcome(client, () => this.deps.connections.openSide(ctx.profileId));
    Object.assign(final, outcome, {
      outcome:
        outcome.serverOutcome === 'committed' || outcome.serverOutcome === 'unknown'
          ? outcome.serverOutcome
          : 'rolled_back',
    });
    final.recorded = this.#recording.committed(ctx, final);
    return final;
  }

  /** Statements that cannot run in a transaction: the confirmation comes first, then they run (autocommit). */
  private awaitUnpreviewed(
    ctx: RunContext,
    profile: ProfileView,
    result: SqlRunResult,
    values: unknown[] | undefined,
    timeoutMs: number,
    rowCap: number,
    note: string,
  ): SqlRunResult {
    let decide!: (decision: Decision) => void;
    const decision = new Promise<Decision>((resolve) => (decide = resolve));
    const settled = decision.then(async (d): Promise<SqlRunResult> => {
      const final: SqlRunResult = { ...result };
      if (d.kind !== 'commit') {
        final.outcome = d.kind === 'cancel' ? 'cancelled' : d.kind === 'refused' ? 'refused' : 'rolled_back';
        final.message =
          d.kind === 'rollback'
            ? 'Dropped by the operator before it ran: nothing was run.'
            : d.message.replace('rolled back, nothing was kept', 'nothing was run');
        if (d.kind === 'timeout') this.#recording.write(ctx, final, 'timeout');
        else if (d.kind !== 'refused')
          this.#recording.cancel(ctx, d.kind === 'rollback' ? 'dropped by the operator without running' : d.message);
        return final;
      }
      this.#recording.confirmation(ctx, result.risk, d.typed);
      const started = performance.now();
      try {
        await this.deps.connections.run(ctx.profileId, async (client) => {
          await client.query(`SET statement_timeout = ${Number(timeoutMs)}`);
          await pinSessionSettings(client, false);
          try {
            await this.runAll(ctx.profileId, client, final, values, rowCap, false);
          } finally {
            await client.query('RESET statement_timeout').catch(() => undefined);
          }
        });
      } catch (error) {
        return this.settleFailure(ctx, final, error, started, timeoutMs, 'autocommit');
      }
      final.durationMs = roundMs(performance.now() - started);
      final.outcome = 'committed';
      this.#recording.write(ctx, final, 'ok');
      return final;
    });
    return this.#pending.hold(ctx, profile, result, false, decide, settled, note, values);
  }

  /** A run waiting for its confirmation, as it would run: its profile, text and bound values. */
  pendingStatement(runId: string): { profileId: string; sql: string; values: unknown[] } | undefined {
    const pending = this.#pending.get(runId);
    return (
      pending && {
        profileId: pending.ctx.profileId,
        sql: pending.result.statements.map((s) => s.text).join(';\n'),
        values: pending.values ?? [],
      }
    );
  }

  /** The operator's answer to a pending run. */
  async confirm(runId: string, decision: 'commit' | 'rollback', typedName?: string): Promise<SqlRunResult> {
    const pending = this.#pending.get(runId);
    if (!pending)
      throw new OpsError(
        'not_found',
        `No run ${runId} is waiting for a confirmation: it was already committed, rolled back, or timed out. Run it again.`,
      );
    if (decision === 'rollback') {
      pending.decide({ kind: 'rollback', message: 'Rolled back by the operator: nothing was kept.' });
      return pending.settled;
    }
    const answer = commitDecision(pending, typedName);
    if (answer.kind === 'refused') this.#recording.refusal(pending.ctx, pending.result.risk, answer.message);
    pending.decide(answer);
    return pending.settled;
  }

  /** Cancels the statement running on the profile, or drops its pending preview. */
  async cancel(profileId: string): Promise<boolean> {
    const pending = this.#pending.ofProfile(profileId);
    if (pending) {
      pending.decide({ kind: 'cancel', message: 'Cancelled by the operator: rolled back, nothing was kept.' });
      await pending.settled;
      return true;
    }
    const running = this.#running.get(profileId);
    if (!running) return false;
    running.cancelRequested = true;
    return this.deps.connections.cancelBackend(profileId, running.pid, running.role);
  }

  /** The pending runs (for the UI after a reload). */
  pending(): SqlRunResult[] {
    return this.#pending.all().map((p) => p.result);
  }

  /** What quitting now would roll back: runs waiting for confirmation, statements still running. */
  openWork(): string[] {
    const waiting = this.#pending
      .all()
      .map((run) => `a ${run.result.risk} run on ${run.profile.name} waiting for your confirmation`);
    const running = [...this.#running.keys()].map(
      (profileId) => `a query still running on ${this.deps.profiles.get(profileId).name}`,
    );
    return [...waiting, ...running];
  }

  /** Rolls back every pending run (the app is closing). */
  async dispose(): Promise<void> {
    const all = this.#pending.all();
    for (const pending of all)
      pending.decide({ kind: 'rollback', message: 'The app closed: rolled back, nothing was kept.' });
    await Promise.allSettled(all.map((p) => p.settled));
  }
}
