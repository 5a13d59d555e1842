import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/settings';
import { useApp } from '../store';
import { AssistantsSettings } from './AssistantsSettings';
import { ProfilesTransfer } from './profile/ProfilesTransfer';
import { SandboxesSection } from './SandboxesSection';
import { TeamSettings } from './team/TeamSettings';
import { LabelledField } from './LabelledField';
import { RunbookSources } from './runbook/RunbookSources';

/** Settings: operator, query defaults, runbook folders, logs, vault status and Known hosts. */
export function SettingsView() {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  const knownHosts = useApp((s) => s.knownHosts);
  const { settingsSubmitted, knownHostsRequested, knownHostRemoved } = useApp.getState();
  const [draft, setDraft] = useState({ ...settings, runbookFolders: settings.runbookFolders.join('\n') });
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  useEffect(() => void knownHostsRequested(), [knownHostsRequested]);
  useEffect(() => setDraft({ ...settings, runbookFolders: settings.runbookFolders.join('\n') }), [settings]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const error = await settingsSubmitted({
      operatorName: draft.operatorName,
      defaultRowCap: Number(draft.defaultRowCap),
      defaultStatementTimeoutMs: Number(draft.defaultStatementTimeoutMs),
      runbookFolders: draft.runbookFolders
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      logLevel: draft.logLevel,
    });
    setMessage(error ? { kind: 'error', text: error } : { kind: 'info', text: 'Settings saved.' });
  };
  const text = (label: string, key: 'operatorName' | 'defaultRowCap' | 'defaultStatementTimeoutMs', hint?: string) => (
    <LabelledField label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          value={String(draft[key])}
          onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
          data-testid={`settings-${key}`}
        />
      )}
    </LabelledField>
  );

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form className="editor" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Operator</legend>
          {text(
            'Operator name',
            'operatorName',
            `Recorded on every incident event. Empty: ${info?.operator ?? 'the OS user name'}.`,
          )}
        </fieldset>
        <fieldset>
          <legend>Query defaults for new profiles</legend>
          {text('Row cap', 'defaultRowCap')}
          {text('Statement timeout (ms)', 'defaultStatementTimeoutMs')}
        </fieldset>
        <fieldset>
          <legend>Runbooks and logs</legend>
          <label className="field">
            <span>Runbook folders (one per line)</span>
            <textarea
              value={draft.runbookFolders}
              onChange={(e) => setDraft((d) => ({ ...d, runbookFolders: e.target.value }))}
              rows={3}
              data-testid="settings-runbookFolders"
            />
          </label>
          <LabelledField label="Log level">
            {(control) => (
              <select
                {...control}
                value={draft.logLevel}
                onChange={(e) => setDraft((d) => ({ ...d, logLevel: e.target.value as Settings['logLevel'] }))}
                data-testid="settings-logLevel"
              >
                {['error', 'warn', 'info', 'debug'].map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            )}
          </LabelledField>
          <p className="hint">
            Log file: <code>{info?.logFile}</code> (secrets are never written to it)
          </p>
        </fieldset>
        {message && (
          <p
            className={message.kind === 'error' ? 'form-error' : 'hint'}
            role={message.kind === 'error' ? 'alert' : 'status'}
            data-testid="settings-message"
          >
            {message.text}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" data-testid="settings-save">
            Save settings
          </button>
        </div>
      </form>
      <RunbookSources />
      <ProfilesTransfer />
      <AssistantsSettings />
      <TeamSettings />
      <section aria-labelledby="storage-title">
        <h3 id="storage-title">Storage</h3>
        <p>
          Data folder: <code data-testid="settings-dataDir">{info?.dataDir}</code>
        </p>
        <p data-testid="vault-status">
          {info?.vaultProtection === 'keychain'
            ? 'Secrets are sealed with a key kept in the OS keychain.'
            : 'No OS keychain was found: secrets are sealed with a key in a file readable only by you (vault.key in the data folder). Anyone who can read your data folder can open them.'}
        </p>
        {info?.fileWarnings.length ? (
          <div className="form-error" role="alert" data-testid="file-warnings">
            <p>Some files of the data folder could not be made private to you (folder 0700, files 0600):</p>
            <ul>
              {info.fileWarnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="hint" data-testid="file-modes">
            The data folder is readable only by you (0700; its files 0600).
          </p>
        )}
      </section>
      <SandboxesSection />
      <section aria-labelledby="known-hosts-title">
        <h3 id="known-hosts-title">Known hosts</h3>
        <p className="hint">
          Host keys you trusted in Ops Console. Keys in ~/.ssh/known_hosts are checked first and are edited with
          ssh-keygen -R.
        </p>
        {knownHosts.length === 0 ? (
          <p className="empty" data-testid="known-hosts-empty">
            No host keys trusted in the app yet.
          </p>
        ) : (
          <table data-testid="known-hosts">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Key</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Trusted</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {knownHosts.map((k) => (
                <tr key={`${k.host}:${k.port}:${k.keyType}`}>
                  <td>
                    {k.host}:{k.port}
                  </td>
                  <td>{k.keyType}</td>
                  <td>
                    <code>{k.fingerprint}</code>
                  </td>
                  <td>{k.trustedAt.replace('T', ' ').slice(0, 19)} UTC</td>
                  <td>
                    <button
                      className="danger"
                      onClick={() => knownHostRemoved(k.host, k.port, k.keyType)}
                      aria-label={`Forget the key of ${k.host}:${k.port}`}
                      data-testid="known-host-remove"
                    >
                      Forget
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
