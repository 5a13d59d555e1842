import { lazy, Suspense, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';
import { recordedNotice } from '../../../../shared/incident';
import { paneOf, statementAtCursor } from '../../store/sql-panes';
import { ConfirmDialog } from './ConfirmDialog';
import { ExportPanel } from './ExportPanel';
import { RiskBadge, ReasonList } from './RiskBadge';
import { StatementResult } from './StatementResults';
import { TemplateEditor } from './TemplateEditor';
import { TemplateForm } from './TemplateForm';
import './sql.css';

// CodeMirror and the result grid load on first use, in chunks of their own: the window paints first.
const SqlEditor = lazy(() => import('./SqlEditor').then((m) => ({ default: m.SqlEditor })));
const ResultGrid = lazy(() => import('./ResultGrid').then((m) => ({ default: m.ResultGrid })));

const outcomeText = {
  read: 'Ran read-only',
  pending: 'Waiting for confirmation',
  committed: 'Committed',
  rolled_back: 'Rolled back',
  refused: 'Refused',
  cancelled: 'Cancelled',
  unknown: 'Outcome unknown: check before retrying',
} as const;

/**
 * The SQL console of a profile: free SQL or a template, its live risk, run (reads read-only,
 * anything else previewed in a transaction and confirmed), cancel, and results per statement.
 */
export function SqlConsole({ profileId }: { profileId: string }) {
  // Everything but the grid and the export: their updates (a window per scroll step) re-render only them.
  const pane = useApp(
    useShallow((s) => {
      const { grid: _grid, exporting: _exporting, ...rest } = paneOf(s, profileId);
      return rest;
    }),
  );
  const templates = useApp((s) => s.templates);
  const actions = useApp.getState();
  const template = templates.find((t) => t.name === pane.templateName);
  const live = pane.classification;
  useEffect(() => void actions.templatesRequested(), []);
  const run = () => (template ? actions.templateRunRequested(profileId) : actions.sqlRunRequested(profileId));
  const atCursor = statementAtCursor(pane);
  const dangerousReasons = live?.statements.filter((s) => s.risk === 'dangerous').flatMap((s) => s.reasons) ?? [];
  return (
    <div className="sql">
      <div className="sql-toolbar">
        <label htmlFor={`template-picker-${profileId}`}>Template</label>
        <select
          id={`template-picker-${profileId}`}
          value={pane.templateName ?? ''}
          onChange={(e) => actions.templatePicked(profileId, e.target.value || undefined)}
          data-testid="template-picker"
        >
          <option value="">Free SQL</option>
          {templates.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => actions.templateEditorOpened()} data-testid="template-new">
          New template
        </button>
        {template && (
          <button type="button" onClick={() => actions.templateEditorOpened(template.name)} data-testid="template-edit">
            Edit template
          </button>
        )}
      </div>
      <TemplateEditor />
      {template ? (
        <TemplateForm
          template={template}
          values={pane.params}
          enumOptions={pane.enumOptions}
          onEdit={(name, value) => actions.templateParamEdited(profileId, name, value)}
        />
      ) : (
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
              onRun={() => void run()}
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
      )}
      <div className="actions">
        <button
          className="primary"
          onClick={run}
          disabled={pane.running || !!pane.pending}
          data-testid={template ? 'template-run' : 'sql-run'}
        >
          {pane.running ? 'Running…' : 'Run (Ctrl+Enter)'}
        </button>
        <button
          onClick={() => void actions.sqlStreamRequested(profileId)}
          disabled={pane.running || !!pane.pending}
          data-testid="sql-stream"
          title="Streams one read into a grid that holds millions of rows"
        >
          Open in grid (Ctrl+Shift+Enter)
        </button>
        {pane.running && !pane.pending && (
          <button className="danger" onClick={() => actions.sqlCancelRequested(profileId)} data-testid="sql-cancel">
            Cancel
          </button>
        )}
      </div>
      {pane.error && (
        <p className="form-error" role="alert" data-testid="sql-error">
          {pane.error.message}
        </p>
      )}
      {pane.result && (
        <div className="result" data-testid="sql-result">
          <p className={`outcome outcome-${pane.result.outcome}`} role="status" data-testid="sql-outcome">
            <strong>{outcomeText[pane.result.outcome]}</strong> · <RiskBadge risk={pane.result.risk} /> ·{' '}
            {pane.result.durationMs} ms
            {pane.result.role && <span data-testid="sql-role"> · as {pane.result.role}</span>}
            {pane.result.message && <span className="outcome-message"> — {pane.result.message}</span>}
          </p>
          {recordedNotice(pane.result.recorded) && (
            <p className="outcome-recording" role="alert" data-testid="sql-recorded">
              {recordedNotice(pane.result.recorded)}
            </p>
          )}
          {pane.result.statements.map((statement, i) => (
            <StatementResult key={i} statement={statement} index={i} />
          ))}
          {pane.result.statements.some((s) => s.truncated) && (
            <p className="sql-hint" data-testid="sql-truncated">
              The row cap cut this result.{' '}
              <button
                type="button"
                onClick={() => void actions.sqlStreamRequested(profileId)}
                disabled={pane.running}
                data-testid="sql-stream-all"
              >
                Stream every row into the grid
              </button>
            </p>
          )}
        </div>
      )}
      <Suspense fallback={null}>
        <ResultGrid profileId={profileId} />
      </Suspense>
      <ExportPanel profileId={profileId} />
      {pane.pending && (
        <ConfirmDialog
          pending={pane.pending}
          typedName={pane.typedName}
          busy={pane.running}
          onType={(name) => actions.sqlConfirmNameTyped(profileId, name)}
          onDecide={(decision) => actions.sqlDecided(profileId, decision)}
        />
      )}
    </div>
  );
}
