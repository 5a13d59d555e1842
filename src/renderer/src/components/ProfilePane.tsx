import { useApp } from '../store';
import { paneOf } from '../store/sql-slice';
import { ResultTable } from './ResultTable';

/** The selected profile: its banner, connection, and a read-only SQL console. */
export function ProfilePane({ profileId }: { profileId: string }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === profileId));
  const session = useApp((s) => s.sessions[profileId]);
  const pane = useApp((s) => paneOf(s, profileId));
  const { connectRequested, disconnectRequested, editorOpened, sqlEdited, sqlRunRequested, profileRemoveRequested } = useApp.getState();
  if (!profile) return null;
  const state = session?.state ?? 'closed';
  const busy = state === 'connecting' || state === 'reconnecting';
  return (
    <section className="pane" aria-label={`Profile ${profile.name}`}>
      <header className="pane-header">
        <h2>{profile.name}</h2>
        <span className={`state state-${state}`} data-testid="session-state">{state}</span>
        {session?.reason && state !== 'ready' && <span className="reason" data-testid="session-reason">{session.reason}</span>}
        <div className="spacer" />
        {profile.ssh && (state === 'ready' ? (
          <button onClick={() => disconnectRequested(profileId)} data-testid="disconnect">Disconnect</button>
        ) : (
          <button className="primary" onClick={() => connectRequested(profileId)} disabled={busy} data-testid="connect">
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        ))}
        <button onClick={() => editorOpened({ mode: 'edit', profileId })} data-testid="edit-profile">Edit</button>
        <button className="danger" onClick={() => profileRemoveRequested(profileId)} data-testid="remove-profile">Remove</button>
      </header>
      {profile.postgres ? (
        <div className="sql">
          <label htmlFor="sql-text">SQL (runs read-only: the server refuses writes)</label>
          <textarea
            id="sql-text"
            value={pane.text}
            spellCheck={false}
            onChange={(e) => sqlEdited(profileId, e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void sqlRunRequested(profileId);
            }}
            data-testid="sql-text"
          />
          <div className="actions">
            <button className="primary" onClick={() => sqlRunRequested(profileId)} disabled={pane.running} data-testid="sql-run">
              {pane.running ? 'Running…' : 'Run (Ctrl+Enter)'}
            </button>
          </div>
          {pane.error && <p className="form-error" role="alert" data-testid="sql-error">{pane.error.message}</p>}
          {pane.result && <ResultTable result={pane.result} />}
        </div>
      ) : (
        <p className="empty">This profile has no Postgres settings. Edit it to add them.</p>
      )}
    </section>
  );
}
