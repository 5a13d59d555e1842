import { useRef, useState } from 'react';

/** Narrowest a resized column gets (px): its header stays clickable. */
const minWidth = 40;

/**
 * Column widths and order the operator set by dragging a header's edge or the header itself, per result:
 * a new result starts from the measured layout again. `templateOf` merges them into the grid's
 * column template (`calc(…ch + …)` parts stay for untouched columns).
 */
export function useColumnWidths(resultId: string | undefined, columns: number) {
  const [state, setState] = useState<{ resultId?: string; widths: Record<number, number>; order?: number[] }>({
    widths: {},
  });
  const current = state.resultId === resultId ? state : { widths: {} as Record<number, number>, order: undefined };
  const { widths } = current;
  /** Field indexes in the order shown (dragging a header moves its column). */
  const order = current.order?.length === columns ? current.order : Array.from({ length: columns }, (_, i) => i);
  const set = (column: number, px: number) =>
    setState({ resultId, order, widths: { ...widths, [column]: Math.max(minWidth, Math.round(px)) } });
  const move = (column: number, before: number) => {
    if (column === before || !order.includes(column)) return;
    const next = order.filter((c) => c !== column);
    next.splice(next.indexOf(before), 0, column);
    setState({ resultId, widths, order: next });
  };
  /** The grid's column template in the order shown; `parts[0]` is the row-number column. */
  const templateOf = (parts: string[]) => {
    const merged = [parts[0]!, ...order.map((c) => (widths[c] !== undefined ? `${widths[c]}px` : parts[c + 1]!))];
    return { template: merged.join(' '), width: `calc(${merged.join(' + ')})` };
  };
  return { widths, order, set, move, templateOf };
}

/** The drag handle on a header's right edge (a pointer gesture: not in the tab order). */
export function ColumnResizer({ name, onResize }: { name: string; onResize: (px: number) => void }) {
  const start = useRef<{ x: number; width: number }>(undefined);
  const headerWidth = (el: HTMLElement) => el.parentElement?.getBoundingClientRect().width ?? 100;
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${name}`}
      className="grid-resizer"
      data-testid="grid-resize"
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width: headerWidth(e.currentTarget) };
      }}
      onPointerMove={(e) => start.current && onResize(start.current.width + e.clientX - start.current.x)}
      onPointerUp={() => (start.current = undefined)}
    />
  );
}
