import type { PaneSource } from './sql-panes';
import type { GridActions, GridPane, Row } from './state/sql';
import type { SqlResultInfo, SqlResultStatus } from '../../../shared/contract';
import { copyFormatNames, formatRows } from '../components/sql/copy-format';
import { noticeFrom } from './notice-slice';
import { transport } from './transport-ref';
import type { AppState, SetState } from './app-state';

/** Rows fetched per window; the grid keeps at most `maxBlocks` of them (what is shown plus a margin). */
export const blockRows = 200;
const maxBlocks = 12;
/** The most rows one copy takes (fetched from the main process in windows). */
export const maxCopyRows = 50_000;

type GridOf = (state: AppState, profileId: string) => GridPane | undefined;

const inFlight = new Set<string>();
const pollers = new Map<string, ReturnType<typeof setInterval>>();
const filterTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Keeps the blocks nearest `around`, at most maxBlocks of them. */
function trimmed(blocks: Record<number, Row[]>, around: number): Record<number, Row[]> {
  const keys = Object.keys(blocks).map(Number);
  if (keys.length <= maxBlocks) return blocks;
  keys.sort((a, b) => Math.abs(a - around) - Math.abs(b - around));
  return Object.fromEntries(keys.slice(0, maxBlocks).map((k) => [k, blocks[k]!]));
}

