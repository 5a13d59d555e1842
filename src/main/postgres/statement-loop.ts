import type pg from 'pg';
import type { SqlRunResult } from '../../shared/contract';
import { OpsError } from '../errors';
import type { PgConnectionRegistry } from './connection-registry';
import type { SafeRun } from './run-context';
import type { RunMode } from './run-failures';
import { explainable } from './statement-traits';
import { backendPid, runStatement, sqlState, type RunningStatement } from './statement-runner';

/** The statements of safe runs as they run (one per profile at most), so the operator can cancel them. */
export class StatementLoop {
  readonly #running = new Map<string, RunningStatement>();

  constructor(private readonly connections: Pick<PgConnectionRegistry, 'lostReason' | 'cancelBackend'>) {}

  /**
   * Runs every statement in order into `target`; a failure leaves the rest `ran: false`. A read
   * streams through a cursor as the read role; a previewed write is planned as it runs.
   */
  async runAll(run: SafeRun, client: pg.Client, target: SqlRunResult, mode: RunMode): Promise<void> {
    const running: RunningStatement = {
      pid: backendPid(client),
      cancelRequested: false,
      role: mode === 'read' ? 'read' : 'main',
    };
    this.#running.set(run.profileId, running);
    try {
      for (let i = 0; i < target.statements.length; i++) {
        const statement = target.statements[i]!;
        target.statements[i] = await runStatement(client, statement, run.values, run.rowCap, {
          plan: mode === 'transaction' && explainable(statement.text),
          cursor: mode === 'read',
        });
      }
    } catch (error) {
      throw this.explained(error, running, client, mode);
    } finally {
      if (this.#running.get(run.profileId) === running) this.#running.delete(run.profileId);
    }
  }

  /** A cancel the operator asked for, or a lost SSH session, said as such; anything else as it came. */
  private explained(error: unknown, running: RunningStatement, client: pg.Client, mode: RunMode): unknown {
    if (running.cancelRequested && sqlState(error) === '57014')
      return new OpsError('cancelled', 'Cancelled by the operator while it ran.', { cause: error });
    const lost = this.connections.lostReason(client);
    if (lost)
      return new OpsError(
        'ssh_disconnected',
        mode === 'autocommit'
          ? `The SSH session was lost while a confirmed statement ran on its own (${lost}): the statements before it were kept, and whether this one took effect is unknown. Check on the server before running it again.`
          : `The statement did not finish: the SSH session was lost while it ran (${lost}). ${mode === 'read' ? 'Nothing was changed' : 'Nothing was committed'}. Run it again once the profile shows ready.`,
        { cause: error },
      );
    return error;
  }

  /** Asks the server to cancel the statement running on the profile; false when none runs. */
  async cancel(profileId: string): Promise<boolean> {
    const running = this.#running.get(profileId);
    if (!running) return false;
    running.cancelRequested = true;
    return this.connections.cancelBackend(profileId, running.pid, running.role);
  }

  /** The profiles with a statement running now. */
  profileIds(): string[] {
    return [...this.#running.keys()];
  }
}
