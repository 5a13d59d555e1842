import type { SqlRunResult } from '../../shared/contract';
import type { Recorded } from '../../shared/incident';
import type { RecordEvent } from '../../shared/record-event';
import { OpsError } from '../errors';

export interface RunContext {
  profileId: string;
  profileName: string;
  sql: string;
  parameters?: { name: string; value: unknown; secret: boolean }[];
  incidentId?: string;
  /** The Postgres users reads and writes run as on this profile (the same without a read user). */
  roles?: { read: string; write: string };
  /** The classifier's risk of the text, for events that have no result at hand. */
  risk?: SqlRunResult['risk'];
}

const rowsOf = (result: SqlRunResult) => result.statements.reduce((sum, s) => sum + (s.ran ? s.rowCount : 0), 0);

/**
 * Turns each step of a safe run into timeline events: read runs, previews, confirmations,
 * refusals, cancels and the final outcome of a write. Secret parameter values never reach it
 * (the executor redacts them before); the recorder's own redaction runs on top.
 */
export class SqlRunRecording {
  constructor(private readonly record: RecordEvent) {}

  private base(ctx: RunContext, as?: 'read' | 'write') {
    const role = as && ctx.roles ? { role: ctx.roles[as] } : {};
    return {
      profileId: ctx.profileId,
      profileName: ctx.profileName,
      ...(ctx.parameters?.length ? { parameters: ctx.parameters } : {}),
      ...role,
    };
  }

  private options(ctx: RunContext) {
    return ctx.incidentId ? { incidentId: ctx.incidentId } : {};
  }

  read(ctx: RunContext, result: SqlRunResult): void {
    const outcome = result.outcome === 'read' ? 'ok' : result.outcome === 'cancelled' ? 'cancelled' : 'refused';
    if (result.outcome === 'cancelled') this.cancel(ctx, 'cancelled by the operator while it ran');
    this.record(
      'sql.run',
      {
        ...this.base(ctx, 'read'),
        sql: ctx.sql,
        risk: result.risk,
        readOnly: true,
        rowCount: rowsOf(result),
        truncated: result.statements.some((s) => s.truncated),
        durationMs: result.durationMs,
        outcome,
        ...(result.message ? { error: result.message.slice(0, 5000) } : {}),
      },
      this.options(ctx),
    );
  }

  failed(
    ctx: RunContext,
    risk: SqlRunResult['risk'],
    readOnly: boolean,
    durationMs: number,
    code: string,
    message: string,
  ): void {
    const outcome = code === 'timeout' ? 'timeout' : code === 'cancelled' ? 'cancelled' : 'error';
    this.record(
      'sql.run',
      {
        ...this.base(ctx, readOnly ? 'read' : 'write'),
        sql: ctx.sql,
        risk,
        readOnly,
        durationMs,
        outcome,
        error: message.slice(0, 5000),
      },
      this.options(ctx),
    );
  }

  refusal(ctx: RunContext, risk: SqlRunResult['risk'], reason: string): void {
    this.record(
      'refusal',
      {
        profileId: ctx.profileId,
        profileName: ctx.profileName,
        action: ctx.sql,
        reason: reason.slice(0, 5000),
        risk,
        target: 'sql',
      },
      this.options(ctx),
    );
  }

  preview(ctx: RunContext, result: SqlRunResult): void {
    const plan = result.statements
      .filter((s) => s.plan)
      .map((s) => `${s.text}\n${s.plan}`)
      .join('\n\n');
    this.record(
      'preview',
      {
        ...this.base(ctx, 'write'),
        target: 'sql',
        text: ctx.sql,
        risk: result.risk,
        affectedRows: rowsOf(result),
        ...(plan ? { plan: plan.slice(0, 100_000) } : {}),
      },
      this.options(ctx),
    );
  }

  confirmation(ctx: RunContext, risk: SqlRunResult['risk'], typed: boolean): void {
    this.record(
      'confirmation',
      {
        profileId: ctx.profileId,
        profileName: ctx.profileName,
        action: ctx.sql,
        risk,
        method: typed ? 'typed-name' : 'click',
      },
      this.options(ctx),
    );
  }

  cancel(ctx: RunContext, reason: string): void {
    this.record(
      'cancel',
      {
        profileId: ctx.profileId,
        profileName: ctx.profileName,
        action: ctx.sql,
        reason,
        ...(ctx.risk ? { risk: ctx.risk } : {}),
      },
      this.options(ctx),
    );
  }

  /** The end of a break-glass run: committed (ok), rolled back for want of confirmation (timeout). */
  write(
    ctx: RunContext,
    result: SqlRunResult,
    outcome: 'ok' | 'timeout' | 'cancelled' | 'refused' | 'error' | 'unknown',
  ): void {
    this.record(
      'sql.run',
      {
        ...this.base(ctx, 'write'),
        sql: ctx.sql,
        risk: result.risk,
        readOnly: false,
        rowsAffected: rowsOf(result),
        durationMs: result.durationMs,
        outcome,
        ...(result.serverOutcome ? { serverOutcome: result.serverOutcome } : {}),
        ...(result.message && outcome !== 'ok' ? { error: result.message.slice(0, 5000) } : {}),
      },
      this.options(ctx),
    );
  }

  /**
   * The end of a COMMIT, with what the server did and the xid. Never throws for the store: the
   * server already acted, so a record neither the store nor the journal could take is reported
   * (recorded: false), not turned into a failure of the write.
   */
  committed(ctx: RunContext, result: SqlRunResult): Recorded {
    const outcome =
      result.serverOutcome === 'committed' ? 'ok' : result.serverOutcome === 'unknown' ? 'unknown' : 'error';
    const payload = {
      ...this.base(ctx, 'write'),
      sql: ctx.sql,
      risk: result.risk,
      readOnly: false,
      rowsAffected: rowsOf(result),
      durationMs: result.durationMs,
      outcome,
      serverOutcome: result.serverOutcome,
      ...(result.xid ? { xid: result.xid } : {}),
      ...(result.message ? { error: result.message.slice(0, 5000) } : {}),
    } as const;
    try {
      return this.record('sql.run', payload, this.options(ctx))?.deferred ? 'deferred' : true;
    } catch (error) {
      if (error instanceof OpsError && error.code === 'store_unavailable') return false;
      throw error;
    }
  }
}
