import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { AssistantProposal, Handlers } from '../../shared/contract';
import type { EventAuthor, IncidentEvent } from '../../shared/incident';
import type { RedisClassification, SqlClassification } from '../../shared/risk';
import type { Incidents } from '../incidents/index';
import { maskRedisArgv, maskSqlPasswords } from '../redaction';
import type { ProfileRepository } from '../store/profile-repository';
import { OpsError } from '../errors';

type AssistantHandlers = Pick<Handlers, Extract<keyof Handlers, `assistants.${string}`>>;

export interface AssistantHandlerDeps {
  incidents: Incidents;
  profiles: Pick<ProfileRepository, 'get'>;
  classifySql(sql: string, profileId: string): Promise<SqlClassification>;
  classifyRedis(argv: string[], profileId: string): Promise<RedisClassification>;
  /** Throws not_found for an unknown incident id; passes undefined through (the active incident). */
  knownIncident(id?: string): string | undefined;
}

/** The person the assistant acts for, and the assistant: the one author shape. */
function author(incidents: Incidents, agent: string): EventAuthor {
  return { osUser: userInfo().username, displayName: incidents.recorder.operator, agent };
}

/** What became of each proposal of an incident: dismissed, or taken to break-glass (the latest word wins). */
function proposalStates(events: IncidentEvent[]): Map<string, 'dismissed' | 'run'> {
  const states = new Map<string, 'dismissed' | 'run'>();
  for (const e of events)
    if (e.kind === 'proposal.dismissed' || e.kind === 'proposal.run')
      states.set(String(e.payload.proposalId), e.kind === 'proposal.run' ? 'run' : 'dismissed');
  return states;
}

function toProposal(event: IncidentEvent, state: AssistantProposal['state'] = 'open'): AssistantProposal {
  const p = event.payload as Record<string, unknown> & { author: EventAuthor };
  return {
    proposalId: String(p.proposalId),
    incidentId: event.incidentId,
    seq: event.seq,
    at: event.at,
    agent: p.author.agent ?? '',
    ...(p.profileId ? { profileId: String(p.profileId) } : {}),
    ...(p.profileName ? { profileName: String(p.profileName) } : {}),
    target: p.target as AssistantProposal['target'],
    text: String(p.text),
    ...(Array.isArray(p.argv) ? { argv: p.argv as string[] } : {}),
    risk: p.risk as AssistantProposal['risk'],
    reasons: (p.reasons as string[]) ?? [],
    why: String(p.why),
    state,
  };
}

/**
 * The arguments as recorded: passwords in SQL (from the parse tree) and in Redis argv masked here,
 * where the recorder's own pass would not look (they sit one level down); known secrets by it.
 */
function maskedArguments(args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args };
  if (typeof out.sql === 'string') out.sql = maskSqlPasswords(out.sql).value;
  if (Array.isArray(out.argv) && out.argv.every((a) => typeof a === 'string'))
    out.argv = maskRedisArgv(out.argv as string[]).value;
  return out;
}

/** What an assistant records: its calls and its proposals. Nothing here reaches a server's write path. */
export function assistantHandlers(deps: AssistantHandlerDeps): AssistantHandlers {
  const { incidents } = deps;
  return {
    'assistants.recordCall': async ({ incidentId, agent, profileId, ...call }) => {
      const profileName = profileId ? deps.profiles.get(profileId).name : undefined;
      return incidents.recorder.record(
        'assistant.call',
        {
          ...call,
          arguments: maskedArguments(call.arguments),
          author: author(incidents, agent),
          ...(profileId ? { profileId, profileName } : {}),
        },
        { incidentId: deps.knownIncident(incidentId) },
      );
    },
    'assistants.propose': async ({ incidentId, agent, profileId, sql, argv, why }) => {
      const profile = deps.profiles.get(profileId);
      const target = sql !== undefined ? 'sql' : 'redis';
      const classification =
        sql !== undefined ? await deps.classifySql(sql, profile.id) : await deps.classifyRedis(argv!, profile.id);
      const reasons =
        'statements' in classification
          ? [...new Set(classification.statements.flatMap((s) => s.reasons))]
          : classification.reasons;
      const payload = {
        profileId: profile.id,
        profileName: profile.name,
        author: author(incidents, agent),
        proposalId: randomUUID(),
        target,
        text: sql ?? argv!.join(' '),
        ...(argv ? { argv } : {}),
        risk: classification.risk,
        reasons: reasons.map(String),
        why,
      } as const;
      return toProposal(incidents.recorder.record('proposal', payload, { incidentId: deps.knownIncident(incidentId) }));
    },
    'assistants.proposals': async ({ id }) => {
      const events = incidents.service.events(id, 0, 10_000);
      const states = proposalStates(events);
      return events
        .filter((e) => e.kind === 'proposal')
        .map((e) => toProposal(e, states.get(String(e.payload.proposalId)) ?? 'open'));
    },
    'assistants.dismissProposal': async ({ incidentId, proposalId, reason }) => {
      const { proposal, state } = findProposal(incidents, incidentId, proposalId);
      if (state)
        throw new OpsError(
          'invalid_input',
          `Proposal ${proposalId} was already ${state === 'run' ? 'taken to break-glass' : 'dismissed'}: its outcome is in the timeline.`,
        );
      return incidents.recorder.record(
        'proposal.dismissed',
        { ...where(proposal), proposalId, agent: proposal.agent, ...(reason ? { reason } : {}) },
        { incidentId },
      );
    },
    'assistants.runProposal': async ({ incidentId, proposalId }) => {
      const { proposal, state } = findProposal(incidents, incidentId, proposalId);
      if (state === 'dismissed')
        throw new OpsError(
          'refused',
          `Proposal ${proposalId} was dismissed: it is not run. Ask the assistant to propose it again if it is needed after all.`,
        );
      return incidents.recorder.record(
        'proposal.run',
        {
          ...where(proposal),
          proposalId,
          agent: proposal.agent,
          target: proposal.target,
          text: proposal.text,
          risk: proposal.risk,
        },
        { incidentId },
      );
    },
  };
}

function where(proposal: AssistantProposal): { profileId?: string; profileName?: string } {
  return {
    ...(proposal.profileId ? { profileId: proposal.profileId } : {}),
    ...(proposal.profileName ? { profileName: proposal.profileName } : {}),
  };
}

/** The proposal with that id in the incident, and whether a person already dismissed it or ran it. */
function findProposal(
  incidents: Incidents,
  incidentId: string,
  proposalId: string,
): { proposal: AssistantProposal; state?: 'dismissed' | 'run' } {
  const events = incidents.service.events(incidentId, 0, 10_000);
  const event = events.find((e) => e.kind === 'proposal' && e.payload.proposalId === proposalId);
  if (!event)
    throw new OpsError(
      'not_found',
      `No proposal ${proposalId} in incident ${incidentId}: list them with "opsconsole incident proposals ${incidentId}".`,
    );
  return { proposal: toProposal(event), state: proposalStates(events).get(proposalId) };
}
