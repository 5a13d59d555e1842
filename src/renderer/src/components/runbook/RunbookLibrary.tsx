import { useApp } from '../../store';
import { useEffect, useId, useMemo } from 'react';
import type { RunbookSummary } from '../../../../shared/contract';
import { RiskBadge } from '../sql/RiskBadge';

function matches(r: RunbookSummary, query: string, service: string, tag: string): boolean {
  if (service && r.service !== service) return false;
  if (tag && !r.tags.includes(tag)) return false;
  if (!query) return true;
  const haystack = [r.title, r.path, r.service ?? '', ...r.tags, ...r.owners].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

const folderName = (r: RunbookSummary) => (r.source === 'bundled' ? 'Bundled' : r.folder);

/** The runbook library: search, filter by service and tag, recently used, grouped by source and folder. */
export function RunbookLibrary() {
  const library = useApp((s) => s.runbookLibrary);
  const loaded = useApp((s) => s.runbookLibraryLoaded);
  const error = useApp((s) => s.runbookLibraryError);
  const query = useApp((s) => s.runbookQuery);
  const service = useApp((s) => s.runbookServiceFilter);
  const tag = useApp((s) => s.runbookTagFilter);
  const recent = useApp((s) => s.recentRunbooks);
  const openPath = useApp((s) => s.runbookPlan?.path);
  const { runbooksRequested, runbookQueryChanged, runbookFiltersChanged, runbookOpened, runbookTextOpened } =
    useApp.getState();
  const id = useId();
  useEffect(() => {
    if (!loaded) void runbooksRequested();
  }, [loaded]);
  const services = useMemo(
    () => [...new Set(library.map((r) => r.service).filter((s): s is string => !!s))].sort(),
    [library],
  );
  const tags = useMemo(() => [...new Set(library.flatMap((r) => r.tags))].sort(), [library]);
  const shown = library.filter((r) => matches(r, query, service, tag));
  const groups = new Map<string, RunbookSummary[]>();
  for (const r of shown) groups.set(folderName(r), [...(groups.get(folderName(r)) ?? []), r]);
  const recentShown = recent
    .map((path) => library.find((r) => r.path === path))
    .filter((r): r is RunbookSummary => !!r && shown.includes(r));

  const item = (r: RunbookSummary, where: string) => (
    <li key={`${where}:${r.path}`}>
      <button
        type="button"
        className={`runbook-item${r.path === openPath ? ' selected' : ''}`}
        aria-current={r.path === openPath ? 'true' : undefined}
        onClick={() => void runbookOpened(r.path)}
        title={r.path}
        data-testid={where === 'recent' ? 'runbook-recent-item' : 'runbook-item'}
        data-path={r.path}
      >
        <span className="runbook-item-title">{r.title}</span>
        <span className="runbook-item-meta">
          {r.service && <span>{r.service}</span>} <span>{r.steps} steps</span> <RiskBadge risk={r.risk} />
          {r.errors > 0 && <span className="field-error"> {r.errors} errors</span>}
        </span>
      </button>
    </li>
  );

  return (
    <nav className="runbook-library" aria-label="Runbook library">
      <div className="runbook-library-filters">
        <label htmlFor={`${id}-q`}>Search runbooks</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          placeholder="title, service, tag…"
          onChange={(e) => runbookQueryChanged(e.target.value)}
          data-testid="runbook-search"
        />
        {/* Named by the span alone: a wrapping label would add the chosen option to the name. */}
        <div className="runbook-filter-row">
          <label>
            <span id={`${id}-service-label`}>Service</span>
            <select
              aria-labelledby={`${id}-service-label`}
              value={service}
              onChange={(e) => runbookFiltersChanged({ service: e.target.value })}
              data-testid="runbook-service-filter"
            >
              <option value="">All</option>
              {services.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            <span id={`${id}-tag-label`}>Tag</span>
            <select
              aria-labelledby={`${id}-tag-label`}
              value={tag}
              onChange={(e) => runbookFiltersChanged({ tag: e.target.value })}
              data-testid="runbook-tag-filter"
            >
              <option value="">All</option>
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        </div>
        <div className="runbook-filter-row">
          <button type="button" onClick={() => void runbooksRequested()} data-testid="runbook-refresh">
            Refresh
          </button>
          <label
            className="runbook-file"
            title="Open a markdown file that is not in a runbook folder (its SQL steps with parameters run only from a folder)"
          >
            <span>Open a file…</span>
            <input
              type="file"
              accept=".md,.markdown,text/markdown,text/plain"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void file.text().then((text) => runbookTextOpened(text, file.name));
              }}
              data-testid="runbook-file"
            />
          </label>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      {!loaded && <p className="result-meta">Loading runbooks…</p>}
      {loaded && shown.length === 0 && (
        <p className="result-meta">
          {library.length === 0 ? 'No runbooks: add a runbook folder in Settings.' : 'No runbook matches.'}
        </p>
      )}
      {recentShown.length > 0 && !query && (
        <section aria-label="Recently used">
          <h3>Recently used</h3>
          <ul className="runbook-list">{recentShown.map((r) => item(r, 'recent'))}</ul>
        </section>
      )}
      {[...groups.entries()].map(([folder, items]) => {
        const subfolders = new Map<string, RunbookSummary[]>();
        for (const r of items) {
          const rel = r.path.startsWith(r.folder) ? r.path.slice(r.folder.length).replace(/^[\\/]+/, '') : r.path;
          const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
          subfolders.set(dir, [...(subfolders.get(dir) ?? []), r]);
        }
        return (
          <section key={folder} aria-label={folder}>
            <h3 title={folder}>{folder}</h3>
            {[...subfolders.entries()].map(([dir, rs]) => (
              <div key={dir}>
                {dir && <h4>{dir}</h4>}
                <ul className="runbook-list">{rs.map((r) => item(r, folder))}</ul>
              </div>
            ))}
          </section>
        );
      })}
    </nav>
  );
}
