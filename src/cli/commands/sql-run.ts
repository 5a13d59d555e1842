import { resolve } from 'node:path';
import type { SqlRunResult } from '../../shared/contract';
import { recordedNotice } from '../../shared/incident';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions, type CliContextOf } from '../command';
import { profileByRef } from './profile-ref';
import { readRunbookArg } from './runbook-file';

/** `--param k=v` (repeatable; a key given twice makes a list). */
export function parseParams(raw: string[] | undefined): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const item of raw ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new OpsError('invalid_input', `--param ${item} is not NAME=VALUE: write it as --param user_id=42.`);
    const [name, value] = [item.slice(0, eq), item.slice(eq + 1)];
    const previous = params[name];
    params[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return params;
}

/** The profile named by --profile (by name, else id). */
export async function profileOf(context: CliContextOf<'profile'>): Promise<{ id: string; name: string }> {
  const ref = context.values.profile;
  if (!ref)
    throw new OpsError('invalid_input', '--profile is missing: name the profile to run on (opsconsole profiles list).');
  const profile = await profileByRef(context.core(), ref);
  return { id: profile.id, name: profile.name };
}

/**
 * The issue's output shape, exactly: bigint and numeric stay strings; a write adds what the server
 * did and whether it was recorded; a run that did not go through adds the reason (`message`, also
 * on stderr) and what to do (`note`'s text joined to it).
 */
function document(result: SqlRunResult, note?: string) {
  const message = [result.message, note].filter(Boolean).join(' ');
  return {
    risk: result.risk,
    outcome: result.outcome,
    statements: result.statements.map((s) => ({
      text: s.text,
      fields: s.fields,
      rows: s.rows,
      rowCount: s.rowCount,
      truncated: s.truncated,
    })),
    durationMs: result.durationMs,
    ...(result.serverOutcome ? { serverOutcome: result.serverOutcome } : {}),
    ...(result.recorded !== undefined ? { recorded: result.recorded } : {}),
    ...(result.xid ? { xid: result.xid } : {}),
    ...(recordedNotice(result.recorded) ? { warning: recordedNotice(result.recorded) } : {}),
    ...(message ? { message } : {}),
  };
}

/** Exit status by what the server did, never by whether the console could record it: 0 done, 3 outcome unknown, 1 otherwise. */
function exitCodeOf(result: SqlRunResult): number {
  if (result.outcome === 'read' || result.serverOutcome === 'committed' || result.outcome === 'committed') return 0;
  return result.serverOutcome === 'unknown' || result.outcome === 'unknown' ? 3 : 1;
}

function readable(result: SqlRunResult, note?: string): string {
  const recorded =
    result.recorded === undefined
      ? ''
      : ` · recorded: ${result.recorded === 'deferred' ? 'deferred (fallback journal)' : result.recorded ? 'yes' : 'NO'}`;
  const lines = [`${result.outcome} · risk ${result.risk} · ${result.durationMs} ms${recorded}`];
  for (const s of result.statements) {
    lines.push(
      '',
      s.text,
      `  ${s.ran ? `${s.command ?? ''} ${s.rowCount} row(s)${s.truncated ? ' (truncated at the row cap)' : ''}` : 'not run'}${s.reasons.length ? ` · ${s.reasons.join(', ')}` : ''}`,
    );
    if (s.fields.length)
      lines.push(
        `  ${s.fields.map((f) => f.name).join(' | ')}`,
        ...s.rows.slice(0, 50).map((r) => `  ${r.map((v) => (v === null ? 'NULL' : String(v))).join(' | ')}`),
      );
    if (s.plan) lines.push(...s.plan.split('\n').map((l) => `  plan: ${l}`));
  }
  if (result.message) lines.push('', result.message);
  if (note) lines.push(note);
  return lines.join('\n');
}

async function startRun(
  context: CliContextOf<'incident' | 'template' | 'runbook', 'param'>,
  profileId: string,
): Promise<SqlRunResult> {
  const core = context.core();
  const incidentId = context.values.incident;
  const params = parseParams(context.values.param);
  const templateName = context.values.template;
  const runbook = context.values.runbook;
  const sql = context.positionals.join(' ');
  if (runbook !== undefined && templateName === undefined)
    throw new OpsError('invalid_input', '--runbook needs --template STEP_ID: the name of the SQL step to run.');
  if ((templateName !== undefined) === (sql.trim() !== ''))
    throw new OpsError('invalid_input', 'Give either SQL text or --template NAME, not both (and not neither).');
  if (templateName === undefined) return core.invoke('sql.run', { profileId, sql, incidentId });
  if (runbook === undefined)
    return core.invoke('sql.run', { profileId, template: { name: templateName }, params, incidentId });
  const text = await readRunbookArg(runbook, `--runbook ${runbook}`);
  return core.invoke('sql.run', { profileId, template: { runbook, step: templateName, text }, params, incidentId });
}

