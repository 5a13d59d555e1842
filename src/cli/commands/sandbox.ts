import type { SandboxInfo } from '../../shared/contract/sandbox';
import { OpsError } from '../../main/errors';
import { defineCommand } from '../command';
import { profileOf } from './sql-run';

function sandboxLine(s: SandboxInfo): string {
  const size = `${(s.sizeBytes / 1024 / 1024).toFixed(1)} MB`;
  return `${s.profileName.padEnd(24)} ${s.kind.padEnd(10)} ${size.padStart(9)}  engine ${s.engineVersion}${s.current ? '' : ' (older: rebuilt on next use)'}${s.open ? '  open' : ''}  created ${s.createdAt}`;
}

export const sandboxListCommand = defineCommand({
  path: ['sandbox', 'list'],
  readOnly: true,
  summary: 'List the embedded sandboxes kept in the data folder (the demo database, rehearsal copies)',
  usage: '[--profile P] [--json]',
  options: { profile: { type: 'string', value: 'P', description: 'only the sandboxes of this profile' } },
  async run(context) {
    const profileId = context.values.profile === undefined ? undefined : (await profileOf(context)).id;
    const list = await context.core().invoke('sandbox.list', profileId ? { profileId } : {});
    return { value: list, text: list.length ? list.map(sandboxLine).join('\n') : 'No sandboxes.' };
  },
});

export const sandboxDropCommand = defineCommand({
  path: ['sandbox', 'drop'],
  summary: "Close and delete a profile's sandboxes (the profile stays; a demo database is rebuilt on next use)",
  usage: '--profile P [--kind demo|rehearsal] [--json]',
  options: {
    profile: { type: 'string', value: 'P', description: 'the profile whose sandboxes go' },
    kind: { type: 'string', value: 'demo|rehearsal', description: 'only the sandboxes of this kind' },
  },
  async run(context) {
    const kind = context.values.kind;
    if (kind !== undefined && kind !== 'demo' && kind !== 'rehearsal')
      throw new OpsError('invalid_input', `--kind ${kind} is not a sandbox kind: use demo or rehearsal.`);
    const profile = await profileOf(context);
    const result = await context.core().invoke('sandbox.drop', { profileId: profile.id, ...(kind ? { kind } : {}) });
    return {
      value: result,
      text: result.dropped.length
        ? `Dropped ${result.dropped.map((s) => `${s.kind} sandbox of ${s.profileName}`).join(', ')}.`
        : `"${profile.name}" has no sandbox to drop.`,
    };
  },
});

export const demoCommand = defineCommand({
  path: ['demo'],
  summary: 'Create the demo environment: a profile on an embedded Postgres with a made-up shop, and its runbook',
  usage: '[--json]',
  options: {},
  help: 'Needs no server. Remove it like any profile: opsconsole profiles remove "Demo shop".',
  async run(context) {
    const demo = await context.core().invoke('demo.create', {});
    const text = [
      `${demo.created ? 'Created' : 'Already there:'} profile "${demo.profile.name}" (demo: an embedded Postgres in the data folder; no SSH, no Redis).`,
      `Runbook: ${demo.runbookPath}`,
      `Try: opsconsole sql run --profile "${demo.profile.name}" "SELECT status, count(*) FROM orders GROUP BY status"`,
      `     opsconsole rehearse --profile "${demo.profile.name}" "DELETE FROM sessions WHERE last_seen < now() - interval '30 days'"`,
    ].join('\n');
    return {
      value: {
        profile: { id: demo.profile.id, name: demo.profile.name, demo: true, environment: demo.profile.environment },
        runbookPath: demo.runbookPath,
        created: demo.created,
      },
      text,
    };
  },
});
