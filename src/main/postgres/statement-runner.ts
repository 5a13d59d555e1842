import type pg from 'pg';
import type { SqlStatementResult } from '../../shared/contract';
import type { SqlStatementClassification } from '../../shared/risk';
import { typeName } from './type-names';

/** The backend a statement runs in, so `cancel` can reach it; `cancelRequested` tells a cancel from a timeout. */
export interface RunningStatement {
  pid: number;
  cancelRequested: boolean;
}

export function backendPid(client: pg.Client): number {
  return (client as unknown as { processID: number }).processID;
}

export const roundMs = (ms: number) => Math.round(ms * 10) / 10;

/** A statement as it is before it runs (not previewed, or after an earlier one failed). */
export function notRun(statement: Pick<SqlStatementClassification, 'text' | 'risk' | 'reasons'>): SqlStatementResult {
  return { text: statement.text, risk: statement.risk, reasons: statement.reasons, fields: [], rows: [], rowCount: 0, truncated: false, durationMs: 0, ran: false };
}

/**
 * Runs one statement (bound values only through the extended protocol, never spliced) and keeps at
 * most `rowCap` rows. `plan` runs EXPLAIN first, with the same binds.
 */
export async function runStatement(
  client: pg.Client,
  statement: Pick<SqlStatementClassification, 'text' | 'risk' | 'reasons'>,
  values: unknown[] | undefined,
  rowCap: number,
  plan = false,
): Promise<SqlStatementResult> {
  const binds = values && values.length > 0 ? values : undefined;
  let planText: string | undefined;
  if (plan) {
    const explained = await client.query({ text: `EXPLAIN ${statement.text}`, values: binds, rowMode: 'array' }).catch(() => undefined);
    planText = explained?.rows.map((row) => String((row as unknown[])[0])).join('\n');
  }
  const started = performance.now();
  const raw = await client.query({ text: statement.text, values: binds, rowMode: 'array' });
  const result = (Array.isArray(raw) ? raw.at(-1) : raw) as pg.QueryArrayResult;
  const rows = (result.rows ?? []) as unknown[][];
  return {
    text: statement.text,
    risk: statement.risk,
    reasons: statement.reasons,
    command: result.command ?? undefined,
    fields: (result.fields ?? []).map((f) => ({ name: f.name, type: typeName(f.dataTypeID) })),
    rows: rows.slice(0, rowCap),
    rowCount: result.rowCount ?? rows.length,
    truncated: rows.length > rowCap,
    durationMs: roundMs(performance.now() - started),
    ...(planText !== undefined ? { plan: planText } : {}),
    ran: true,
  };
}

/** SQLSTATE of a Postgres error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
