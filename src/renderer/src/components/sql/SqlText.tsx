import { lazy, Suspense } from 'react';
import { useApp } from '../../store';
import { statementAtCursor } from '../../store/sql-panes';
import type { SqlPane } from '../../store/state/sql';
import { ReasonList, RiskBadge } from './RiskBadge';

// CodeMirror loads on first use, in a chunk of its own: the window paints first.
const SqlEditor = lazy(() => import('./SqlEditor').then((m) => ({ default: m.SqlEditor })));

/** The SQL being written: the editor, its live risk, what Run runs, the schema for completion, the reasons of danger. */
export function SqlText({
  profileId,
  pane,
  onRun,
}: {
  profileId: string;
  pane: Omit<SqlPane, 'grid' | 'exporting'>;
  onRun(): void;
}) {
  const actions = useApp.getState();
  const live = pane.classification;
  const atCursor = statementAtCursor(pane);
  const dangerousReasons = live?.statements.filter((s) => s.risk === 'dangerous').flatMap((s) => s.reasons) ?? [];
  return (
    <>
      <p id="sql-text-label" className="sql-label">
        SQL — reads run read-only; anything else is previewed in a transaction and needs your confirmation{' '}
        {live && live.statements.length > 0 && <RiskBadge risk={live.risk} testId="sql-risk" />}
      </p>
      <Suspense fallback={<div className="sql-editor-loading" aria-busy="true" />}>
        <SqlEditor
          value={pane.text}
          catalog={pane.catalog}
          labelledBy="sql-text-label"
          onChange={(text) => actions.sqlEdited(profileId, text)}
          onSelection={(from, to) => actions.sqlSelectionMoved(profileId, from, to)}
          onRun={onRun}
          onStream={() => void actions.sqlStreamRequested(profileId)}
        />
      </Suspense>
      <div className="sql-editor-status">
        {atCursor && live && live.statements.length > 1 && (
          <span data-testid="sql-cursor-statement">
            Statement at the cursor: <RiskBadge risk={atCursor.risk} testId="sql-cursor-risk" />
          </span>
        )}
        <span className="sql-hint">
          {pane.selection && pane.selection.to > pane.selection.from
            ? 'Run runs the selection'
            : live && live.statements.length > 1
              ? 'Run runs the statement at the cursor'
              : ''}
        </span>
        <button
          type="button"
          onClick={() => void actions.sqlCatalogRequested(profileId, true)}
          data-testid="sql-catalog-refresh"
          title="Reload tables and columns for completion"
        >
          {pane.catalog ? `Refresh schema (${pane.catalog.tables.length} tables)` : 'Load schema for completion'}
        </button>
      </div>
      {dangerousReasons.length > 0 && <ReasonList reasons={dangerousReasons} />}
    </>
  );
}
