import { memo } from 'react';
import { useApp } from '../../store';
import type { Row } from '../../store/state/sql';

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
export const GridRow = memo(function GridRow({ profileId, index, start, row, columns, order, selected }: GridRowProps) {
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
