import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef } from 'react';
import { useApp } from '../../store';
import { blockRows } from '../../store/sql-grid';
import { paneOf } from '../../store/sql-panes';
import { useColumnWidths } from './column-resize';
import { useColumnLayout } from './grid-layout';
import { GridHeader } from './GridHeader';
import { GridRow } from './GridRow';
import { GridToolbar } from './GridToolbar';
import { useGridWindows } from './use-grid-windows';
import { ValueViewer } from './ValueViewer';

const rowHeight = 24;

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
  useGridWindows(profileId, grid, first, last);
  useLayoutEffect(() => {
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
    if ((e.ctrlKey || e.metaKey) && e.key === 'c')
      return void actions.gridCopyRequested(profileId, 'csv', resized.order);
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    jump(to);
  };
  return (
    <section className="result-grid" aria-label="Streamed result" data-testid="result-grid">
      <GridToolbar profileId={profileId} grid={grid} jump={jump} order={resized.order} />
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
        <GridHeader profileId={profileId} grid={grid} resized={resized} />
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
