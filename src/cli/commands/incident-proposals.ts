import { OpsError } from '../../main/errors';
import { defineCommand } from '../command';

/** `opsconsole incident proposals ID`: the changes assistants proposed, none of them run by the proposal itself. */
export const incidentProposalsCommand = defineCommand({
  path: ['incident', 'proposals'],
  readOnly: true,
  summary: 'List the changes AI assistants proposed in an incident (classified, recorded, never run by them)',
  usage: 'ID [--json]',
  options: {},
  help: 'Output (--json): {"proposals": [{"proposalId", "seq", "at", "agent", "profileName", "target": "sql"|"redis", "text", "risk", "reasons", "why", "state": "open"|"dismissed"|"run"}]}',
  async run({ core, positionals }) {
    const id = positionals[0];
    if (!id)
      throw new OpsError(
        'invalid_input',
        'The incident id is missing: opsconsole incident proposals ID (ids: opsconsole incident list).',
      );
    const proposals = await core().invoke('assistants.proposals', { id });
    const text = proposals.length
      ? proposals
          .map(
            (p) =>
              `#${p.seq} ${p.at.slice(0, 19).replace('T', ' ')} UTC  ${p.agent} on ${p.profileName ?? p.profileId ?? '?'} [${p.risk}] (${p.state ?? 'open'}) ${p.text}\n      why: ${p.why}`,
          )
          .join('\n')
      : 'No proposals in this incident.';
    return { value: { proposals }, text };
  },
});