/**
 * A step run from a runbook file is also a runbook step of the timeline, pinned by the core to the
 * source, commit and step hash it ran from (issue #30).
 */
async function recordRunbookStep(
  context: CliContextOf<'runbook' | 'incident' | 'template'>,
  profileId: string,
  result: SqlRunResult,
): Promise<void> {
  const { runbook, template } = context.values;
  // startRun refused --runbook without --template before anything ran.
  if (runbook === undefined || template === undefined) return;
  const outcome =
    result.outcome === 'read' || result.outcome === 'committed'
      ? 'ok'
      : result.outcome === 'refused'
        ? 'refused'
        : result.outcome === 'rolled_back' || result.outcome === 'cancelled'
          ? 'cancelled'
          : 'error';
  const id = context.values.incident;
  await context.core().invoke('incidents.recordStep', {
    ...(id ? { id } : {}),
    runbook: resolve(runbook),
    step: template,
    parameters: result.parameters ?? [],
    outcome,
    durationMs: result.durationMs,
    profileId,
  });
}

export const sqlRunCommand = defineCommand({
  path: ['sql', 'run'],
  summary:
    'Run SQL or a template safely: reads read-only; writes previewed, committed only with --confirm PROFILE_NAME',
  usage:
    '--profile NAME [--runbook FILE] [--template NAME] [--param k=v …] [SQL] [--confirm PROFILE_NAME] [--incident ID] [--json]',
  options: {
    profile: sharedOptions.profile,
    runbook: { type: 'string', value: 'FILE', description: 'take the --template step from this runbook' },
    template: {
      type: 'string',
      value: 'NAME',
      description: 'run a template of the library (a step id with --runbook)',
    },
    param: sharedOptions.param,
    confirm: sharedOptions.confirm,
    incident: sharedOptions.incident,
  },
  help: [
    "Reads run inside BEGIN READ ONLY with the profile's statement timeout and row cap.",
    'A transactional change runs inside a transaction as a preview (affected rows, EXPLAIN); it is committed',
    "only when --confirm gives the profile's exact name, otherwise rolled back (exit 1). Irreversible",
    'statements (signals, session settings, advisory locks, files, NOTIFY, unknown functions …) cannot be',
    'previewed or undone: without --confirm nothing is sent (exit 1); with it they run. A read-only profile',
    'refuses writes. Templates come from the library (--template NAME) or a runbook (--runbook FILE',
    '--template STEP_ID); --param NAME=VALUE binds each parameter as $n, never spliced.',
    'Malformed text (a NUL byte, over 10 MB) exits 2 before anything is sent.',
    'Output (--json): {"risk","outcome","statements":[{"text","fields","rows","rowCount","truncated"}],"durationMs"}; a',
    'confirmed write adds "serverOutcome" (committed|rolled_back|not_sent|unknown), "recorded" (true|false|"deferred")',
    'and "xid"; a run refused or not committed adds "message" (why, and what to do). Exit 0 when the server did it (even if recording was deferred: a warning says so), 1 when it was',
    'refused or rolled back, 3 when the COMMIT lost its connection and its outcome is unknown (check before retrying).',
  ].join('\n'),
  async run(context) {
    const profile = await profileOf(context);
    const confirm = context.values.confirm;
    let result = await startRun(context, profile.id);
    let note: string | undefined;
    if (result.outcome === 'pending') {
      const preview = result;
      result = await context.core().invoke('sql.confirm', {
        runId: preview.runId,
        decision: confirm === undefined ? 'rollback' : 'commit',
        ...(confirm !== undefined ? { typedName: confirm } : {}),
      });
      if (confirm === undefined) {
        result = { ...preview, outcome: result.outcome, message: result.message };
        note =
          preview.confirmation?.previewed === false
            ? `Nothing ran: ${preview.confirmation.note} Run again with --confirm ${profile.name} to run it.`
            : `This was a preview: rolled back. Run again with --confirm ${profile.name} to commit it.`;
      }
    }
    if (result.message) context.log(result.message);
    if (note) context.log(note);
    await recordRunbookStep(context, profile.id, result);
    const notice = recordedNotice(result.recorded);
    if (notice) context.log(`warning: ${notice}`);
    return { value: document(result, note), text: readable(result, note), exitCode: exitCodeOf(result) };
  },
});
