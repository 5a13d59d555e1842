import type { IncidentEvent } from '../../../../shared/incident';
import { useApp } from '../../store';

/** What became of each proposal: its own dismissal or break-glass event (a note, in incidents from before those events). */
export function proposalStates(events: IncidentEvent[]): Map<string, 'dismissed' | 'run'> {
  const states = new Map<string, 'dismissed' | 'run'>();
  for (const e of events) {
    if (e.kind === 'proposal.dismissed' || e.kind === 'proposal.run')
      states.set(String(e.payload.proposalId), e.kind === 'proposal.run' ? 'run' : 'dismissed');
    const legacy = e.kind === 'note' ? /^Dismissed proposal (\S+)$/.exec(String(e.payload.text)) : null;
    if (legacy) states.set(legacy[1]!, 'dismissed');
  }
  return states;
}

/**
 * "Run with break-glass" hands an assistant's proposal to the profile's console, where the normal
 * confirmation applies (preview, typed profile name on production); "Dismiss" records that it was not run.
 */
export function ProposalActions({ event, state }: { event: IncidentEvent; state?: 'dismissed' | 'run' }) {
  const p = event.payload as {
    proposalId: string;
    profileId?: string;
    target: 'sql' | 'redis';
    text: string;
    argv?: string[];
  };
  if (state === 'dismissed')
    return (
      <span className="proposal-state" data-testid="proposal-dismissed">
        dismissed
      </span>
    );
  if (!p.profileId) return null;
  const run = async () => {
    const app = useApp.getState();
    if (!(await app.proposalRunStarted(event.incidentId, p.proposalId))) return;
    app.profileSelected(p.profileId!);
    if (p.target === 'sql') {
      app.sqlEdited(p.profileId!, p.text);
      void app.sqlRunRequested(p.profileId!);
    } else void app.redisRunRequested(p.profileId!, p.argv);
  };
  const dismiss = () => void useApp.getState().proposalDismissed(event.incidentId, p.proposalId);
  return (
    <span className="proposal-actions">
      {state === 'run' && (
        <span className="proposal-state" data-testid="proposal-taken">
          taken to break-glass
        </span>
      )}
      <button type="button" className="danger" onClick={() => void run()} data-testid="proposal-run">
        {state === 'run' ? 'Run again' : 'Run with break-glass'}
      </button>
      {state !== 'run' && (
        <button type="button" onClick={dismiss} data-testid="proposal-dismiss">
          Dismiss
        </button>
      )}
    </span>
  );
}
