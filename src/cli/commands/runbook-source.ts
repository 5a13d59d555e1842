import type { RunbookSourceView, SourceSyncReport } from '../../shared/contract';
import { shortCommit } from '../../shared/runbook-pin';
import { OpsError } from '../../main/errors';
import { defineCommand, type CliCommand, type CliContext } from '../command';

function onePositional(context: CliContext, what: string, usage: string): string {
  if (context.positionals.length !== 1)
    throw new OpsError('invalid_input', `Give exactly one ${what}: opsconsole ${usage}.`);
  return context.positionals[0]!;
}

function sourceLine(s: RunbookSourceView): string {
  const error = s.lastError ? `\n    last sync failed: ${s.lastError.message}` : '';
  return `${s.name}  ${s.url} (${s.branch}${s.path ? `, ${s.path}` : ''})  ${s.commit ? shortCommit(s.commit) : '-'}  ${s.age}\n    ${s.folder}${error}`;
}

function syncLine(r: SourceSyncReport): string {
  if (!r.ok) return `${r.source}: FAILED — ${r.error!.message}`;
  const moved =
    r.previousCommit === r.commit
      ? `up to date at ${shortCommit(r.commit ?? '-')}`
      : `${shortCommit(r.previousCommit ?? '-')} → ${shortCommit(r.commit ?? '-')}`;
  return `${r.source}: ${moved}${r.changed.length ? `, changed: ${r.changed.join(', ')}` : ''}`;
}

export const runbookSourceCommands: CliCommand[] = [
  defineCommand({
    path: ['runbook', 'source', 'add'],
    summary:
      'Add a git remote as a runbook source (cloned with the system git, so your SSH keys and credential helpers work)',
    usage: 'URL [--branch B] [--path SUBFOLDER] [--json]',
    options: {
      branch: { type: 'string', value: 'B', description: 'follow this branch (default: the remote default)' },
      path: {
        type: 'string',
        value: 'SUBFOLDER',
        description: 'only the runbooks below this folder of the repository',
      },
    },
    async run(context) {
      const url = onePositional(context, 'URL', 'runbook source add URL [--branch B] [--path SUBFOLDER]');
      const branch = context.values.branch;
      const path = context.values.path;
      const source = await context
        .core()
        .invoke('runbookSources.add', { url, ...(branch ? { branch } : {}), ...(path ? { path } : {}) });
      return { value: source, text: `Added ${sourceLine(source)}` };
    },
  }),
  defineCommand({
    path: ['runbook', 'source', 'list'],
    readOnly: true,
    summary: 'List the git runbook sources with their commit and how old their last pull is',
    usage: '[--json]',
    options: {},
    async run(context) {
      const sources = await context.core().invoke('runbookSources.list', {});
      return {
        value: sources,
        text: sources.length
          ? sources.map(sourceLine).join('\n')
          : 'No runbook sources: add one with opsconsole runbook source add URL.',
      };
    },
  }),
  defineCommand({
    path: ['runbook', 'source', 'remove'],
    summary: 'Remove a git runbook source and its clone',
    usage: 'SOURCE [--json]',
    options: {},
    async run(context) {
      const source = onePositional(context, 'SOURCE', 'runbook source remove SOURCE');
      const removed = await context.core().invoke('runbookSources.remove', { source });
      return { value: removed, text: `Removed ${removed.source}.` };
    },
  }),
  defineCommand({
    path: ['runbook', 'source', 'push-branch'],
    summary:
      "Commit the edits in a source's clone to a new branch and push it for review (never the default branch, never forced)",
    usage: 'SOURCE --branch NAME --message MSG [--json]',
    options: {
      branch: { type: 'string', value: 'NAME', description: 'the new branch to push' },
      message: { type: 'string', value: 'MSG', description: 'the commit message' },
    },
    async run(context) {
      const source = onePositional(context, 'SOURCE', 'runbook source push-branch SOURCE --branch NAME --message MSG');
      const branch = context.values.branch;
      const message = context.values.message;
      if (!branch || !message)
        throw new OpsError(
          'invalid_input',
          `--${branch ? 'message' : 'branch'} is missing: opsconsole runbook source push-branch SOURCE --branch NAME --message MSG.`,
        );
      const pushed = await context.core().invoke('runbookSources.pushBranch', { source, branch, message });
      return { value: pushed, text: `${pushed.message}\n  commit ${pushed.commit}\n  ${pushed.files.join('\n  ')}` };
    },
  }),
  defineCommand({
    path: ['runbook', 'sync'],
    summary: 'Pull every git runbook source now (fast-forward only); exit 1 when one failed',
    usage: '[--json]',
    options: {},
    help: 'Output (--json): [{"source","ok","previousCommit","commit","changed":[…],"age","error"?:{"code","message"}}]. A rewritten (force-pushed) upstream, a clone with local edits or a runbook that no longer imports is reported and not merged; the last pull stays in use.',
    async run(context) {
      const reports = await context.core().invoke('runbookSources.sync', {});
      return {
        value: reports,
        text: reports.length ? reports.map(syncLine).join('\n') : 'No runbook sources to sync.',
        exitCode: reports.every((r) => r.ok) ? 0 : 1,
      };
    },
  }),
];
