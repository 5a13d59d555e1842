import { useApp } from '../store';
import { ConnectionTest } from './profile/ConnectionTest';
import { TunnelsPanel } from './profile/TunnelsPanel';
import { RedisConsole } from './sql/RedisConsole';
import { SqlConsole } from './sql/SqlConsole';
import { SqlWorkbench } from './sql/SqlWorkbench';

/** The selected profile: its banner, connection, its SQL console and Redis command box. */
export function ProfilePane({ profileId }: { profileId: string }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === profileId));
  const session = useApp((s) => s.sessions[profileId]);
  const { connectRequested, disconnectRequested, editorOpened, profileRemoveRequested } = useApp.getState();
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
        {(profile.postgres || profile.redis) && <button onClick={() => useApp.getState().centreViewChosen('health')} data-testid="open-health">Health</button>}
        <button onClick={() => editorOpened({ mode: 'edit', profileId })} data-testid="edit-profile">Edit</button>
        <button className="danger" onClick={() => profileRemoveRequested(profileId)} data-testid="remove-profile">Remove</button>
      </header>
      <div className="pane-tools">
        <ConnectionTest profileId={profileId} />
        {profile.ssh && profile.postgres && <TunnelsPanel profileId={profileId} database={profile.postgres.database} user={profile.postgres.user} />}
      </div>
      {profile.postgres ? <SqlConsole profileId={profileId} /> : <p className="empty">This profile has no Postgres settings. Edit it to add them.</p>}
      {profile.postgres && <SqlWorkbench profileId={profileId} />}
      {profile.redis && <RedisConsole profileId={profileId} />}
    </section>
  );
}
