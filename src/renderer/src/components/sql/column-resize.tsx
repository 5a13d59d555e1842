import { useRef, useState } from 'react';

/** Narrowest a resized column gets (px): its header stays clickable. */
const minWidth = 40;

/**
 * Column widths the operator set by dragging a header's edge, per result:
 * a new result starts from the measured layout again. `templateOf` merges them into the grid's
 * column template (`calc(…ch + …)` parts stay for untouched columns).
 */
export function useColumnWidths(resultId: string | undefined) {
  const [state, setState] = useState<{ resultId?: string; widths: Record<number, number> }>({ widths: {} });
  const widths = state.resultId === resultId ? state.widths : {};
  const set = (column: number, px: number) => setState({ resultId, widths: { ...widths, [column]: Math.max(minWidth, Math.round(px)) } });
  const templateOf = (parts: string[]) => {
    const merged = parts.map((part, i) => (i > 0 && widths[i - 1] !== undefined ? `${widths[i - 1]}px` : part));
    return { template: merged.join(' '), width: `calc(${merged.join(' + ')})` };
  };
  return { widths, set, templateOf };
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
