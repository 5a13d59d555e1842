import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { SqlField } from '../../../../shared/contract';
import { useApp } from '../../store';
import { paneOf } from '../../store/sql-panes';
import { blockRows } from '../../store/sql-grid';
import type { GridPane } from '../../store/state/sql';
import { ColumnResizer, useColumnWidths } from './column-resize';
import { ValueViewer } from './ValueViewer';
import { BinaryMark } from './BinaryCell';

type Row = (string | null)[];

const rowHeight = 24;
/** Characters shown in a cell; the rest is behind the viewer. */
const shownChars = 120;

function Cell({ value, onOpen }: { value: string | null; onOpen: () => void }) {
  if (value === null)
    return (
      <span className="cell-null" data-null="true">
        NULL
      </span>
    );
  if (value.length <= shownChars && !value.includes('\n')) return <>{value}</>;
  return (
    <span className="cell-long">
      <span className="cell-text">{value.slice(0, shownChars).replace(/\n/g, '⏎')}</span>
      <button
        type="button"
        className="cell-more"
        onClick={onOpen}
        aria-label={`Show the whole value (${value.length} characters)`}
        data-testid="grid-cell-more"
      >
        …
      </button>
    </span>
  );
}

/** Widest a column starts (characters); the viewer shows the rest. */
const widestColumn = 40;
/** A cell's horizontal padding and border, beside its characters. */
const cellChrome = '13px';

/**
 * Fixed column widths, in characters of the grid's monospace font: the header, or the widest
 * value of the first window when it has arrived. Fixed widths keep the browser from measuring
 * every row's content on each frame while the operator scrolls.
 */
function columnLayout(
  resultId: string,
  fields: SqlField[],
  firstRows: Row[] | undefined,
  indexDigits: number,
): ColumnLayout {
  const chars = fields.map((field, j) => {
    let widest = field.name.length + field.type.length + 3;
    for (const row of firstRows ?? []) widest = Math.max(widest, Math.min(widestColumn, row[j]?.length ?? 4));
    return Math.min(widest, widestColumn);
  });
  const all = [indexDigits + 1, ...chars];
  return {
    resultId,
    fromRows: !!firstRows,
    indexDigits,
    parts: all.map((n) => `calc(${n}ch + ${cellChrome})`),
    template: all.map((n) => `calc(${n}ch + ${cellChrome})`).join(' '),
    width: `calc(${all.reduce((a, b) => a + b, 0)}ch + ${all.length} * ${cellChrome})`,
  };
}

interface ColumnLayout {
  resultId: string;
  fromRows: boolean;
  indexDigits: number;
  /** Each column's width (the index column first). */
  parts: string[];
  template: string;
  width: string;
}

/** The result's column layout, measured once its first rows arrive and kept through sorts and filters. */
function useColumnLayout(grid: GridPane | undefined): ColumnLayout | undefined {
  const kept = useRef<ColumnLayout>(undefined);
  if (!grid) return undefined;
  const firstRows = grid.blocks[0];
  const indexDigits = Math.max(7, String(grid.status.rowCount).length);
  const current = kept.current;
  if (
    !current ||
    current.resultId !== grid.resultId ||
    (!current.fromRows && firstRows) ||
    current.indexDigits < indexDigits
  ) {
    kept.current = columnLayout(grid.resultId, grid.fields, firstRows, indexDigits);
  }
  return kept.current;
}

interface GridRowProps {
  profileId: string;
  index: number;
  start: number;
  row: Row | undefined;
  columns: number;
  /** Field indexes in the order shown. */
  order: number[];
  selected: boolean;
}

