import { lazy, Suspense, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';
import { paneOf } from '../../store/sql-panes';
import { ConfirmDialog } from './ConfirmDialog';
import { ExportPanel } from './ExportPanel';
import { SqlOutcome } from './SqlOutcome';
import { SqlText } from './SqlText';
import { TemplateEditor } from './TemplateEditor';
import { TemplateForm } from './TemplateForm';
import { TemplateToolbar } from './TemplateToolbar';
import './sql.css';

// The result grid loads on first use, in a chunk of its own: the window paints first.
const ResultGrid = lazy(() => import('./ResultGrid').then((m) => ({ default: m.ResultGrid })));

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
  const template = useApp((s) => s.templates.find((t) => t.name === pane.templateName));
  const actions = useApp.getState();
  useEffect(() => void actions.templatesRequested(), []);
  const run = () => (template ? actions.templateRunRequested(profileId) : actions.sqlRunRequested(profileId));
  return (
    <div className="sql">
      <TemplateToolbar profileId={profileId} templateName={pane.templateName} />
      <TemplateEditor />
      {template ? (
        <TemplateForm
          template={template}
          values={pane.params}
          enumOptions={pane.enumOptions}
          onEdit={(name, value) => actions.templateParamEdited(profileId, name, value)}
        />
      ) : (
        <SqlText profileId={profileId} pane={pane} onRun={() => void run()} />
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
        {pane.running && !pane.pending && pane.elsewhere?.phase !== 'confirmed' && (
          <button className="danger" onClick={() => actions.sqlCancelRequested(profileId)} data-testid="sql-cancel">
            Cancel
          </button>
        )}
      </div>
      {pane.elsewhere && (
        <p className="sql-elsewhere" role="status" data-testid="sql-elsewhere">
          Still running since {pane.elsewhere.startedAt.slice(11, 19)} UTC, started before this window reloaded (
          {pane.elsewhere.risk}
          {pane.elsewhere.phase === 'confirmed' ? ', confirmed, being committed' : ''}):{' '}
          <code>{pane.elsewhere.statements.join('; ').slice(0, 300)}</code>
        </p>
      )}
      {pane.error && (
        <p className="form-error" role="alert" data-testid="sql-error">
          {pane.error.message}
        </p>
      )}
      {pane.result && <SqlOutcome profileId={profileId} result={pane.result} running={pane.running} />}
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
