import { useEffect, useState } from 'react';
import { historyOutcomes, type HistoryEntry } from '../../../../shared/contract';
import { useApp } from '../../store';
import { RiskBadge } from './RiskBadge';

const when = (at: string) => new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

function HistoryRow({ entry, profileId }: { entry: HistoryEntry; profileId: string }) {
  const rows = entry.rowCount === null ? '' : ` · ${entry.rowCount} row(s)`;
  const ms = entry.durationMs === null ? '' : ` · ${Math.round(entry.durationMs)} ms`;
  return (
    <li className="history-entry" data-testid="history-entry">
      <div className="history-meta">
        <time dateTime={entry.at}>{when(entry.at)}</time> · {entry.profile} · {entry.operator} ·{' '}
        <span className={`history-outcome outcome-${entry.outcome}`} data-testid="history-outcome">
          {entry.outcome}
        </span>{' '}
        · <RiskBadge risk={entry.risk} />
        {rows}
        {ms}
        <button
          type="button"
          onClick={() => useApp.getState().historyEntryReopened(entry, profileId)}
          data-testid="history-reopen"
          title="Put this SQL into the editor, to run it again"
        >
          Open in editor
        </button>
      </div>
      <pre className="history-sql" data-testid="history-sql">
        {entry.sql}
      </pre>
      {entry.params.length > 0 && (
        <p className="history-params">
          {entry.params
            .map((p) => `${p.name} = ${typeof p.value === 'string' ? p.value : JSON.stringify(p.value)}`)
            .join(', ')}
        </p>
      )}
    </li>
  );
}

/**
 * The query history: every SQL run of the app and the CLI, newest first, searchable by text,
 * profile, date and outcome; an entry opens in this profile's editor to run again.
 */
export function HistoryPanel({ profileId }: { profileId: string }) {
  const history = useApp((s) => s.history);
  const profiles = useApp((s) => s.profiles);
  const { historyFilterEdited, historyRequested, historyCleared } = useApp.getState();
  useEffect(() => void historyRequested(), []);
  const { filter } = history;
  // Two clicks, not a browser dialog: the second one says what goes.
  const [clearing, setClearing] = useState(false);
  return (
    <section className="history-panel" aria-label="Query history" data-testid="history-panel">
      <div className="history-filter">
        <input
          type="search"
          placeholder="Search SQL text"
          aria-label="Search SQL text"
          value={filter.grep}
          onChange={(e) => historyFilterEdited({ grep: e.target.value })}
          data-testid="history-grep"
        />
        <select
          aria-label="Profile"
          value={filter.profileId}
          onChange={(e) => historyFilterEdited({ profileId: e.target.value })}
          data-testid="history-profile"
        >
          <option value="">All profiles</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label>
          Since{' '}
          <input
            type="date"
            value={filter.since}
            onChange={(e) => historyFilterEdited({ since: e.target.value })}
            data-testid="history-since"
          />
        </label>
        <select
          aria-label="Outcome"
          value={filter.outcome}
          onChange={(e) => historyFilterEdited({ outcome: e.target.value as typeof filter.outcome })}
          data-testid="history-outcome-filter"
        >
          <option value="">Any outcome</option>
          {historyOutcomes.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void historyRequested()} data-testid="history-refresh">
          Refresh
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            clearing ? (setClearing(false), void historyCleared(filter.profileId || undefined)) : setClearing(true)
          }
          onBlur={() => setClearing(false)}
          data-testid="history-clear"
        >
          {clearing
            ? `Clear the history of ${profiles.find((p) => p.id === filter.profileId)?.name ?? 'every profile'}`
            : 'Clear…'}
        </button>
      </div>
      {history.error && (
        <p className="form-error" role="alert">
          {history.error}
        </p>
      )}
      {history.entries.length === 0 && !history.loading ? (
        <p className="empty">No runs match.</p>
      ) : (
        <ol className="history-list" data-testid="history-list">
          {history.entries.map((entry) => (
            <HistoryRow key={entry.id} entry={entry} profileId={profileId} />
          ))}
        </ol>
      )}
    </section>
  );
}
