import { useState } from 'react';
import type { SqlExportFormat } from '../../../../shared/contract';
import { useApp } from '../../store';
import { paneOf } from '../../store/sql-panes';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Export the current query (or template) to a file on this machine: CSV through COPY, or JSON Lines. */
export function ExportPanel({ profileId }: { profileId: string }) {
  const exporting = useApp((s) => paneOf(s, profileId).exporting);
  const actions = useApp.getState();
  const nativeDialogs = useApp((s) => !!s.info?.nativeDialogs);
  const [format, setFormat] = useState<SqlExportFormat>(exporting?.format ?? 'csv');
  return (
    <details className="export-panel">
      <summary>Export to a file</summary>
      <div className="export-form">
        <label>
          Format
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as SqlExportFormat)}
            data-testid="export-format"
          >
            <option value="csv">CSV (COPY, as psql writes it)</option>
            <option value="jsonl">JSON Lines</option>
          </select>
        </label>
        {/* Where the file goes is asked of the main process, never typed here: the system dialog, or the data folder's exports/. */}
        <button
          type="button"
          onClick={() => void actions.sqlExportRequested(profileId, format)}
          disabled={exporting?.running}
          data-testid="export-run"
        >
          {nativeDialogs ? 'Export…' : 'Export to the exports folder'}
        </button>
        {exporting?.running && (
          <button
            type="button"
            className="danger"
            onClick={() => void actions.sqlExportCancelRequested(profileId)}
            data-testid="export-cancel"
          >
            Cancel export
          </button>
        )}
      </div>
      {exporting && (
        <p role="status" className="export-status" data-testid="export-status">
          {exporting.running &&
            `Exporting… ${megabytes(exporting.progress?.bytes ?? 0)}${exporting.progress?.rows ? `, ${exporting.progress.rows.toLocaleString('en-US')} rows` : ''}`}
          {exporting.result?.outcome === 'ok' && (
            <>
              Exported {exporting.result.rows.toLocaleString('en-US')} rows ({megabytes(exporting.result.bytes)}) to{' '}
              <code data-testid="export-path">{exporting.result.path}</code> in {exporting.result.durationMs} ms
            </>
          )}
          {exporting.result?.outcome === 'cancelled' &&
            `Export cancelled after ${exporting.result.rows.toLocaleString('en-US')} rows: no file was written`}
        </p>
      )}
      {exporting?.error && (
        <p className="form-error" role="alert" data-testid="export-error">
          {exporting.error.message}
        </p>
      )}
    </details>
  );
}
