import { environmentKinds } from '../../../shared/profile-constants';
import { useApp } from '../store';

import { connectionStateLabels as stateLabels } from '../../../shared/connection-state';

/** Profiles grouped by environment kind, production first, each with its colour and state. */
export function Sidebar() {
  const profiles = useApp((s) => s.profiles);
  const sessions = useApp((s) => s.sessions);
  const selectedId = useApp((s) => s.selectedProfileId);
  const profileSelected = useApp((s) => s.profileSelected);
  const editorOpened = useApp((s) => s.editorOpened);
  return (
    <nav className="sidebar" aria-label="Profiles" data-testid="profiles-sidebar">
      <div className="sidebar-header">
        <h1>Ops Console</h1>
        <button className="primary" onClick={() => editorOpened({ mode: 'new' })} data-testid="new-profile">
          + New profile
        </button>
      </div>
      {environmentKinds.map((kind) => {
        const group = profiles.filter((p) => p.environment === kind);
        if (!group.length) return null;
        return (
          <section key={kind} aria-label={`${kind} profiles`}>
            <h2 className={`env-heading env-${kind}`}>{kind}</h2>
            <ul>
              {group.map((profile) => {
                const state = sessions[profile.id]?.state;
                return (
                  <li key={profile.id}>
                    <button
                      className={`profile-item${selectedId === profile.id ? ' selected' : ''}`}
                      onClick={() => profileSelected(profile.id)}
                      aria-current={selectedId === profile.id ? 'true' : undefined}
                      data-testid={`profile-item-${profile.name}`}
                    >
                      <span
                        className="swatch"
                        style={{ '--swatch': profile.color } as React.CSSProperties}
                        aria-hidden
                      />
                      <span className="profile-name">{profile.name}</span>
                      {profile.demo && (
                        <span
                          className="demo-badge"
                          title="Demo environment: an embedded database on this computer"
                          data-testid={`demo-badge-${profile.name}`}
                        >
                          demo
                        </span>
                      )}
                      {state && (
                        <span className={`state state-${state}`} data-testid={`profile-state-${profile.name}`}>
                          {stateLabels[state]}
                        </span>
                      )}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
