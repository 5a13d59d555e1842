import { OpsError } from '../../main/errors';
import { summarizeEvent } from '../../shared/incident-summary';
import { defineCommand, type CliCommand, type CliContext } from '../command';

function incidentAndSeq(context: CliContext): { id: string; seq: number } {
  const [id, event] = context.positionals;
  if (!id || !event)
    throw new OpsError(
      'invalid_input',
      'ID and EVENT are missing: give the incident id and the event number (#N in "opsconsole incident show ID").',
    );
  const seq = Number(event.replace(/^#/, ''));
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new OpsError('invalid_input', `EVENT must be an event number such as 12 (got "${event}").`);
  return { id, seq };
}

/** `incident star|unstar|hide|unhide ID EVENT`: each mark is a new event pointing at EVENT. */
function markCommand(mark: 'star' | 'unstar' | 'hide' | 'unhide', summary: string): CliCommand {
  const withReason = mark === 'star' || mark === 'hide';
  const reasonFlag = { type: 'string', value: 'TEXT', description: 'why (kept with the mark)' } as const;
  const options: { reason?: typeof reasonFlag } = withReason ? { reason: reasonFlag } : {};
  return defineCommand({
    path: ['incident', mark],
    summary,
    usage: `ID EVENT${withReason ? ' [--reason TEXT]' : ''} [--json]`,
    options,
    async run(context) {
      const reason = context.values.reason;
      const event = await context.core().invoke('incidents.mark', {
        ...incidentAndSeq(context),
        mark,
        ...(typeof reason === 'string' ? { reason } : {}),
      });
      return { value: event, text: `#${event.seq} ${summarizeEvent(event)}` };
    },
  });
}

const tag = defineCommand({
  path: ['incident', 'tag'],
  summary: 'Add tags to an incident (--remove takes one off); each change is an event',
  usage: 'ID [TAG…] [--remove TAG…] [--json]',
  options: { remove: { type: 'string', multiple: true, value: 'TAG', description: 'take this tag off (repeat it)' } },
  async run(context) {
    const [id, ...add] = context.positionals;
    if (!id) throw new OpsError('invalid_input', 'ID is missing: see --help for the usage.');
    const event = await context.core().invoke('incidents.tag', { id, add, remove: context.values.remove ?? [] });
    return { value: event, text: `#${event.seq} ${summarizeEvent(event)}` };
  },
});

export const incidentCurationCommands: CliCommand[] = [
  markCommand('star', 'Star an event of the timeline: it joins the starred export and the chat summary'),
  markCommand('unstar', 'Take the star off an event'),
  markCommand('hide', 'Hide an event from the curated views (the full export keeps it, marked hidden)'),
  markCommand('unhide', 'Show a hidden event again'),
  tag,
];
