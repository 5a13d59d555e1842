import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { HeadlessStepResult } from '../shared/contract';
import type { ProfileView } from '../shared/profile';
import { OpsError } from '../main/errors';
import { profileArg } from './inputs';
import { maskTable, textTable, type ToolReply } from './reply';
import type { AssistantSession } from './session';

export const runbookPathArg = z
  .string()
  .min(1, 'is empty: give a path from runbook_list')
  .max(4096, 'is longer than 4096 characters: give a path from runbook_list');

/** Only files of the library: an assistant does not get to read (or run) arbitrary paths. */
export async function assertLibraryRunbook(session: AssistantSession, path: string): Promise<void> {
  if (!(await session.core.invoke('runbooks.list', {})).some((r) => r.path === path))
    throw new OpsError('not_found', `"${path}" is not a runbook of the library: take a path from runbook_list.`);
}

/** One step as the assistant receives it: rows masked and capped within what is left of the row budget. */
async function shownStep(step: HeadlessStepResult, profile: ProfileView, rowsLeft: number, session: AssistantSession) {
  const { rowCap, cellCap } = session.options.limits;
  const columns = (step.fields ?? []).map((f) => f.name);
  const cap = Math.min(rowCap, rowsLeft);
  const table = await maskTable(columns, (step.rows ?? []).slice(0, cap), profile.maskPatterns, cellCap);
  const truncated = (step.rows?.length ?? 0) > table.rows.length;
  return {
    id: step.id,
    kind: step.kind,
    risk: step.risk,
    outcome: step.outcome,
    error: step.error,
    columns,
    rows: table.rows,
    rowCount: table.rows.length,
    truncated,
    maskedColumns: table.maskedColumns,
  };
}

/** runbook_run_reads: the read steps of a library runbook, as `runbook run --all-reads` runs them. */
async function runReads(
  session: AssistantSession,
  profile: ProfileView,
  path: string,
  params: Record<string, string>,
): Promise<ToolReply> {
  await assertLibraryRunbook(session, path);
  let rowsLeft = session.budget.rowsLeft(profile.name);
  // readsOnly: the core never confirms, never runs a shell step, and skips what the gate does not call a read.
  const run = await session.core.invoke('runbooks.run', {
    runbook: { path },
    profileId: profile.id,
    allReads: true,
    readsOnly: true,
    params,
    ...(session.options.incidentId ? { incidentId: session.options.incidentId } : {}),
  });
  const steps = [];
  for (const step of run.steps) {
    const shown = await shownStep(step, profile, rowsLeft, session);
    rowsLeft = Math.max(0, rowsLeft - shown.rowCount);
    steps.push(shown);
  }
  const rows = steps.reduce((n, s) => n + s.rowCount, 0);
  const text = steps.flatMap((s) => [
    `[${s.id}] ${s.outcome} (${s.risk})${s.error ? `: ${s.error}` : ''}${s.truncated ? " · rows cut (row cap or this minute's row budget)" : ''}`,
    ...(s.columns.length ? [textTable(s.columns, s.rows)] : []),
  ]);
  return {
    data: { runbook: run.runbook, profile: run.profile, incident: run.incidentId, steps },
    rows,
    text: text.join('\n'),
  };
}

export function registerRunbookTools(server: McpServer, session: AssistantSession): void {
  server.registerTool(
    'runbook_run_reads',
    {
      description:
        "Run every read step of a library runbook (path from runbook_list) on a profile, in document order, as `opsconsole runbook run --all-reads` does. Steps that are not reads, shell steps and steps missing a parameter are skipped and said so; nothing is ever written. Columns matching the profile's masking patterns come back as [masked].",
      inputSchema: {
        profile: profileArg,
        path: runbookPathArg,
        params: z
          .record(z.string().min(1).max(200), z.string().max(10_000, 'has a value longer than 10000 characters'))
          .optional()
          .describe('parameter values by name, e.g. {"table": "orders"}'),
      },
    },
    async (args) =>
      session.call('runbook_run_reads', args, args.profile, (profile) =>
        runReads(session, profile!, args.path, args.params ?? {}),
      ),
  );
}
