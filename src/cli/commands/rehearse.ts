import { resolve } from 'node:path';
import type { RehearsalReport, RehearsedStatement } from '../../shared/contract/sandbox';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions } from '../command';
import { readRunbookArg } from './runbook-file';
import { parseParams, profileOf } from './sql-run';

function statementText(s: RehearsedStatement, mode: string): string {
  const rows = `${s.estimated ? '~' : ''}${s.rowsAffected} row(s) affected${s.estimated ? " (estimate: shaped rows scaled to the server's size)" : ''}`;
  const lines = [
    `[${s.risk}] ${s.sql}`,
    s.outcome === 'ok'
      ? `  ok: ${rows}, ${s.durationMs} ms in the sandbox (${mode} rows; not a forecast)`
      : `  error: ${s.error}`,
  ];
  for (const lock of s.locks) lines.push(`  lock ${lock.mode} on ${lock.relation}: ${lock.blocks}`);
  if (s.rewritesTable) lines.push('  rewrites the table (every row copied while the lock is held)');
  if (s.sample.before.length || s.sample.after.length) {
    lines.push(
      `  sample (first ${Math.max(s.sample.before.length, s.sample.after.length)}): columns ${s.sample.columns.join(', ')}`,
    );
    s.sample.before
      .slice(0, 5)
      .forEach((row, i) =>
        lines.push(
          `    before: ${JSON.stringify(row)}${s.sample.after[i] ? `\n    after:  ${JSON.stringify(s.sample.after[i])}` : ''}`,
        ),
      );
  }
  return lines.join('\n');
}

export function formatRehearsal(report: RehearsalReport): string {
  const head = `Rehearsal on ${report.profile} in the sandbox (mode ${report.mode}, shape taken ${report.shapeTakenAt ?? 'never'}): nothing ran on the server.`;
  const unreproduced = report.unreproduced.map((u) => `  not reproduced: ${u.object}: ${u.reason}`);
  const notices = (report.notices ?? []).map((n) => `  notice: ${n}`);
  return [head, ...notices, ...unreproduced, '', ...report.statements.map((s) => statementText(s, report.mode))].join(
    '\n',
  );
}

export const rehearseCommand = defineCommand({
  path: ['rehearse'],
  summary: "Rehearse SQL, a template or runbook steps in an embedded sandbox shaped like the profile's server",
  usage:
    '--profile P (SQL | --template NAME [--param k=v …] | --runbook FILE [--step ID …]) [--mode shaped|sample] [--refresh-shape] [--json]',
  options: {
    profile: sharedOptions.profile,
    template: { type: 'string', value: 'NAME', description: 'rehearse this template of the library' },
    param: sharedOptions.param,
    runbook: { type: 'string', value: 'FILE', description: 'rehearse the SQL steps of this runbook' },
    step: { type: 'string', multiple: true, value: 'ID', description: 'only this step of the runbook (repeat it)' },
    mode: {
      type: 'string',
      value: 'shaped|sample',
      description: 'synthetic rows from statistics (default), or a masked sample of real ones',
    },
    'refresh-shape': { type: 'boolean', description: "read the server's shape again instead of the cached one" },
  },
  help: [
    'The shape (columns, constraints, indexes, types, triggers, policies, partitions) is read from the',
    'server through the read-only path only, cached per profile, and applied in the sandbox with',
    "synthetic rows made from the server's statistics (mode shaped). Each statement runs in a",
    'transaction that is rolled back: rows affected, locks in plain words, table rewrites, errors and',
    'a before/after sample. Exit 0 when every statement rehearsed without error, 1 otherwise.',
  ].join('\n'),
  async run(context) {
    const sql = context.positionals.join(' ').trim();
    const template = context.values.template;
    const runbook = context.values.runbook;
    if ([sql || undefined, template, runbook].filter((v) => v !== undefined).length !== 1) {
      throw new OpsError(
        'invalid_input',
        'Give exactly one of: SQL as an argument, --template NAME, or --runbook FILE.',
      );
    }
    const mode = context.values.mode ?? 'shaped';
    if (mode !== 'shaped' && mode !== 'sample')
      throw new OpsError(
        'invalid_input',
        `--mode ${mode} is not a mode: use shaped (synthetic rows, the default) or sample.`,
      );
    const file = runbook === undefined ? undefined : resolve(runbook);
    const runbookText = file && (await readRunbookArg(file, `--runbook ${runbook}`));
    const profile = await profileOf(context);
    const report = await context.core().invoke('sandbox.rehearse', {
      profileId: profile.id,
      ...(sql ? { sql } : {}),
      ...(template ? { template: { name: template } } : {}),
      ...(file ? { runbook: file, runbookText, steps: context.values.step ?? [] } : {}),
      params: parseParams(context.values.param),
      mode,
      refreshShape: context.values['refresh-shape'] === true,
    });
    const failed = report.statements.some((s) => s.outcome === 'error');
    return { value: report, text: formatRehearsal(report), exitCode: failed ? 1 : 0 };
  },
});
