import type pg from 'pg';
import type { SqlRunResult } from '../../shared/contract';
import { writePolicy } from '../../shared/profile';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from './connection-registry';
import { commitWithOutcome, connectionLost } from './commit-outcome';
import { commitDecision, type Decision, type PendingRuns } from './pending-runs';
import { pinSessionSettings, resetSession, setUpTransaction } from './read-only-transaction';
import type { SafeRun } from './run-context';
import { settleFailure } from './run-failures';
import type { SqlRunRecording } from './run-recording';
import type { StatementLoop } from './statement-loop';
import { notRun, roundMs, sqlState } from './statement-runner';
import { unpreviewableNote } from './statement-traits';
import { planWithoutRunning } from './unpreviewed-plans';

export interface BreakGlassDeps {
  connections: PgConnectionRegistry;
  statements: StatementLoop;
  recording: SqlRunRecording;
  pending: PendingRuns;
}

/** How long a previewed statement waits for a lock before the preview fails (Postgres's lock_timeout). */
const previewLockTimeoutMs = 5_000;
/** How long past the confirmation window the server keeps a held preview whose client went silent. */
const idleMarginMs = 30_000;

/** A confirmed statement lost with its connection (SSH gone, backend terminated): the server's answer never came. */
const lostMidway = (error: unknown): boolean =>
  error instanceof OpsError ? error.code === 'ssh_disconnected' : connectionLost(error);

/** What a pending run becomes when the decision is not a commit. */
const declined = (d: Exclude<Decision, { kind: 'commit' }>): SqlRunResult['outcome'] =>
  d.kind === 'cancel' ? 'cancelled' : d.kind === 'refused' ? 'refused' : 'rolled_back';

/**
 * The whole walk of a break-glass run, in order: refused on a read-only profile or for text the
 * console cannot hold in its transaction; else previewed inside a transaction left open (or, for
 * statements that cannot run in one, shown unrun), held in `PendingRuns` until the operator's
 * decision or the timeout; then committed with the outcome the server proved, or rolled back.
 * Nothing outside the transaction runs before the operator confirms.
 */
export class BreakGlass {
  constructor(private readonly deps: BreakGlassDeps) {}

  async start(run: SafeRun): Promise<SqlRunResult> {
    const refusal = refusalOf(run);
    if (refusal) {
      run.result.outcome = 'refused';
      run.result.message = refusal;
      this.deps.recording.refusal(run, run.result.risk, refusal);
      return run.result;
    }
    const unpreviewable = unpreviewableNote(run.result.statements);
    if (!unpreviewable) return this.preview(run);
    // A plan is shown only where planning runs nothing; without one the text alone is shown.
    const { statements } = run.result;
    await planWithoutRunning(
      this.deps.connections,
      run.profileId,
      statements,
      run.values,
      run.statementTimeoutMs,
    ).catch(() => undefined);
    return this.awaitUnpreviewed(run, unpreviewable);
  }

  /** Runs the text inside a transaction left open until the decision; resolves once the preview is ready. */
  private preview(run: SafeRun): Promise<SqlRunResult> {
    const started = performance.now();
    let decide!: (decision: Decision) => void;
    const decision = new Promise<Decision>((resolve) => (decide = resolve));
    let previewReady!: (result: SqlRunResult) => void;
    const ready = new Promise<SqlRunResult>((resolve) => (previewReady = resolve));
    const settled = this.deps.connections.run(run.profileId, async (client) => {
      await this.openPreview(client, run);
      run.result.durationMs = roundMs(performance.now() - started);
      this.deps.recording.preview(run, run.result);
      previewReady(this.deps.pending.hold(run, { previewed: true }, decide, settledPromise));
      return this.finish(client, run, await decision);
    });
    const settledPromise: Promise<SqlRunResult> = settled.then(
      (final) => final,
      (error) => {
        if (sqlState(error) !== '25001')
          return settleFailure(this.deps.recording, run, run.result, { error, started, mode: 'transaction' });
        // The server knows better than our list: this statement cannot run in a transaction.
        const fresh = { ...run.result, statements: run.result.statements.map((s) => notRun(s)) };
        return this.awaitUnpreviewed(
          { ...run, result: fresh },
          `Postgres says a statement here cannot run inside a transaction block (${(error as Error).message}): there is no preview. It runs, and is kept, once you confirm.`,
        );
      },
    );
    return Promise.race([ready, settledPromise]);
  }

