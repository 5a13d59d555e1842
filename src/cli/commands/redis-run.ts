import type { RedisRunResult } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions } from '../command';
import { profileOf } from './sql-run';

function readable(result: RedisRunResult): string {
  const lines = [
    `${result.outcome} · risk ${result.risk}${result.reasons.length ? ` (${result.reasons.join(', ')})` : ''} · ${result.durationMs} ms`,
  ];
  if (result.reply) lines.push(JSON.stringify(result.reply, null, 2));
  if (result.message) lines.push(result.message);
  return lines.join('\n');
}

export const redisRunCommand = defineCommand({
  path: ['redis', 'run'],
  summary:
    'Run one Redis command as an argv array: reads run; writes and dangerous commands only with --confirm PROFILE_NAME',
  usage: '--profile NAME [--confirm PROFILE_NAME] [--incident ID] [--json] -- CMD ARG…',
  options: { profile: sharedOptions.profile, confirm: sharedOptions.confirm, incident: sharedOptions.incident },
  allowPositionals: true,
  help: 'The command after -- is sent as its own arguments, never re-split. Output (--json): {"risk","outcome","reply"}, and "message" (why, and what to do) when it was refused or failed; the reply is typed ({"type":"string"|"integer"|"nil"|"array"|"error", …}); a string that is not UTF-8 text has "binary": true and its value in redis-cli \\xHH escapes.',
  async run(context) {
    const profile = await profileOf(context);
    if (context.positionals.length === 0)
      throw new OpsError(
        'invalid_input',
        'No command: give it after --, e.g. opsconsole redis run --profile p -- GET key.',
      );
    const confirm = context.values.confirm;
    const result = await context.core().invoke('redis.run', {
      profileId: profile.id,
      argv: context.positionals,
      ...(confirm !== undefined ? { confirm: { typedName: confirm } } : {}),
      ...(context.values.incident ? { incidentId: context.values.incident } : {}),
    });
    const outcome = result.outcome === 'confirmation_required' ? 'refused' : result.outcome;
    if (result.notice) context.log(result.notice);
    const message =
      result.message && result.outcome === 'confirmation_required'
        ? `${result.message} Run again with --confirm ${profile.name}.`
        : result.message;
    if (message) context.log(message);
    return {
      value: { risk: result.risk, outcome, reply: result.reply ?? null, ...(message ? { message } : {}) },
      text: readable(result),
      exitCode: outcome === 'ok' ? 0 : 1,
    };
  },
});
