import { useCallback, useEffect, useState } from 'react';
import type { RunbookSourceView } from '../../../../shared/contract';
import { shortCommit } from '../../../../shared/runbook-pin';
import { transport } from '../../store/transport-ref';

type Status = { kind: 'error' | 'info'; text: string };

/** Settings → Runbooks: git remotes the library is pulled from (add, list with age, sync, remove, push a branch). */
export function RunbookSources() {
  const [sources, setSources] = useState<RunbookSourceView[]>([]);
  const [draft, setDraft] = useState({ url: '', branch: '', path: '' });
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(async () => setSources(await transport().invoke('runbookSources.list', {})), []);
  useEffect(() => void refresh().catch(() => undefined), [refresh]);

  /** Runs one action, shows its outcome in words, then lists again. */
  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus({ kind: 'info', text: await action() });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    } finally {
      setBusy(false);
      await refresh().catch(() => undefined);
    }
  };
  const add = (event: React.FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const added = await transport().invoke('runbookSources.add', {
        url: draft.url.trim(),
        ...(draft.branch.trim() ? { branch: draft.branch.trim() } : {}),
        ...(draft.path.trim() ? { path: draft.path.trim() } : {}),
      });
      setDraft({ url: '', branch: '', path: '' });
      return `Added ${added.name} at ${shortCommit(added.commit ?? '')}.`;
    });
  };
  const sync = () =>
    act(async () => {
      const reports = await transport().invoke('runbookSources.sync', {});
      return (
        reports
          .map((r) =>
            r.ok
              ? `${r.source}: at ${shortCommit(r.commit ?? '')}${r.changed.length ? `, changed ${r.changed.join(', ')}` : ''}`
              : `${r.source}: ${r.error!.message}`,
          )
          .join(' · ') || 'No sources.'
      );
    });

  return (
    <section aria-labelledby="runbook-sources-title" data-testid="runbook-sources">
      <h3 id="runbook-sources-title">Runbook sources (git)</h3>
      <p className="hint">
        Cloned with your system git (your SSH keys and credential helpers work) and pulled fast-forward only: a
        rewritten history or local edits are reported, never merged.
      </p>
      {sources.length === 0 ? (
        <p className="empty" data-testid="runbook-sources-empty">
          No git sources yet.
        </p>
      ) : (
        <ul className="runbook-sources">
          {sources.map((s) => (
            <SourceRow key={s.id} source={s} busy={busy} act={act} />
          ))}
        </ul>
      )}
      <form className="editor" onSubmit={add} noValidate>
        <label className="field">
          <span>Remote URL</span>
          <input
            value={draft.url}
            onChange={(e) => setDraft((d) => ({ ...d, url: e.target.value }))}
            placeholder="git@git.example.com:team/runbooks.git"
            data-testid="runbook-source-url"
          />
        </label>
        <label className="field">
          <span>Branch (default: the remote's)</span>
          <input
            value={draft.branch}
            onChange={(e) => setDraft((d) => ({ ...d, branch: e.target.value }))}
            data-testid="runbook-source-branch"
          />
        </label>
        <label className="field">
          <span>Subfolder (optional)</span>
          <input
            value={draft.path}
            onChange={(e) => setDraft((d) => ({ ...d, path: e.target.value }))}
            data-testid="runbook-source-path"
          />
        </label>
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={busy || !draft.url.trim()}
            data-testid="runbook-source-add"
          >
            Add source
          </button>
          <button
            type="button"
            disabled={busy || sources.length === 0}
            onClick={() => void sync()}
            data-testid="runbook-sources-sync"
          >
            Sync now
          </button>
        </div>
      </form>
      {status && (
        <p
          className={status.kind === 'error' ? 'form-error' : 'hint'}
          role={status.kind === 'error' ? 'alert' : 'status'}
          data-testid="runbook-sources-message"
        >
          {status.text}
        </p>
      )}
    </section>
  );
}

function SourceRow({
  source: s,
  busy,
  act,
}: {
  source: RunbookSourceView;
  busy: boolean;
  act: (action: () => Promise<string>) => Promise<void>;
}) {
  const [push, setPush] = useState({ branch: '', message: '' });
  const pushBranch = (event: React.FormEvent) => {
    event.preventDefault();
    void act(
      async () =>
        (
          await transport().invoke('runbookSources.pushBranch', {
            source: s.name,
            branch: push.branch.trim(),
            message: push.message,
          })
        ).message,
    );
  };
  return (
    <li data-testid="runbook-source" data-name={s.name}>
      <strong>{s.name}</strong> <code>{s.url}</code> ({s.branch}
      {s.path ? `, ${s.path}` : ''}) ·{' '}
      <code data-testid="runbook-source-commit">{s.commit ? shortCommit(s.commit) : '—'}</code> ·{' '}
      <span data-testid="runbook-source-age">{s.age}</span>
      {s.lastError && (
        <p className="form-error" data-testid="runbook-source-error">
          Last sync failed: {s.lastError.message}
        </p>
      )}
      <p className="hint">
        Edit runbooks in <code>{s.folder}</code>, then push them to a branch for review.
      </p>
      <form className="inline-form" onSubmit={pushBranch} noValidate>
        <input
          aria-label={`Branch for ${s.name}`}
          placeholder="fix/my-runbook"
          value={push.branch}
          onChange={(e) => setPush((p) => ({ ...p, branch: e.target.value }))}
          data-testid="runbook-source-push-branch"
        />
        <input
          aria-label={`Commit message for ${s.name}`}
          placeholder="What the edit changes"
          value={push.message}
          onChange={(e) => setPush((p) => ({ ...p, message: e.target.value }))}
          data-testid="runbook-source-push-message"
        />
        <button
          type="submit"
          disabled={busy || !push.branch.trim() || !push.message.trim()}
          data-testid="runbook-source-push"
        >
          Push branch
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() =>
            void act(
              async () => `Removed ${(await transport().invoke('runbookSources.remove', { source: s.name })).source}.`,
            )
          }
          aria-label={`Remove ${s.name}`}
          data-testid="runbook-source-remove"
        >
          Remove
        </button>
      </form>
    </li>
  );
}