/** One row; memoized, so a frame re-renders only the rows whose index, data or selection changed. */
const GridRow = memo(function GridRow({ profileId, index, start, row, columns, order, selected }: GridRowProps) {
  const actions = useApp.getState();
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={(e) => actions.gridRowSelected(profileId, index, e.shiftKey)}
      data-testid="grid-row"
      data-row={index}
    >
      <span role="gridcell" className="grid-index">
        {index + 1}
      </span>
      {row
        ? order
            .map((j) => [row[j] ?? null, j] as const)
            .map(([value, j]) => (
              <span role="gridcell" key={j} data-testid="grid-cell">
                <Cell value={value} onOpen={() => actions.gridValueOpened(profileId, index, j, value ?? '')} />
              </span>
            ))
        : Array.from({ length: columns }, (_, j) => (
            <span role="gridcell" key={j} className="cell-loading" aria-busy="true" />
          ))}
    </div>
  );
});

function statusText(grid: GridPane): string {
  const { status } = grid;
  const rows = `${status.rowCount.toLocaleString('en-US')} row${status.rowCount === 1 ? '' : 's'}`;
  const shown = grid.filter ? ` · ${grid.viewCount.toLocaleString('en-US')} match the filter` : '';
  if (!status.done) return `Streaming… ${rows}${shown} · first row in ${status.firstRowMs} ms`;
  const end = status.error ? ` · stopped: ${status.error}` : status.cancelled ? ' · stopped by you' : '';
  return `${rows}${shown} · first row in ${status.firstRowMs} ms · total ${status.durationMs} ms${end}`;
}

/**
 * A streamed result, virtualized: only the rows on screen (plus a margin) are in the DOM and in
 * the store; windows are fetched from the main process's buffer as the operator scrolls.
 */