export function createGridActions(
  set: SetState,
  get: () => AppState,
  patch: (profileId: string, change: { grid?: GridPane }) => void,
  gridOf: GridOf,
  source: (profileId: string) => PaneSource,
): GridActions {
  const patchGrid = (profileId: string, resultId: string, change: (grid: GridPane) => Partial<GridPane>) => {
    const grid = gridOf(get(), profileId);
    if (grid && grid.resultId === resultId) patch(profileId, { grid: { ...grid, ...change(grid) } });
  };
  const window = (grid: GridPane, offset: number, limit: number) =>
    transport().invoke('sql.readWindow', {
      resultId: grid.resultId,
      offset,
      limit,
      ...(grid.sort ? { sort: grid.sort } : {}),
      ...(grid.filter ? { filter: grid.filter } : {}),
    });
  /** New rows: the last, partly filled block is stale; a sorted or filtered view is rebuilt. */
  const grew = (profileId: string, status: SqlResultStatus) =>
    patchGrid(profileId, status.resultId, (grid) => {
      if (grid.status.rowCount === status.rowCount && grid.status.done === status.done) return { status };
      if (grid.sort || grid.filter) return { status, blocks: {}, view: grid.view + 1 };
      const last = Math.floor(grid.viewCount / blockRows);
      const blocks = { ...grid.blocks };
      delete blocks[last];
      return { status, viewCount: status.rowCount, blocks, view: grid.view + 1 };
    });
  const stopPolling = (profileId: string) => {
    clearInterval(pollers.get(profileId));
    pollers.delete(profileId);
  };
  const poll = (profileId: string, resultId: string) => {
    stopPolling(profileId);
    pollers.set(
      profileId,
      setInterval(() => {
        const grid = gridOf(get(), profileId);
        if (!grid || grid.resultId !== resultId || grid.status.done) return stopPolling(profileId);
        transport()
          .invoke('sql.readWindow', { resultId, offset: 0, limit: 1 })
          .then((w) => grew(profileId, w.status))
          .catch(() => {
            stopPolling(profileId);
            // The buffer is gone (its query failed, or it was closed elsewhere): say so, not "streaming" forever.
            patchGrid(profileId, resultId, (now) => ({
              status: { ...now.status, done: true },
              error: {
                kind: 'error',
                message: 'This result is no longer held: its query failed or it was closed. Run it again.',
              },
            }));
          });
      }, 300),
    );
  };
  /** A result restored before its first batch has no columns yet: waits for them, or for its end (undefined: it is gone). */
  const withFields = async (info: SqlResultInfo): Promise<SqlResultInfo | undefined> => {
    let now: SqlResultInfo | undefined = info;
    while (now && now.fields.length === 0 && !now.status.done) {
      await new Promise((r) => setTimeout(r, 300));
      const open = await transport()
        .invoke('sql.results', {})
        .catch((): SqlResultInfo[] => []);
      now = open.find((other) => other.resultId === info.resultId);
    }
    return now;
  };
  /**
   * Shows a buffered result as its profile's grid: the first window now, new rows polled while it
   * streams, and (as after a run) the schema for completion loaded.
   */
  const attach = (info: SqlResultInfo) => {
    const { profileId, resultId, sql, fields, status } = info;
    patch(profileId, {
      grid: { resultId, sql, fields, status, viewCount: status.rowCount, filter: '', blocks: {}, view: 0 },
    });
    void get().gridBlockNeeded(profileId, 0);
    if (!status.done) poll(profileId, resultId);
    if (!get().sqlPanes[profileId]?.catalog) void get().sqlCatalogRequested(profileId);
  };
  const refetch = (profileId: string, change: (grid: GridPane) => Partial<GridPane>) => {
    const grid = gridOf(get(), profileId);
    if (!grid) return;
    patch(profileId, { grid: { ...grid, ...change(grid), blocks: {}, view: grid.view + 1, selection: undefined } });
    void get().gridBlockNeeded(profileId, 0);
  };
  return {
    async sqlStreamRequested(profileId) {
      const previous = gridOf(get(), profileId);
      if (previous) await get().gridClosed(profileId);
      patch(profileId, { grid: undefined });
      set((s) => ({
        sqlPanes: { ...s.sqlPanes, [profileId]: { ...s.sqlPanes[profileId]!, running: true, error: undefined } },
      }));
      try {
        const info = await transport().invoke('sql.openResult', { profileId, ...source(profileId) });
        attach(info);
        set((s) => ({ sqlPanes: { ...s.sqlPanes, [profileId]: { ...s.sqlPanes[profileId]!, running: false } } }));
      } catch (error) {
        set((s) => ({
          sqlPanes: {
            ...s.sqlPanes,
            [profileId]: { ...s.sqlPanes[profileId]!, running: false, error: noticeFrom(error) },
          },
        }));
      }
    },
    async gridBlockNeeded(profileId, block) {
      const grid = gridOf(get(), profileId);
      if (!grid || grid.blocks[block] || block * blockRows >= Math.max(grid.viewCount, 1)) return;
      const key = `${grid.resultId}:${grid.view}:${block}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      try {
        const answer = await window(grid, block * blockRows, blockRows);
        patchGrid(profileId, grid.resultId, (now) =>
          now.view !== grid.view
            ? {}
            : { blocks: trimmed({ ...now.blocks, [block]: answer.rows }, block), viewCount: answer.viewCount },
        );
      } catch (error) {
        patchGrid(profileId, grid.resultId, () => ({ error: noticeFrom(error) }));
      } finally {
        inFlight.delete(key);
      }
    },
    gridSorted(profileId, column) {
      refetch(profileId, (grid) => {
        const current = grid.sort?.column === column ? grid.sort.direction : undefined;
        return {
          sort:
            current === undefined
              ? { column, direction: 'asc' }
              : current === 'asc'
                ? { column, direction: 'desc' }
                : undefined,
        };
      });
    },
    gridFiltered(profileId, filter) {
      const grid = gridOf(get(), profileId);
      if (!grid) return;
      patch(profileId, { grid: { ...grid, filter } });
      clearTimeout(filterTimers.get(profileId));
      filterTimers.set(
        profileId,
        setTimeout(() => refetch(profileId, () => ({})), 250),
      );
    },
    gridRowSelected(profileId, row, extend) {
      const grid = gridOf(get(), profileId);
      if (!grid) return;
      patch(profileId, {
        grid: {
          ...grid,
          selection: extend && grid.selection ? { ...grid.selection, focus: row } : { anchor: row, focus: row },
          copied: undefined,
        },
      });
    },
    async gridCopyRequested(profileId, format, order) {
      const grid = gridOf(get(), profileId);
      if (!grid) return;
      // What is pasted reads like the grid: the columns in the order the operator dragged them to.
      const shown = order?.length === grid.fields.length ? order : grid.fields.map((_, i) => i);
      const { anchor, focus } = grid.selection ?? { anchor: 0, focus: Math.min(grid.viewCount, maxCopyRows) - 1 };
      const from = Math.min(anchor, focus);
      const count = Math.min(Math.abs(focus - anchor) + 1, maxCopyRows);
      try {
        const rows: Row[] = [];
        for (let offset = from; offset < from + count; offset += 5000)
          rows.push(...(await window(grid, offset, Math.min(5000, from + count - offset))).rows);
        const fields = shown.map((i) => grid.fields[i]!);
        await navigator.clipboard.writeText(
          formatRows(
            format,
            fields,
            rows.map((row) => shown.map((i) => row[i] ?? null)),
          ),
        );
        patchGrid(profileId, grid.resultId, () => ({
          copied: `Copied ${rows.length} row${rows.length === 1 ? '' : 's'} as ${copyFormatNames[format]}`,
          error: undefined,
        }));
      } catch (error) {
        patchGrid(profileId, grid.resultId, () => ({ error: noticeFrom(error) }));
      }
    },
    gridValueOpened: (profileId, row, column, value) => {
      const grid = gridOf(get(), profileId);
      if (grid) patch(profileId, { grid: { ...grid, viewer: { row, column, value } } });
    },
    gridViewerClosed: (profileId) => {
      const grid = gridOf(get(), profileId);
      if (grid) patch(profileId, { grid: { ...grid, viewer: undefined } });
    },
    async gridClosed(profileId) {
      const grid = gridOf(get(), profileId);
      stopPolling(profileId);
      patch(profileId, { grid: undefined });
      if (grid)
        await transport()
          .invoke('sql.closeResult', { resultId: grid.resultId })
          .catch(() => undefined);
    },
    async gridsRestored() {
      const open = await transport()
        .invoke('sql.results', {})
        .catch((): SqlResultInfo[] => []);
      const free = (info: SqlResultInfo) =>
        void transport()
          .invoke('sql.closeResult', { resultId: info.resultId })
          .catch(() => undefined);
      open.forEach((info, i) => {
        // One grid per profile: the newest is shown; an older one, or one where this window already shows a grid, is freed.
        const newer = open.slice(i + 1).some((other) => other.profileId === info.profileId);
        if (newer || gridOf(get(), info.profileId)) return free(info);
        void withFields(info).then((ready) => {
          if (!ready?.fields.length) {
            if (ready) free(ready);
            return get().noticeShown({
              kind: 'error',
              message:
                'A result that was streaming when the window reloaded ended before its first rows: its query failed or was closed (the incident timeline says why).',
            });
          }
          // A grid opened meanwhile wins: the restored one is freed.
          if (gridOf(get(), ready.profileId)) return free(ready);
          attach(ready);
        });
      });
    },
    sqlResultProgressed(status) {
      for (const [profileId, pane] of Object.entries(get().sqlPanes))
        if (pane.grid?.resultId === status.resultId) grew(profileId, status);
    },
  };
}
