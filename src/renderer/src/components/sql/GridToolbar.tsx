import { useApp } from '../../store';
import type { GridPane } from '../../store/state/sql';
import type { CopyFormat } from './copy-format';

function statusText(grid: GridPane): string {
  const { status } = grid;
  const rows = `${status.rowCount.toLocaleString('en-US')} row${status.rowCount === 1 ? '' : 's'}`;
  const shown = grid.filter ? ` · ${grid.viewCount.toLocaleString('en-US')} match the filter` : '';
  if (!status.done) return `Streaming… ${rows}${shown} · first row in ${status.firstRowMs} ms`;
  const end = status.error ? ` · stopped: ${status.error}` : status.cancelled ? ' · stopped by you' : '';
  return `${rows}${shown} · first row in ${status.firstRowMs} ms · total ${status.durationMs} ms${end}`;
}

const copyButtons: { format: CopyFormat; label: string; title?: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'tsv', label: 'TSV' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
  { format: 'insert', label: 'INSERT', title: 'One INSERT per row into table_name: rename it' },
];

/** Above the rows: where the stream stands, the filter, jumps, copy, stop and close. */
export function GridToolbar({
  profileId,
  grid,
  jump,
  order,
}: {
  profileId: string;
  grid: GridPane;
  jump(index: number): void;
  /** Field indexes in the order shown: a copy follows it. */
  order: number[];
}) {
  const actions = useApp.getState();
  return (
    <div className="grid-toolbar">
      <p className="grid-status" role="status" data-testid="grid-status">
        {statusText(grid)}
      </p>
      <label className="grid-filter">
        Filter loaded rows
        <input
          type="search"
          value={grid.filter}
          onChange={(e) => actions.gridFiltered(profileId, e.target.value)}
          data-testid="grid-filter"
        />
      </label>
      <button type="button" onClick={() => jump(0)} data-testid="grid-first">
        First row
      </button>
      <button type="button" onClick={() => jump(grid.viewCount - 1)} data-testid="grid-last">
        Last row
      </button>
      <span className="grid-copy" role="group" aria-label={grid.selection ? 'Copy the selected rows' : 'Copy all rows'}>
        Copy {grid.selection ? 'selection' : 'all'} as
        {copyButtons.map(({ format, label, title }) => (
          <button
            key={format}
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, format, order)}
            data-testid={`grid-copy-${format}`}
            title={title}
          >
            {label}
          </button>
        ))}
      </span>
      {!grid.status.done && (
        <button
          type="button"
          className="danger"
          onClick={() => void actions.sqlCancelRequested(profileId)}
          data-testid="grid-stop"
        >
          Stop
        </button>
      )}
      <button type="button" onClick={() => void actions.gridClosed(profileId)} data-testid="grid-close">
        Close result
      </button>
    </div>
  );
}
