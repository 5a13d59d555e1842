import { useEffect, useState } from 'react';
import { LabelledField } from '../LabelledField';
import { useApp } from '../../store';

/**
 * Settings → Team: the team database by URL (TLS verify-full unless the URL names a weaker
 * sslmode) or through a profile's SSH (creating the schema there is a write: the profile's name is
 * typed to confirm). The password goes to the vault; it is never shown again.
 */
export function TeamSettings() {
  const status = useApp((s) => s.teamStatus);
  const profiles = useApp((s) => s.profiles);
  const { teamRequested, teamConnected, teamDisconnected } = useApp.getState();
  const [via, setVia] = useState<'url' | 'profile'>('url');
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [profile, setProfile] = useState('');
  const [confirm, setConfirm] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => void teamRequested(), [teamRequested]);
  const connect = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = via === 'url' ? { url, password: password || undefined } : { profile, confirm };
    setError(await teamConnected({ ...input, displayName: displayName.trim() || undefined }));
    setPassword('');
  };
  return (
    <section aria-labelledby="team-title">
      <h3 id="team-title">Team</h3>
      <p className="hint" data-testid="team-settings-status">
        {status?.configured
          ? `${status.reachable ? `Connected (schema version ${status.schemaVersion})` : 'Configured, not reachable now'} · ${status.outbox} event(s) waiting to be shared · last shipped ${status.lastShippedAt ?? 'never'}`
          : 'Not connected: incidents stay on this computer.'}
      </p>
      {status?.configured ? (
        <button type="button" onClick={() => void teamDisconnected()} data-testid="team-disconnect">
          Disconnect
        </button>
      ) : (
        <form onSubmit={connect} aria-label="Connect to the team database">
          <LabelledField label="Team database">
            {(control) => (
              <select {...control} value={via} onChange={(e) => setVia(e.target.value as 'url' | 'profile')}>
                <option value="url">By URL</option>
                <option value="profile">A profile&apos;s Postgres (through its SSH)</option>
              </select>
            )}
          </LabelledField>
          {via === 'url' ? (
            <>
              <label className="field">
                <span>URL</span>
                <input
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  placeholder="postgres://opsconsole_team@db.internal:5432/ops"
                  data-testid="team-url"
                />
              </label>
              <label className="field">
                <span>Password</span>
                <input
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  autoComplete="off"
                  data-testid="team-password"
                />
              </label>
            </>
          ) : (
            <>
              <LabelledField label="Profile">
                {(control) => (
                  <select {...control} value={profile} onChange={(e) => setProfile(e.target.value)}>
                    <option value="">Choose…</option>
                    {profiles
                      .filter((p) => p.postgres)
                      .map((p) => (
                        <option key={p.id} value={p.name}>
                          {p.name}
                        </option>
                      ))}
                  </select>
                )}
              </LabelledField>
              <label className="field">
                <span>Type the profile&apos;s name to create the team schema there</span>
                <input value={confirm} onChange={(e) => setConfirm(e.target.value)} />
              </label>
            </>
          )}
          <label className="field">
            <span>Your name for the team</span>
            <input
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              data-testid="team-display-name"
            />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" data-testid="team-connect">
            Connect
          </button>
        </form>
      )}
    </section>
  );
}
