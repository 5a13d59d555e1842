import type pg from 'pg';
import type { SqlStatementResult } from '../../shared/contract';
import type { SqlStatementClassification } from '../../shared/risk';
import type { PgRole } from './connection-registry';
import { extended } from './read-only-transaction';
import { leadingWords } from './statement-traits';
import { typeName } from './type-names';

/** The backend a statement runs in, so `cancel` can reach it; `cancelRequested` tells a cancel from a timeout. */
export interface RunningStatement {
  pid: number;
  cancelRequested: boolean;
  /** Whose connection it runs on: a cancel signals as the same user. */
  role: PgRole;
}

export function backendPid(client: pg.Client): number {
  return (client as unknown as { processID: number }).processID;
}

export const roundMs = (ms: number) => Math.round(ms * 10) / 10;

/** A statement as it is before it runs (not previewed, or after an earlier one failed). */
export function notRun(statement: Pick<SqlStatementClassification, 'text' | 'risk' | 'reasons'>): SqlStatementResult {
  return {
    text: statement.text,
    risk: statement.risk,
    reasons: statement.reasons,
    fields: [],
    rows: [],
    rowCount: 0,
    truncated: false,
    durationMs: 0,
    ran: false,
  };
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
  { plan = false, cursor = false }: { plan?: boolean; cursor?: boolean } = {},
): Promise<SqlStatementResult> {
  const binds = values && values.length > 0 ? values : undefined;
  let planText: string | undefined;
  if (plan) {
    planText = await explainInTransaction(client, statement.text, binds);
  }
  const started = performance.now();
  const capped = cursor && isQuery(statement.text);
  const result = capped
    ? await fetchCapped(client, statement.text, binds, rowCap)
    : await runWhole(client, statement.text, binds);
  const rows = (result.rows ?? []) as unknown[][];
  return {
    text: statement.text,
    risk: statement.risk,
    reasons: statement.reasons,
    command: result.command ?? undefined,
    fields: (result.fields ?? []).map((f) => ({ name: f.name, type: typeName(f.dataTypeID) })),
    rows: rows.slice(0, rowCap),
    rowCount: capped ? Math.min(rows.length, rowCap) : (result.rowCount ?? rows.length),
    truncated: rows.length > rowCap,
    durationMs: roundMs(performance.now() - started),
    ...(planText !== undefined ? { plan: planText } : {}),
    ran: true,
  };
}

/**
 * EXPLAIN (never ANALYZE) inside a savepoint: a plan the server refuses (no privilege, a bad
 * bind) must not abort the preview's transaction before the statement itself runs. A lock it
 * waited for in vain, or a cancel, ends the run there, as the statement would.
 */
export async function explainInTransaction(
  client: pg.Client,
  text: string,
  binds: unknown[] | undefined,
): Promise<string | undefined> {
  await client.query('SAVEPOINT opsconsole_plan');
  try {
    const explained = await client.query(extended({ text: `EXPLAIN ${text}`, values: binds, rowMode: 'array' }));
    await client.query('RELEASE SAVEPOINT opsconsole_plan');
    return explained.rows.map((row) => String((row as unknown[])[0])).join('\n');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT opsconsole_plan');
    // The statement would wait for the same lock, or be cancelled the same way: it fails now, once.
    if (['55P03', '57014'].includes(sqlState(error) ?? '')) throw error;
    return undefined;
  }
}

async function runWhole(client: pg.Client, text: string, binds: unknown[] | undefined): Promise<pg.QueryArrayResult> {
  const raw = await client.query(extended({ text, values: binds, rowMode: 'array' }));
  return (Array.isArray(raw) ? raw.at(-1) : raw) as pg.QueryArrayResult;
}

/**
 * A query read through a cursor, one row past the cap: the server keeps the rest, so a SELECT of
 * millions of rows never lands in memory (the count then says "at least").
 */
async function fetchCapped(
  client: pg.Client,
  text: string,
  binds: unknown[] | undefined,
  rowCap: number,
): Promise<pg.QueryArrayResult> {
  await client.query(extended({ text: `DECLARE opsconsole_rows NO SCROLL CURSOR FOR ${text}`, values: binds }));
  const fetched = await client.query({ text: `FETCH FORWARD ${rowCap + 1} FROM opsconsole_rows`, rowMode: 'array' });
  await client.query('CLOSE opsconsole_rows');
  return { ...fetched, command: 'SELECT' };
}

/** Plain queries (not SHOW, EXPLAIN or anything a cursor cannot hold). */
function isQuery(text: string): boolean {
  return /^(select|with|values|table)\b/.test(leadingWords(text, 1));
}

/** SQLSTATE of a Postgres error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
