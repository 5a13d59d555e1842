import { useState } from 'react';
import { connectionStateLabels } from '../../../shared/connection-state';
import { useApp } from '../store';
import { ConnectionTest } from './profile/ConnectionTest';
import { TunnelsPanel } from './profile/TunnelsPanel';
import { WorkbenchTabs } from './workbench/WorkbenchTabs';
import { SqlWorkbench } from './sql/SqlWorkbench';

/** The selected profile: its banner, connection, its SQL console and Redis command box. */
export function ProfilePane({ profileId }: { profileId: string }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === profileId));
  const session = useApp((s) => s.sessions[profileId]);
  const { connectRequested, disconnectRequested, editorOpened, profileRemoveRequested } = useApp.getState();
  const [confirmRemove, setConfirmRemove] = useState(false);
  if (!profile) return null;
  // A production profile is removed only after a second, explicit click: a stray one next to Edit must not do it.
  const remove = () =>
    profile.environment === 'production' && !confirmRemove
      ? setConfirmRemove(true)
      : void profileRemoveRequested(profileId);
  const state = session?.state ?? 'closed';
  const busy = state === 'connecting' || state === 'reconnecting';
  return (
    <section className="pane" aria-label={`Profile ${profile.name}`}>
      <header className="pane-header">
        <h2>{profile.name}</h2>
        <span className={`state state-${state}`} data-testid="session-state" data-state={state}>
          {connectionStateLabels[state]}
        </span>
        {session?.reason && state !== 'ready' && (
          <span className="reason" data-testid="session-reason">
            {session.reason}
          </span>
        )}
        <div className="spacer" />
        {profile.ssh &&
          (state === 'ready' ? (
            <button onClick={() => disconnectRequested(profileId)} data-testid="disconnect">
              Disconnect
            </button>
          ) : (
            <button
              className="primary"
              onClick={() => connectRequested(profileId)}
              disabled={busy}
              data-testid="connect"
            >
              {busy ? 'Connecting…' : 'Connect'}
            </button>
          ))}
        {(profile.postgres || profile.redis) && (
          <button onClick={() => useApp.getState().centreViewChosen('health')} data-testid="open-health">
            Health
          </button>
        )}
        <button onClick={() => editorOpened({ mode: 'edit', profileId })} data-testid="edit-profile">
          Edit
        </button>
      </header>
      <div className="pane-tools">
        <ConnectionTest profileId={profileId} />
        {profile.ssh && profile.postgres && (
          <TunnelsPanel profileId={profileId} database={profile.postgres.database} user={profile.postgres.user} />
        )}
      </div>
      <WorkbenchTabs profileId={profileId} />
      {profile.postgres && <SqlWorkbench profileId={profileId} />}
      <footer className="pane-footer" role="group" aria-label="Remove this profile">
        {confirmRemove && (
          <p className="form-error" role="alert" data-testid="remove-confirm">
            {profile.name} is a production profile: remove it and its stored secrets from this computer?{' '}
            <button type="button" onClick={() => setConfirmRemove(false)} data-testid="remove-keep">
              Keep it
            </button>
          </p>
        )}
        <button className="danger" onClick={remove} data-testid="remove-profile">
          {confirmRemove ? `Yes, remove ${profile.name}` : 'Remove profile'}
        </button>
      </footer>
    </section>
  );
}