export function ResultGrid({ profileId }: { profileId: string }) {
  const grid = useApp((s) => paneOf(s, profileId).grid);
  const actions = useApp.getState();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: grid?.viewCount ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 4,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  // Row elements are keyed by slot (index modulo the most rows ever shown) and kept in slot order,
  // so a row scrolled out hands its elements to the row scrolled in, in place: React neither
  // builds nor moves elements while the operator scrolls. Rows are positioned absolutely, so the
  // DOM order is the slots' (as AG Grid's default); aria-rowindex gives assistive tools the order.
  const slots = useRef(1);
  slots.current = Math.max(slots.current, items.length);
  const bySlot = [...items].sort((a, b) => (a.index % slots.current) - (b.index % slots.current));
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  // While the operator flings through the rows, fetch at most every 80 ms, for where the view is
  // then: windows for rows already scrolled past are never asked for.
  const wanted = useRef({ first, last });
  wanted.current = { first, last };
  const fetchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!grid || fetchTimer.current) return;
    const fetchWanted = () => {
      fetchTimer.current = undefined;
      const range = wanted.current;
      for (let block = Math.floor(range.first / blockRows); block <= Math.floor(range.last / blockRows); block++)
        void actions.gridBlockNeeded(profileId, block);
    };
    const missing = !grid.blocks[Math.floor(first / blockRows)] || !grid.blocks[Math.floor(last / blockRows)];
    if (!missing) return;
    if (Object.keys(grid.blocks).length === 0) fetchWanted();
    else fetchTimer.current = setTimeout(fetchWanted, 80);
  }, [grid?.resultId, grid?.view, grid?.blocks, first, last]);
  useEffect(() => () => clearTimeout(fetchTimer.current), []);
  useEffect(() => {
    if (grid) virtualizer.scrollToIndex(0);
  }, [grid?.resultId, grid?.sort?.column, grid?.sort?.direction, grid?.filter]);
  const layout = useColumnLayout(grid);
  const resized = useColumnWidths(grid?.resultId, grid?.fields.length ?? 0);
  if (!grid || !layout) return null;
  const sized = resized.templateOf(layout.parts);
  const columns = grid.fields.length;
  const selected = grid.selection && {
    from: Math.min(grid.selection.anchor, grid.selection.focus),
    to: Math.max(grid.selection.anchor, grid.selection.focus),
  };
  const jump = (index: number) =>
    virtualizer.scrollToIndex(Math.max(0, Math.min(grid.viewCount - 1, index)), { align: 'start' });
  const onKey = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 240) / rowHeight) - 1);
    const moves: Record<string, number | undefined> = {
      Home: 0,
      End: grid.viewCount - 1,
      PageDown: first + page,
      PageUp: first - page,
    };
    if ((e.ctrlKey || e.metaKey) && e.key === 'c') return void actions.gridCopyRequested(profileId, 'csv');
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    jump(to);
  };
  return (
    <section className="result-grid" aria-label="Streamed result" data-testid="result-grid">
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
        <span
          className="grid-copy"
          role="group"
          aria-label={grid.selection ? 'Copy the selected rows' : 'Copy all rows'}
        >
          Copy {grid.selection ? 'selection' : 'all'} as
          <button
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, 'csv')}
            data-testid="grid-copy-csv"
          >
            CSV
          </button>
          <button
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, 'tsv')}
            data-testid="grid-copy-tsv"
          >
            TSV
          </button>
          <button
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, 'markdown')}
            data-testid="grid-copy-markdown"
          >
            Markdown
          </button>
          <button
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, 'json')}
            data-testid="grid-copy-json"
          >
            JSON
          </button>
          <button
            type="button"
            onClick={() => void actions.gridCopyRequested(profileId, 'insert')}
            data-testid="grid-copy-insert"
            title="One INSERT per row into table_name: rename it"
          >
            INSERT
          </button>
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
      {grid.copied && (
        <p className="grid-copied" role="status" data-testid="grid-copied">
          {grid.copied}
        </p>
      )}
      {grid.error && (
        <p className="form-error" role="alert" data-testid="grid-error">
          {grid.error.message}
        </p>
      )}
      <div
        ref={scroller}
        className="grid-scroll"
        role="grid"
        aria-label="Result rows: Home, End, Page Up and Page Down move; click a row to select, Shift+click to extend"
        aria-rowcount={grid.viewCount + 1}
        aria-colcount={columns + 1}
        tabIndex={0}
        onKeyDown={onKey}
        style={{ '--grid-columns': sized.template, '--grid-width': sized.width } as React.CSSProperties}
        data-testid="grid-scroll"
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row grid-header-row">
            <span role="columnheader" className="grid-index">
              #
            </span>
            {resized.order
              .map((i) => [grid.fields[i]!, i] as const)
              .map(([field, i]) => (
                <span
                  role="columnheader"
                  key={`${field.name}-${i}`}
                  draggable
                  onDragStart={(e) => e.dataTransfer.setData('text/plain', String(i))}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) =>
                    /^\d+$/.test(e.dataTransfer.getData('text/plain')) &&
                    resized.move(Number(e.dataTransfer.getData('text/plain')), i)
                  }
                  data-testid="grid-header"
                  aria-sort={
                    grid.sort?.column === i ? (grid.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button
                    type="button"
                    onClick={() => actions.gridSorted(profileId, i)}
                    title="Sort the loaded rows by this column"
                    data-testid="grid-sort"
                  >
                    {field.name}{' '}
                    <small className="grid-type" data-testid="grid-type">
                      {field.type}
                    </small>
                    {field.type === 'bytea' && <BinaryMark />}
                    {grid.sort?.column === i ? (grid.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                  <ColumnResizer name={field.name} onResize={(px) => resized.set(i, px)} />
                </span>
              ))}
          </div>
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {bySlot.map((item) => (
            <GridRow
              key={item.index % slots.current}
              profileId={profileId}
              index={item.index}
              start={item.start}
              row={grid.blocks[Math.floor(item.index / blockRows)]?.[item.index % blockRows]}
              columns={columns}
              order={resized.order}
              selected={!!selected && item.index >= selected.from && item.index <= selected.to}
            />
          ))}
        </div>
      </div>
      {grid.viewer && (
        <ValueViewer
          field={grid.fields[grid.viewer.column]!}
          row={grid.viewer.row}
          value={grid.viewer.value}
          onClose={() => actions.gridViewerClosed(profileId)}
        />
      )}
    </section>
  );
}
