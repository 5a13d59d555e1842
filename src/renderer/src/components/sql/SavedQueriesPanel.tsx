import { useEffect } from 'react';
import { useApp } from '../../store';

/**
 * The query library: templates kept in the app and saved query files (.sql in the queries
 * folder), side by side. A file whose header is wrong is listed with its error, so it is fixed
 * rather than silently missing; the others open in this profile's console with their parameters.
 */
export function SavedQueriesPanel({ profileId }: { profileId: string }) {
  const templates = useApp((s) => s.templates);
  const { templatesRequested, templatePicked } = useApp.getState();
  useEffect(() => void templatesRequested(), []);
  return (
    <section className="saved-queries" aria-label="Saved queries" data-testid="saved-queries">
      <div className="history-filter">
        <span className="sql-hint">
          Templates of the library and .sql files of the queries folder (Settings, or OPSCONSOLE_QUERIES)
        </span>
        <button type="button" onClick={() => void templatesRequested()} data-testid="saved-queries-refresh">
          Refresh
        </button>
      </div>
      {templates.length === 0 ? (
        <p className="empty">No templates or saved query files yet.</p>
      ) : (
        <ul className="history-list">
          {templates.map((t) => (
            <li key={t.id} className="history-entry" data-testid="saved-query" data-source={t.source}>
              <div className="history-meta">
                <strong data-testid="saved-query-name">{t.name}</strong> ·{' '}
                {t.source === 'file' ? <span title={t.path}>file {t.id.slice('file:'.length)}</span> : t.source}
                {t.params.length > 0 && (
                  <span> · {t.params.map((p) => `${p.name}: ${p.type}${p.secret ? ' (secret)' : ''}`).join(', ')}</span>
                )}
                <button
                  type="button"
                  disabled={!!t.error}
                  onClick={() => void templatePicked(profileId, t.name)}
                  data-testid="saved-query-open"
                >
                  Open
                </button>
              </div>
              {t.description && <p className="history-params">{t.description}</p>}
              {t.error && (
                <p className="form-error" role="alert" data-testid="saved-query-error">
                  {t.error}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
