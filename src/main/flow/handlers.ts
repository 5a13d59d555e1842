import type { Handlers } from '../../shared/contract';
import { chatSummary } from '../../shared/incident-curation';
import type { IncidentEvent } from '../../shared/incident';
import { OpsError } from '../errors';
import type { Incidents } from '../incidents/index';
import type { RunbookService } from '../runbooks/runbook-service';
import { stepsAddressing } from '../runbooks/step-index';

type FlowHandlers = Pick<
  Handlers,
  | 'runbooks.stepsAddressing'
  | 'incidents.recordFinding'
  | 'incidents.mark'
  | 'incidents.noteAt'
  | 'incidents.tag'
  | 'incidents.summary'
>;

const markKinds = {
  star: 'event.starred',
  unstar: 'event.unstarred',
  hide: 'event.hidden',
  unhide: 'event.unhidden',
} as const;

/** Every event of an incident, page by page. */
export function allEvents(service: Incidents['service'], incidentId: string): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (
    let page = service.events(incidentId, 0, 1000);
    page.length > 0;
    page = service.events(incidentId, events.at(-1)!.seq, 1000)
  )
    events.push(...page);
  return events;
}

/** From finding to fix: the steps that address a check, findings kept in the incident, and its curation. */
export function flowHandlers(
  runbooks: RunbookService,
  { service, recorder }: Incidents,
  profileName: (id: string) => string | undefined,
): FlowHandlers {
  return {
    'runbooks.stepsAddressing': async ({ checks }) => stepsAddressing(runbooks, checks),
    'incidents.recordFinding': async ({ id, profileId, ...finding }) => {
      if (id) service.record(id);
      const name = profileName(profileId);
      return recorder.record(
        'health.finding',
        { profileId, ...(name ? { profileName: name } : {}), ...finding },
        { incidentId: id },
      );
    },
    'incidents.mark': async ({ id, seq, mark, reason }) => {
      const events = service.events(id, seq - 1, 1);
      const target = events[0];
      if (!target || target.seq !== seq)
        throw new OpsError(
          'not_found',
          `Incident ${id} has no event ${seq}: list its timeline with "opsconsole incident show ${id}".`,
        );
      if (target.kind.startsWith('event.'))
        throw new OpsError(
          'invalid_input',
          `event ${seq} is itself a ${target.kind.slice(6)} mark: star or hide the event it points at (${String(target.payload.seq)}).`,
        );
      const withReason = reason && (mark === 'star' || mark === 'hide') ? { reason } : {};
      return recorder.record(markKinds[mark], { seq, ...withReason }, { incidentId: id });
    },
    'incidents.noteAt': async ({ id, text, happenedAt }) => {
      if (id) service.record(id);
      return recorder.record('note', { text, happenedAt: new Date(happenedAt).toISOString() }, { incidentId: id });
    },
    'incidents.tag': async ({ id, add, remove }) => {
      service.record(id);
      if (add.length === 0 && remove.length === 0)
        throw new OpsError('invalid_input', 'add and remove are both empty: name a tag to add or to remove.');
      return recorder.record('incident.tagged', { added: add, removed: remove }, { incidentId: id });
    },
    'incidents.summary': async ({ id, format }) => ({
      format,
      text: chatSummary(service.get(id), allEvents(service, id), format),
    }),
  };
}
