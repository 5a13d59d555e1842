import { useRef } from 'react';
import { useApp } from '../store';
import { sizeBounds } from '../store/ui-slice';
import type { PaneSizes } from '../store/state/ui';

/**
 * A drag handle between panes; also a focusable slider (arrow keys resize by 16 px) so the
 * layout can be changed without a mouse.
 */
export function Splitter({
  pane,
  orientation,
  invert = false,
  label,
}: {
  pane: keyof PaneSizes;
  orientation: 'vertical' | 'horizontal';
  invert?: boolean;
  label: string;
}) {
  const size = useApp((s) => s.sizes[pane]);
  const paneResized = useApp((s) => s.paneResized);
  const start = useRef<{ pointer: number; size: number } | undefined>(undefined);
  const axis = (e: React.PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY);
  const sign = invert ? -1 : 1;
  const [min, max] = sizeBounds[pane];
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { pointer: axis(e), size };
      }}
      onPointerMove={(e) => {
        if (start.current) paneResized(pane, start.current.size + sign * (axis(e) - start.current.pointer));
      }}
      onPointerUp={() => (start.current = undefined)}
      onKeyDown={(e) => {
        const grow = orientation === 'vertical' ? { ArrowRight: 16, ArrowLeft: -16 } : { ArrowDown: 16, ArrowUp: -16 };
        const delta = grow[e.key as keyof typeof grow];
        if (delta !== undefined) {
          e.preventDefault();
          paneResized(pane, size + sign * delta);
        }
      }}
    />
  );
}
