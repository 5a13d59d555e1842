import { useEffect } from 'react';
import { useApp } from '../../store';

/**
 * Team mode in the drawer: whether the team database is reachable (and how many events wait to
 * be shared), who else has this incident open, and the team's incidents to join.
 */
export function TeamPanel() {
  const status = useApp((s) => s.teamStatus);
  const incidents = useApp((s) => s.teamIncidents);
  const presence = useApp((s) => s.teamPresence);
  const active = useApp((s) => s.activeIncident);
  const { teamRequested, teamIncidentJoined } = useApp.getState();
  useEffect(() => {
    void teamRequested();
    const timer = setInterval(() => void teamRequested(), 5_000);
    return () => clearInterval(timer);
  }, [teamRequested, active?.id]);
  if (!status?.configured) return null;
  const joinable = incidents.filter((i) => !i.joined && i.id !== active?.id);
  return (
    <section className="team-panel" aria-label="Team" data-testid="team-panel">
      <p className="hint" role="status" data-testid="team-status">
        {status.reachable ? 'Team database connected' : 'Team database unreachable: working offline'}
        {status.outbox > 0 ? ` · ${status.outbox} event(s) not yet shared` : ''}
      </p>
      {active && presence.length > 0 && (
        <p className="hint" data-testid="team-presence">
          Here now: {presence.map((p) => (p.self ? `${p.displayName} (you)` : p.displayName)).join(', ')}
        </p>
      )}
      {joinable.length > 0 && (
        <ul className="team-incidents" aria-label="Team incidents">
          {joinable.map((i) => (
            <li key={i.id}>
              {i.severity ?? '--'} · {i.title} ({i.status})
              <button onClick={() => void teamIncidentJoined(i.id)} data-testid={`team-join-${i.id}`}>
                Join
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
