import type { Handlers } from '../../shared/contract';
import type { IncidentEvent } from '../../shared/incident';
import type { Incidents } from '../incidents/index';
import { pushBranch } from './push-branch';
import type { GitSources } from './git-sources';
import type { StepPins } from './step-pins';

type SourceHandlers = Pick<Handlers, Extract<keyof Handlers, `runbookSources.${string}`> | 'incidents.recordStep'>;

/** The runbookSources.* operations, and the step recording that pins each step to its commit. */
export function runbookSourceHandlers(sources: GitSources, pins: StepPins, { service }: Incidents): SourceHandlers {
  return {
    'runbookSources.list': async () => sources.views(),
    'runbookSources.add': async (input) => sources.add(input),
    'runbookSources.remove': async ({ source }) => sources.remove(source),
    'runbookSources.sync': async ({ source }) => sources.sync(source),
    'runbookSources.pushBranch': async ({ source, branch, message }) => {
      const found = sources.list.find(source);
      return pushBranch(found, sources.list.clone(found), branch, message);
    },
    'runbookSources.stepChanges': async ({ incidentId }) => pins.changes(allEvents(service, incidentId)),
    // Replaces the plain incidents handler: every recorded step carries the version that ran.
    'incidents.recordStep': async ({ id, ...step }) => {
      // A pin that cannot be computed (git gone, file unreadable) never costs the record itself.
      const pin = await pins.pin(step.runbook, step.step).catch(() => undefined);
      return service.recordStep(id, { ...step, ...(pin ? { pin } : {}) });
    },
  };
}

function allEvents(service: Incidents['service'], incidentId: string): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (
    let page = service.events(incidentId, 0, 1000);
    page.length > 0;
    page = service.events(incidentId, events.at(-1)!.seq, 1000)
  )
    events.push(...page);
  return events;
}
