import { useState } from 'react';
import { importConflictStrategies, type ImportConflictStrategy, type ImportReport } from '../../../../shared/profile';
import { useApp } from '../../store';
import { LabelledField } from '../LabelledField';
import { ImportPreview } from './ImportPreview';

function describe(report: ImportReport): string {
  const parts = [
    report.created.length && `${report.created.length} created`,
    report.replaced.length && `${report.replaced.length} replaced`,
    report.renamed.length && `${report.renamed.length} renamed`,
    report.skipped.length &&
      `${report.skipped.length} skipped (${report.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`,
    report.dropped?.length &&
      `imported without some settings, check before use: ${report.dropped.map((d) => `${d.name} (${d.settings.join(', ')})`).join('; ')}`,
  ].filter(Boolean);
  return parts.length ? `${report.dryRun ? 'Would be ' : ''}${parts.join(', ')}.` : 'Nothing to import.';
}

/** Import and export of profiles (JSON without secrets) and import of ~/.ssh/config hosts. */
export function ProfilesTransfer() {
  const { profilesExportRequested, profilesImportRequested, sshConfigImportRequested } = useApp.getState();
  const [onConflict, setOnConflict] = useState<ImportConflictStrategy>('skip');
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const [sshHosts, setSshHosts] = useState<{ name: string; chosen: boolean }[]>();
  const [sshPath, setSshPath] = useState('');
  const [pending, setPending] = useState<{ text: string; report: ImportReport }>();
  const show = (result: ImportReport | string) =>
    setMessage(typeof result === 'string' ? { error: true, text: result } : { error: false, text: describe(result) });

  const exportAll = async () => {
    const text = await profilesExportRequested();
    if (!text) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = 'opsconsole-profiles.json';
    link.click();
    URL.revokeObjectURL(link.href);
    setMessage({ error: false, text: 'Exported (no secrets are in the file).' });
  };
  /** A file that replaces profiles is previewed first; one that only adds goes straight in. */
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    const preview = await profilesImportRequested(text, onConflict, { dryRun: true });
    if (typeof preview !== 'string' && preview.replaced.length > 0) return setPending({ text, report: preview });
    show(typeof preview === 'string' ? preview : await profilesImportRequested(text, onConflict));
  };
  const importPending = async (allowDowngrade: boolean) => {
    if (!pending) return;
    setPending(undefined);
    show(await profilesImportRequested(pending.text, onConflict, { allowDowngrade }));
  };
  const listSshHosts = async () => {
    const report = await sshConfigImportRequested({ path: sshPath.trim() || undefined, dryRun: true });
    if (typeof report === 'string') return show(report);
    setSshHosts([
      ...report.created.map((c) => ({ name: c.name, chosen: true })),
      ...report.skipped.map((s) => ({ name: s.name, chosen: false })),
    ]);
    show(report);
  };
  const importSshHosts = async () => {
    const hosts = sshHosts?.filter((h) => h.chosen).map((h) => h.name) ?? [];
    show(await sshConfigImportRequested({ path: sshPath.trim() || undefined, hosts, dryRun: false }));
    setSshHosts(undefined);
  };

  return (
    <section className="transfer" aria-labelledby="transfer-title">
      <h3 id="transfer-title">Import and export profiles</h3>
      <div className="actions">
        <button onClick={exportAll} data-testid="profiles-export">
          Export profiles…
        </button>
        <LabelledField label="On a name clash" className="field inline">
          {(control) => (
            <select
              {...control}
              value={onConflict}
              onChange={(e) => setOnConflict(e.target.value as ImportConflictStrategy)}
              data-testid="import-conflict"
            >
              {importConflictStrategies.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </LabelledField>
        <label className="button-like">
          Import profiles…
          <input
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            onChange={(e) => {
              void importFile(e.target.files?.[0]);
              e.target.value = ''; // the same file chosen again must import again
            }}
            data-testid="profiles-import-file"
          />
        </label>
      </div>
      <div className="actions">
        <label className="field inline">
          <span>ssh config file</span>
          <input
            value={sshPath}
            onChange={(e) => setSshPath(e.target.value)}
            placeholder="~/.ssh/config"
            data-testid="ssh-config-path"
          />
        </label>
        <button onClick={listSshHosts} data-testid="ssh-config-list">
          Read hosts
        </button>
      </div>
      {pending && (
        <ImportPreview
          report={pending.report}
          onImport={(allow) => void importPending(allow)}
          onCancel={() => setPending(undefined)}
        />
      )}
      {sshHosts && (
        <fieldset>
          <legend>Hosts to import (each becomes the SSH part of a new profile)</legend>
          {sshHosts.map((host, i) => (
            <label key={host.name}>
              <input
                type="checkbox"
                checked={host.chosen}
                onChange={(e) =>
                  setSshHosts(sshHosts.map((h, j) => (j === i ? { ...h, chosen: e.target.checked } : h)))
                }
              />{' '}
              {host.name}
            </label>
          ))}
          <button className="primary" onClick={importSshHosts} data-testid="ssh-config-import">
            Import chosen hosts
          </button>
        </fieldset>
      )}
      {message && (
        <p
          className={message.error ? 'form-error' : 'hint'}
          role={message.error ? 'alert' : 'status'}
          data-testid="transfer-message"
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
