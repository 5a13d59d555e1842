import { redisKeyTypes } from '../../../../shared/contract';
import { useApp } from '../../store';
import { browserPaneOf, maxListedKeys } from '../../store/redis-browser-slice';
import type { BrowserView } from '../../store/state/redis-browser';
import { KeyTree } from './KeyTree';
import { KeyViewer } from './KeyViewer';
import { ServerView } from './ServerViews';

const views: [BrowserView, string][] = [
  ['keys', 'Keys'],
  ['info', 'INFO'],
  ['slowlog', 'Slowlog'],
  ['sample', 'Big keys & TTLs'],
];

function Toolbar({ profileId }: { profileId: string }) {
  const pane = useApp((s) => browserPaneOf(s, profileId));
  const { browserFilterChanged, browserScanRequested, browserPaused } = useApp.getState();
  return (
    <form
      className="browser-toolbar"
      onSubmit={(e) => (e.preventDefault(), void browserScanRequested(profileId, { fresh: true }))}
    >
      <label>
        MATCH{' '}
        <input
          value={pane.match}
          placeholder="user:*"
          onChange={(e) => browserFilterChanged(profileId, { match: e.target.value })}
          spellCheck="false"
          data-testid="browser-match"
        />
      </label>
      <label>
        TYPE
        <select
          value={pane.type}
          onChange={(e) =>
            browserFilterChanged(profileId, { type: redisKeyTypes.find((t) => t === e.target.value) ?? '' })
          }
          data-testid="browser-type"
        >
          <option value="">any</option>
          {redisKeyTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Delimiter{' '}
        <input
          className="narrow"
          value={pane.delimiter}
          maxLength={4}
          onChange={(e) => browserFilterChanged(profileId, { delimiter: e.target.value })}
          data-testid="browser-delimiter"
        />
      </label>
      <button type="submit" className="primary" disabled={pane.scanning} data-testid="browser-scan">
        Scan
      </button>
      <button
        type="button"
        disabled={pane.scanning || pane.done || pane.keys.length === 0}
        onClick={() => void browserScanRequested(profileId, {})}
        data-testid="browser-more"
      >
        Next page
      </button>
      {pane.scanning ? (
        <button type="button" onClick={() => browserPaused(profileId)} data-testid="browser-pause">
          Pause
        </button>
      ) : (
        <button
          type="button"
          disabled={pane.done || pane.keys.length >= maxListedKeys}
          onClick={() => void browserScanRequested(profileId, { all: true, fresh: pane.keys.length === 0 })}
          data-testid="browser-scan-all"
        >
          Scan all
        </button>
      )}
      <span className="result-meta" data-testid="browser-status">
        {pane.keys.length} keys{pane.done ? ' · scan complete' : pane.keys.length ? ` · cursor ${pane.cursor}` : ''}
        {pane.paused ? ' · paused' : ''}
      </span>
    </form>
  );
}

/** The key browser: SCAN pages into a tree, a viewer per type, INFO/SLOWLOG tables and a sampled keyspace. */
export function RedisBrowser({ profileId }: { profileId: string }) {
  const view = useApp((s) => browserPaneOf(s, profileId).view);
  const error = useApp((s) => browserPaneOf(s, profileId).error);
  const { browserViewChosen } = useApp.getState();
  return (
    <section className="redis-browser" aria-label="Redis browser" data-testid="redis-browser">
      <div className="browser-views" role="tablist">
        {views.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={view === id}
            className={view === id ? 'active' : undefined}
            onClick={() => void browserViewChosen(profileId, id)}
            data-testid={`browser-view-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="browser-error">
          {error.message}
        </p>
      )}
      {view === 'keys' ? (
        <>
          <Toolbar profileId={profileId} />
          <div className="browser-split">
            <KeyTree profileId={profileId} />
            <KeyViewer profileId={profileId} />
          </div>
        </>
      ) : (
        <ServerView profileId={profileId} />
      )}
    </section>
  );
}
