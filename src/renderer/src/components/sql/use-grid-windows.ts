import { useEffect, useRef } from 'react';
import { useApp } from '../../store';
import { blockRows } from '../../store/sql-grid';
import type { GridPane } from '../../store/state/sql';

/**
 * Fetches the windows of rows the view shows. While the operator flings through the rows, it
 * fetches at most every 80 ms, for where the view is then: windows for rows already scrolled past
 * are never asked for.
 */
export function useGridWindows(profileId: string, grid: GridPane | undefined, first: number, last: number): void {
  const wanted = useRef({ first, last });
  wanted.current = { first, last };
  const fetchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!grid || fetchTimer.current) return;
    const fetchWanted = () => {
      fetchTimer.current = undefined;
      const range = wanted.current;
      for (let block = Math.floor(range.first / blockRows); block <= Math.floor(range.last / blockRows); block++)
        void useApp.getState().gridBlockNeeded(profileId, block);
    };
    const missing = !grid.blocks[Math.floor(first / blockRows)] || !grid.blocks[Math.floor(last / blockRows)];
    if (!missing) return;
    if (Object.keys(grid.blocks).length === 0) fetchWanted();
    else fetchTimer.current = setTimeout(fetchWanted, 80);
  }, [grid?.resultId, grid?.view, grid?.blocks, first, last]);
  useEffect(() => () => clearTimeout(fetchTimer.current), []);
}
