import { serveStdio } from '../../assistants/server';
import type { AssistantCore } from '../../assistants/session';
import { OpsError } from '../../main/errors';
import { defineCommand, type CliContextOf } from '../command';
import { packageVersion } from '../package-version';

type McpValues = CliContextOf<'incident' | 'calls-per-minute' | 'rows-per-minute', 'profile'>['values'];

function perMinute(values: McpValues, flag: 'calls-per-minute' | 'rows-per-minute'): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new OpsError('invalid_input', `--${flag} ${raw}: give a whole number of at least 1, e.g. --${flag} 60.`);
  return Number(raw);
}

/**
 * Serves MCP until the assistant closes stdin. The core is loaded by `loadCore` after the
 * handshake, so `initialize` and `tools/list` never wait for the store or the native modules.
 */
export async function runMcp(
  values: McpValues,
  io: { loadCore(): Promise<AssistantCore>; log(message: string): void },
): Promise<void> {
  const limits = {
    callsPerMinute: perMinute(values, 'calls-per-minute'),
    rowsPerMinute: perMinute(values, 'rows-per-minute'),
  };
  io.log('opsconsole mcp: serving on stdio (close stdin to stop)');
  await serveStdio({
    loadCore: io.loadCore,
    version: packageVersion(),
    profiles: values.profile,
    incidentId: values.incident,
    limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  });
}

export const mcpCommand = defineCommand({
  path: ['mcp'],
  summary: 'Serve AI assistants over MCP (stdio): reads run through the guardrails, changes become proposals',
  usage: '[--profile NAME…] [--incident ID] [--calls-per-minute N] [--rows-per-minute N]',
  options: {
    profile: {
      type: 'string',
      multiple: true,
      value: 'NAME',
      description: 'only this profile (repeat it; default: every profile that allows assistants)',
    },
    incident: {
      type: 'string',
      value: 'ID',
      description: 'record the calls into this incident (default: the active one)',
    },
    'calls-per-minute': { type: 'string', value: 'N', description: 'calls per profile per minute (default 60)' },
    'rows-per-minute': { type: 'string', value: 'N', description: 'rows per profile per minute (default 5000)' },
  },
  help: [
    'An assistant (Claude, Cursor, Copilot …) launches this as a local MCP server and talks to it on stdin/stdout.',
    'Without --profile it may use every profile whose owner allowed assistants (profiles edit NAME --allow-assistants true --allow-downgrade).',
    "Every call is recorded on the incident timeline (the active one, or --incident) with the assistant's name.",
    'Limits per profile: --calls-per-minute (60) and --rows-per-minute (5000); replies are at most 256 kB.',
    'An --incident or --profile that does not exist is said on every tool call (and on stderr) until fixed.',
  ].join('\n'),
  async run(context) {
    await runMcp(context.values, { loadCore: async () => context.core(), log: context.log });
    return { value: null, silent: true };
  },
});