  /** BEGIN, its limits and pins (one round trip), then every statement (planned); rolled back on any error. */
  private async openPreview(client: pg.Client, run: SafeRun): Promise<void> {
    try {
      await client.query('BEGIN');
      await setUpTransaction(client, {
        statementTimeoutMs: run.statementTimeoutMs,
        // A preview that waits for a lock gives up soon: sessions queue behind a waiting ACCESS
        // EXCLUSIVE request, so a long wait would stall production before anything is confirmed.
        lockTimeoutMs: previewLockTimeoutMs,
        // Held open for the decision: the server ends it shortly after the console's own timeout if
        // the laptop vanishes without a FIN, instead of keeping its locks until TCP gives up; and a
        // server default shorter than the confirmation window does not end it first.
        idleTimeoutMs: this.deps.pending.timeoutMs + idleMarginMs,
      });
      await this.deps.statements.runAll(run, client, run.result, 'transaction');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Commits or rolls back the open transaction and records how the run ended. */
  private async finish(client: pg.Client, run: SafeRun, decision: Decision): Promise<SqlRunResult> {
    const { recording } = this.deps;
    const final: SqlRunResult = { ...run.result, confirmation: undefined };
    delete final.confirmation;
    if (decision.kind !== 'commit') {
      await client.query('ROLLBACK').catch(() => undefined);
      final.outcome = declined(decision);
      final.message = decision.message;
      if (decision.kind === 'rollback') recording.cancel(run, 'rolled back by the operator after the preview');
      if (decision.kind === 'timeout') recording.write(run, final, 'timeout');
      if (decision.kind === 'cancel') recording.cancel(run, decision.message);
      return final;
    }
    try {
      recording.confirmation(run, run.result.risk, decision.typed);
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
    const outcome = await commitWithOutcome(client, () => this.deps.connections.openSide(run.profileId));
    if (outcome.serverOutcome === 'committed') await resetSession(client);
    Object.assign(final, outcome, {
      outcome:
        outcome.serverOutcome === 'committed' || outcome.serverOutcome === 'unknown'
          ? outcome.serverOutcome
          : 'rolled_back',
    });
    final.recorded = recording.committed(run, final);
    return final;
  }

  /** Statements that cannot run in a transaction: the confirmation comes first, then they run (autocommit). */
  private awaitUnpreviewed(run: SafeRun, note: string): SqlRunResult {
    let decide!: (decision: Decision) => void;
    const decision = new Promise<Decision>((resolve) => (decide = resolve));
    const settled = decision.then((d) => (d.kind === 'commit' ? this.runConfirmed(run, d.typed) : this.drop(run, d)));
    return this.deps.pending.hold(run, { previewed: false, note }, decide, settled);
  }

  /** An unpreviewed run the operator did not confirm: nothing was sent. */
  private drop(run: SafeRun, d: Exclude<Decision, { kind: 'commit' }>): SqlRunResult {
    const final: SqlRunResult = { ...run.result };
    final.outcome = declined(d);
    final.message =
      d.kind === 'rollback'
        ? 'Dropped by the operator before it ran: nothing was run.'
        : d.message.replace('rolled back, nothing was kept', 'nothing was run');
    if (d.kind === 'timeout') this.deps.recording.write(run, final, 'timeout');
    else if (d.kind !== 'refused')
      this.deps.recording.cancel(run, d.kind === 'rollback' ? 'dropped by the operator without running' : d.message);
    return final;
  }

  /** An unpreviewed run, confirmed: each statement runs on its own, with the profile's timeout and pins. */
  private async runConfirmed(run: SafeRun, typed: boolean): Promise<SqlRunResult> {
    const final: SqlRunResult = { ...run.result };
    this.deps.recording.confirmation(run, run.result.risk, typed);
    const started = performance.now();
    try {
      await this.deps.connections.run(run.profileId, async (client) => {
        await client.query(`SET statement_timeout = ${Number(run.statementTimeoutMs)}`);
        await pinSessionSettings(client, false);
        try {
          await this.deps.statements.runAll(run, client, final, 'autocommit');
        } finally {
          await resetSession(client);
        }
      });
    } catch (error) {
      if (lostMidway(error)) return this.unknownAfterLoss(run, final, error, started);
      return settleFailure(this.deps.recording, run, final, { error, started, mode: 'autocommit' });
    }
    final.durationMs = roundMs(performance.now() - started);
    final.outcome = 'committed';
    this.deps.recording.write(run, final, 'ok');
    return final;
  }

  /**
   * The connection was lost while confirmed statements ran one by one: those before the one in
   * flight were kept, and whether that one took effect no server answer says. The outcome is
   * `unknown` (exit 3 in the CLI), never "nothing was committed".
   */
  private unknownAfterLoss(run: SafeRun, final: SqlRunResult, error: unknown, started: number): SqlRunResult {
    final.durationMs = roundMs(performance.now() - started);
    final.outcome = 'unknown';
    final.serverOutcome = 'unknown';
    const kept = final.statements.filter((s) => s.ran).length;
    const inFlight = final.statements[kept];
    final.message = `Outcome unknown: check before retrying. The connection was lost while the confirmed statements ran one by one (${(error as Error).message}); ${kept === 0 ? 'none had finished' : `the ${kept} that finished before it were kept`}, and whether "${inFlight?.text.slice(0, 200) ?? 'the last statement'}" took effect is unknown.`;
    this.deps.recording.write(run, final, 'unknown');
    return final;
  }

  /** The operator's answer to a pending run. */
  async confirm(runId: string, decision: 'commit' | 'rollback', typedName?: string): Promise<SqlRunResult> {
    const pending = this.deps.pending.get(runId);
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
    if (answer.kind === 'refused') this.deps.recording.refusal(pending.run, pending.result.risk, answer.message);
    pending.decide(answer);
    return pending.settled;
  }

  /** Drops the profile's pending run (rolled back); false when none waits. */
  async cancel(profileId: string): Promise<boolean> {
    const pending = this.deps.pending.ofProfile(profileId);
    if (!pending) return false;
    pending.decide({ kind: 'cancel', message: 'Cancelled by the operator: rolled back, nothing was kept.' });
    await pending.settled;
    return true;
  }

  /** Rolls back every pending run (the app is closing). */
  async dispose(): Promise<void> {
    const all = this.deps.pending.all();
    for (const pending of all)
      pending.decide({ kind: 'rollback', message: 'The app closed: rolled back, nothing was kept.' });
    await Promise.allSettled(all.map((p) => p.settled));
  }
}

/** Why a break-glass text may not run here at all, or undefined: checked before any byte is sent. */
function refusalOf(run: SafeRun): string | undefined {
  const { profile, result } = run;
  if (writePolicy(profile) === 'forbidden')
    return `Profile "${profile.name}" is read-only: its safety level forbids writes, so this ${result.risk} text was not run. Use a profile whose safety level allows break-glass writes.`;
  if (result.statements.some((s) => s.reasons.some((r) => r.startsWith('transaction_control'))))
    return 'The text has BEGIN, COMMIT, ROLLBACK or SAVEPOINT: the console runs a write in its own transaction and commits only after your confirmation. Remove them and run it again.';
  const pinned = result.statements.flatMap((s) => s.reasons.filter((r) => r.startsWith('pinned_setting')));
  if (pinned.length > 0)
    return `The text changes ${pinned.map((r) => r.slice('pinned_setting:'.length)).join(', ')}, which the console pins so that it reads string literals exactly as the server does. Remove that statement.`;
  return undefined;
}
