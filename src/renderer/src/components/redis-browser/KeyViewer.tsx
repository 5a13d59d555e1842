import { useState } from 'react';
import { useApp } from '../../store';
import { browserPaneOf } from '../../store/redis-browser-slice';
import type { BrowserEdit } from '../../store/state/redis-browser';
import { RiskBadge } from '../sql/RiskBadge';
import { RedisConfirmForm } from './RedisConfirmForm';
import { formatTtl } from './key-tree';
import { BytesView, ValueView } from './ValueView';

function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'not available';
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** The gate's question about an edit (the same as the Redis console's), or what came of it. */
function EditPanel({ profileId, edit }: { profileId: string; edit: BrowserEdit }) {
  const { browserEditNameTyped, browserEditConfirmed, browserEditDismissed } = useApp.getState();
  if (edit.pending) {
    const pending = edit.pending;
    return (
      <div
        className="redis-confirm"
        role="group"
        aria-label="Confirm the Redis command"
        data-testid="browser-confirm-panel"
      >
        <p>
          <RiskBadge risk={pending.risk} /> <code>{pending.argv.join(' ')}</code>: {pending.message}
        </p>
        <RedisConfirmForm
          pending={pending}
          typedName={edit.typedName}
          busy={edit.running}
          testPrefix="browser"
          onType={(name) => browserEditNameTyped(profileId, name)}
          onConfirm={() => void browserEditConfirmed(profileId)}
          onDismiss={() => browserEditDismissed(profileId)}
        />
      </div>
    );
  }
  if (!edit.result) return null;
  const failed = edit.result.outcome !== 'ok';
  return (
    <p className={failed ? 'form-error' : 'hint'} role={failed ? 'alert' : 'status'} data-testid="browser-edit-result">
      {edit.result.argv[0]} {edit.result.outcome}
      {edit.result.message ? `: ${edit.result.message}` : ''}
    </p>
  );
}

function TtlEditor({ profileId, ttlMs }: { profileId: string; ttlMs: number }) {
  const [seconds, setSeconds] = useState('');
  const { browserEditRequested } = useApp.getState();
  const valid = /^\d+$/.test(seconds.trim()) && Number(seconds) > 0;
  return (
    <form
      className="ttl-editor"
      onSubmit={(e) => (
        e.preventDefault(),
        valid && void browserEditRequested(profileId, { op: 'expire', seconds: Number(seconds) })
      )}
    >
      <label>
        TTL (seconds){' '}
        <input
          value={seconds}
          onChange={(e) => setSeconds(e.target.value)}
          inputMode="numeric"
          placeholder="3600"
          data-testid="browser-ttl-input"
        />
      </label>
      <button type="submit" disabled={!valid} data-testid="browser-ttl-set">
        Set TTL
      </button>
      <button
        type="button"
        disabled={ttlMs < 0}
        onClick={() => void browserEditRequested(profileId, { op: 'persist' })}
        data-testid="browser-ttl-persist"
      >
        Remove expiry
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => void browserEditRequested(profileId, { op: 'unlink' })}
        data-testid="browser-unlink"
      >
        Delete key
      </button>
    </form>
  );
}

/** The selected key: what Redis says about it, its TTL controls and its value by pages. */
export function KeyViewer({ profileId }: { profileId: string }) {
  const pane = useApp((s) => browserPaneOf(s, profileId));
  const { browserValueMore } = useApp.getState();
  if (!pane.selected) return <p className="empty">Choose a key in the tree.</p>;
  const facts = pane.facts;
  return (
    <section className="key-viewer" aria-label="Key" data-testid="redis-key-viewer">
      {facts ? (
        <>
          <h3 data-testid="redis-key-name">
            <BytesView bytes={facts.key} />
          </h3>
          <dl className="key-facts">
            <dt>type</dt>
            <dd data-testid="redis-key-type">{facts.type}</dd>
            <dt>TTL</dt>
            <dd data-testid="redis-key-ttl">{formatTtl(facts.ttlMs)}</dd>
            <dt>memory</dt>
            <dd data-testid="redis-key-memory">{formatBytes(facts.memoryBytes)}</dd>
            <dt>encoding</dt>
            <dd>{facts.encoding ?? 'not available'}</dd>
            <dt>length</dt>
            <dd data-testid="redis-key-length">{facts.length ?? 'not available'}</dd>
          </dl>
          {facts.notes.map((note) => (
            <p key={note} className="hint" data-testid="redis-key-note">
              {note}
            </p>
          ))}
          <TtlEditor profileId={profileId} ttlMs={facts.ttlMs} />
        </>
      ) : (
        <p className="hint">Loading…</p>
      )}
      {pane.edit && <EditPanel profileId={profileId} edit={pane.edit} />}
      {pane.value && (
        <ValueView
          value={pane.value}
          loading={pane.valueLoading}
          onMore={() => void browserValueMore(profileId)}
          onEdit={(edit) => void useApp.getState().browserEditRequested(profileId, edit)}
        />
      )}
    </section>
  );
}
