import type { RedisWatchEvent, RedisWatchMessage } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions, type CliContext } from '../command';
import { profileOf } from './sql-run';

/** One message as a line; JSON string quoting keeps control characters from the data inert. */
function line(message: RedisWatchMessage): string {
  const where = message.channel ? `${message.pattern ? `${message.pattern} → ` : ''}${message.channel} ` : '';
  return `${message.at} ${JSON.stringify(where).slice(1, -1)}${JSON.stringify(message.text)}`;
}

function secondsOf(context: CliContext): number {
  const raw = context.values.seconds ?? '30';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
    throw new OpsError('invalid_input', `--seconds must be a whole number from 1 to 600, not "${raw}".`);
  return seconds;
}

export const redisWatchCommand = defineCommand({
  path: ['redis', 'watch'],
  summary:
    'Watch SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE or MONITOR on a connection of its own, for --seconds (30); Ctrl-C stops it',
  usage: '--profile NAME [--seconds N] [--confirm PROFILE_NAME] [--incident ID] [--json] -- SUBSCRIBE CHANNEL…',
  options: {
    profile: sharedOptions.profile,
    seconds: { type: 'string', value: 'N', description: 'stop watching after N seconds (default 30)' },
    confirm: sharedOptions.confirm,
    incident: sharedOptions.incident,
  },
  allowPositionals: true,
  help: 'Messages are shown on stderr as they arrive and listed on stdout at the end. MONITOR needs --confirm PROFILE_NAME. Output (--json): {"outcome","argv","count","reason","messages"}.',
  async run(context) {
    const profile = await profileOf(context);
    const seconds = secondsOf(context);
    const core = context.core();
    const messages: RedisWatchMessage[] = [];
    let watchId: string | undefined;
    let finish: (end: { reason: string; count: number }) => void = () => undefined;
    const ended = new Promise<{ reason: string; count: number }>((resolve) => (finish = resolve));
    const off = core.subscribe((name, payload) => {
      const event = payload as RedisWatchEvent;
      if (name !== 'onRedisWatch' || event.watchId !== watchId) return;
      if (event.type === 'ended') return finish(event);
      messages.push(...event.messages);
      event.messages.forEach((message) => context.log(line(message)));
    });
    const stop = () => void (watchId && core.invoke('redis.stopWatch', { watchId }));
    process.once('SIGINT', stop);
    try {
      const confirm = context.values.confirm;
      const started = await core.invoke('redis.watch', {
        profileId: profile.id,
        argv: context.positionals,
        seconds,
        ...(confirm !== undefined ? { confirm: { typedName: confirm } } : {}),
        ...(context.values.incident ? { incidentId: context.values.incident } : {}),
      });
      if (started.outcome !== 'watching') {
        context.log(
          started.outcome === 'confirmation_required'
            ? `${started.message} Run again with --confirm ${profile.name}.`
            : (started.message ?? 'Refused.'),
        );
        return {
          value: { outcome: 'refused', argv: started.argv, count: 0, reason: started.message ?? null, messages: [] },
          exitCode: 1,
        };
      }
      watchId = started.watchId;
      context.log(
        `Watching ${started.argv.join(' ')} on a dedicated connection until ${started.expiresAt} (Ctrl-C stops it).`,
      );
      const end = await ended;
      const value = { outcome: 'watched', argv: started.argv, count: end.count, reason: end.reason, messages };
      return { value, text: [...messages.map(line), `${end.count} messages; ${end.reason}`].join('\n') };
    } finally {
      process.off('SIGINT', stop);
      off();
    }
  },
});
