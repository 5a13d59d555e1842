import { serveStdio } from '../../assistants/server';
import { OpsError } from '../../main/errors';
import type { CliCommand, CliContext } from '../command';

function perMinute(context: CliContext, flag: string): number | undefined {
  const raw = context.values[flag] as string | undefined;
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new OpsError('invalid_input', `--${flag} ${raw}: give a whole number of at least 1, e.g. --${flag} 60.`);
  return Number(raw);
}

export const mcpCommand: CliCommand = {
  path: ['mcp'],
  summary: 'Serve AI assistants over MCP (stdio): reads run through the guardrails, changes become proposals',
  usage: '[--profile NAME…] [--incident ID] [--calls-per-minute N] [--rows-per-minute N]',
  options: { profile: { type: 'string', multiple: true }, incident: { type: 'string' }, 'calls-per-minute': { type: 'string' }, 'rows-per-minute': { type: 'string' } },
  help: [
    'An assistant (Claude, Cursor, Copilot …) launches this as a local MCP server and talks to it on stdin/stdout.',
    'Without --profile it may use every profile whose owner allowed assistants (profiles edit NAME --allow-assistants true).',
    'Every call is recorded on the incident timeline (the active one, or --incident) with the assistant\'s name.',
    'Limits per profile: --calls-per-minute (60) and --rows-per-minute (5000); replies are at most 256 kB.',
  ].join('\n'),
  async run(context) {
    const core = context.core();
    const incidentId = context.values.incident as string | undefined;
    if (incidentId !== undefined) await core.invoke('incidents.get', { id: incidentId });
    const profiles = context.values.profile as string[] | undefined;
    for (const name of profiles ?? []) await core.invoke('profiles.get', { name });
    const limits = { callsPerMinute: perMinute(context, 'calls-per-minute'), rowsPerMinute: perMinute(context, 'rows-per-minute') };
    context.log('opsconsole mcp: serving on stdio (close stdin to stop)');
    await serveStdio({ core, version: (await core.invoke('app.info', {})).version, profiles, incidentId, limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) });
    return { value: null, silent: true };
  },
};
