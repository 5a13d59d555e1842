import type { IncidentEvent } from '../../../../shared/incident';
import { useApp } from '../../store';

/** The note that records a person dismissing a proposal: the assistant reads it with incident_show. */
export const dismissalNote = (proposalId: string) => `Dismissed proposal ${proposalId}`;

/**
 * "Run with break-glass" hands an assistant's proposal to the profile's console, where the normal
 * confirmation applies (preview, typed profile name on production); "Dismiss" records that it was not run.
 */
export function ProposalActions({ event, dismissed }: { event: IncidentEvent; dismissed: boolean }) {
  const p = event.payload as { proposalId: string; profileId?: string; target: 'sql' | 'redis'; text: string; argv?: string[] };
  if (dismissed) return <span className="proposal-state" data-testid="proposal-dismissed">dismissed</span>;
  if (!p.profileId) return null;
  const run = () => {
    const app = useApp.getState();
    app.profileSelected(p.profileId!);
    if (p.target === 'sql') {
      app.sqlEdited(p.profileId!, p.text);
      void app.sqlRunRequested(p.profileId!);
    } else void app.redisRunRequested(p.profileId!, p.argv);
  };
  const dismiss = () => void useApp.getState().noteAdded(dismissalNote(p.proposalId));
  return (
    <span className="proposal-actions">
      <button type="button" className="danger" onClick={run} data-testid="proposal-run">Run with break-glass</button>
      <button type="button" onClick={dismiss} data-testid="proposal-dismiss">Dismiss</button>
    </span>
  );
}
