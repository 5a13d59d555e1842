import { useApp } from '../../store';
import type { GridPane } from '../../store/state/sql';
import { BinaryMark } from './BinaryCell';
import { ColumnResizer, type useColumnWidths } from './column-resize';

/** The header row: sort by a column, drag a column to move it, drag its edge to resize it. */
export function GridHeader({
  profileId,
  grid,
  resized,
}: {
  profileId: string;
  grid: GridPane;
  resized: ReturnType<typeof useColumnWidths>;
}) {
  const { gridSorted } = useApp.getState();
  return (
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
                onClick={() => gridSorted(profileId, i)}
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
  );
}
