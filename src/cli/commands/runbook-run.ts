import { resolve } from 'node:path';
import type { HeadlessRunResult, HeadlessStepResult } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions } from '../command';
import { parseParams, profileOf } from './sql-run';
import { readRunbookArg } from './runbook-file';

/** 0 every step ok or skipped; 3 a write's server outcome is unknown; 1 a step failed. */
function exitCodeOf(result: HeadlessRunResult): number {
  if (result.steps.some((s) => s.outcome === 'unknown')) return 3;
  return result.steps.some((s) => s.outcome === 'failed') ? 1 : 0;
}

function stepText(step: HeadlessStepResult): string[] {
  const recorded =
    step.recorded === null
      ? ''
      : ` · recorded: ${step.recorded === 'deferred' ? 'deferred (fallback journal)' : step.recorded ? 'yes' : 'NO'}`;
  const server = step.serverOutcome ? ` · server: ${step.serverOutcome}` : '';
  const exit = step.exitStatus !== null ? ` · exit ${step.exitStatus}` : '';
  const rows = step.rowCount !== null ? ` · ${step.rowCount} row(s)` : '';
  const lines = [
    `${step.outcome.padEnd(8)} ${step.id} (${step.kind}, ${step.risk})${rows}${exit}${server} · ${step.durationMs} ms${recorded}`,
  ];
  if (step.error) lines.push(`         ${step.error}`);
  if (step.fields && step.rows && step.rows.length > 0) {
    lines.push(`         ${step.fields.map((f) => f.name).join(' | ')}`);
    for (const row of step.rows.slice(0, 20))
      lines.push(
        `         ${row.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? v : JSON.stringify(v))).join(' | ')}`,
      );
    if (step.rows.length > 20) lines.push(`         … ${step.rows.length - 20} more row(s) (--json has them all)`);
  }
  if (step.output)
    lines.push(
      ...step.output
        .replace(/\n$/, '')
        .split('\n')
        .slice(-40)
        .map((l) => `       > ${l}`),
    );
  return lines;
}

function readable(result: HeadlessRunResult): string {
  const count = (outcome: string) => result.steps.filter((s) => s.outcome === outcome).length;
  const summary = `${result.steps.length} step(s): ${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped, ${count('not_run')} not run${count('unknown') ? `, ${count('unknown')} UNKNOWN (check the server before retrying)` : ''}`;
  return [
    `${result.runbook} on ${result.profile}${result.incidentId ? ` · incident ${result.incidentId}` : ''}`,
    ...result.steps.flatMap(stepText),
    summary,
  ].join('\n');
}

export const runbookRunCommand = defineCommand({
  path: ['runbook', 'run'],
  summary:
    "Run a runbook's steps headless through the same gates as the app (CI, chat-ops): reads run, writes only with --confirm",
  usage:
    'FILE --profile NAME (--step ID… | --all-reads) [--param k=v…] [--confirm PROFILE_NAME] [--incident ID] [--json]',
  options: {
    profile: sharedOptions.profile,
    step: {
      type: 'string',
      multiple: true,
      value: 'ID',
      description: 'run this step (repeat it; run in the given order)',
    },
    'all-reads': { type: 'boolean', description: 'run every read step in document order, skip the others' },
    param: sharedOptions.param,
    confirm: sharedOptions.confirm,
    incident: sharedOptions.incident,
  },
  help: [
    '--step takes the ids "opsconsole runbook inspect FILE" prints (repeatable, run in the given order).',
    '--all-reads runs every read step in document order and skips each other step (reported "skipped" with its risk).',
    "A write (SQL or Redis) runs only with --confirm and the profile's exact name; without it nothing is sent.",
    "Shell steps run only when named with --step: on the profile's host over SSH (exec, no terminal), or on this",
    'computer for a profile without SSH; a shell command that is not a read needs --confirm too.',
    '--param NAME=VALUE fills {{NAME}}: bound as $n in SQL, one argv element in Redis, quoted for the shell.',
    'Each step is recorded in the incident (the active one, or --incident). The run stops at the first failed step;',
    'the rest are reported "not_run". Exit 0 all ran, 1 a step failed or was refused, 3 a write\'s outcome is unknown.',
    'Output (--json): {"runbook","profile","incidentId","steps":[{"id","kind","risk","outcome","serverOutcome","recorded",',
    '"fields","rows","rowCount","exitStatus","output","error","durationMs"}]}; outcome is ok|failed|skipped|not_run|unknown.',
  ].join('\n'),
  async run(context) {
    if (context.positionals.length !== 1)
      throw new OpsError(
        'invalid_input',
        'Give exactly one FILE: opsconsole runbook run FILE --profile NAME (--step ID… | --all-reads).',
      );
    const file = resolve(context.positionals[0]!);
    const steps = context.values.step ?? [];
    const allReads = context.values['all-reads'] === true;
    if (steps.length > 0 === allReads)
      throw new OpsError(
        'invalid_input',
        'Name the steps to run with --step ID (repeatable), or give --all-reads, not both.',
      );
    const text = await readRunbookArg(file, `FILE ${context.positionals[0]}`);
    const params = parseParams(context.values.param);
    const profile = await profileOf(context);
    const confirm = context.values.confirm;
    const incidentId = context.values.incident;
    const result = await context.core().invoke('runbooks.run', {
      runbook: { text, name: file },
      profileId: profile.id,
      steps,
      allReads,
      params,
      ...(confirm !== undefined ? { confirm } : {}),
      ...(incidentId ? { incidentId } : {}),
    });
    for (const step of result.steps)
      if (step.outcome === 'failed' || step.outcome === 'unknown')
        context.log(`${step.id}: ${step.outcome}: ${step.error ?? ''}`);
    return { value: result, text: readable(result), exitCode: exitCodeOf(result) };
  },
});
