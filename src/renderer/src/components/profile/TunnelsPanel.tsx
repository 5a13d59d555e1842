import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';

/** Local forwards (127.0.0.1 only) the operator opened for their own tools, listed until closed. */
export function TunnelsPanel({ profileId, database, user }: { profileId: string; database: string; user: string }) {
  const tunnels = useApp(useShallow((s) => s.tunnels.filter((t) => t.profileId === profileId)));
  const { tunnelOpenRequested, tunnelCloseRequested, tunnelsRequested } = useApp.getState();
  useEffect(() => void tunnelsRequested(), [tunnelsRequested, profileId]);
  return (
    <section className="tunnels" aria-label="Local ports">
      <button
        onClick={() => void tunnelOpenRequested(profileId)}
        data-testid="tunnel-open"
        title="Opens a port on 127.0.0.1 only, forwarded through the SSH session to this profile's Postgres"
      >
        Open a local port for psql
      </button>
      {tunnels.length > 0 && (
        <ul data-testid="tunnels">
          {tunnels.map((t) => (
            <li key={t.tunnelId}>
              <code>
                psql -h 127.0.0.1 -p {t.localPort} -U {user} {database}
              </code>{' '}
              → {t.remoteHost}:{t.remotePort} ({t.activeConnections} open)
              <button
                onClick={() => void tunnelCloseRequested(t.tunnelId)}
                aria-label={`Close local port ${t.localPort}`}
                data-testid="tunnel-close"
              >
                Close
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
