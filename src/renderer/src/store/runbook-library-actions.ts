import type { AppState, SetState } from './app-state';
import { noticeFrom } from './notice-slice';
import { freshRun } from './runbook-steps';
import type { RunbooksSlice } from './state/runbooks';
import { transport } from './transport-ref';

const recentKey = 'opsconsole.recentRunbooks';

export function loadRecentRunbooks(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(recentKey) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

type LibraryActions = Pick<
  RunbooksSlice,
  | 'runbooksRequested'
  | 'runbookQueryChanged'
  | 'runbookFiltersChanged'
  | 'runbookOpened'
  | 'runbookTextOpened'
  | 'runbookClosed'
  | 'runbooksChanged'
>;

/** The runbook library: listing, filtering, opening a runbook (from a folder or pasted) and closing it. */
export function createRunbookLibraryActions(set: SetState, get: () => AppState): LibraryActions {
  return {
    async runbooksRequested() {
      try {
        set({
          runbookLibrary: await transport().invoke('runbooks.list', {}),
          runbookLibraryLoaded: true,
          runbookLibraryError: undefined,
        });
      } catch (error) {
        set({ runbookLibraryLoaded: true, runbookLibraryError: noticeFrom(error) });
      }
    },
    runbookQueryChanged: (query) => set({ runbookQuery: query }),
    runbookFiltersChanged: ({ service, tag }) =>
      set((s) => ({
        runbookServiceFilter: service ?? s.runbookServiceFilter,
        runbookTagFilter: tag ?? s.runbookTagFilter,
      })),
    async runbookOpened(path) {
      set({ runbookOpening: true, runbookError: undefined });
      try {
        const plan = await transport().invoke('runbooks.open', { path });
        const recent = [path, ...get().recentRunbooks.filter((p) => p !== path)].slice(0, 10);
        localStorage.setItem(recentKey, JSON.stringify(recent));
        set({
          runbookPlan: plan,
          runbookOpening: false,
          runbookFromLibrary: true,
          recentRunbooks: recent,
          ...freshRun(plan),
        });
      } catch (error) {
        set({ runbookOpening: false, runbookError: noticeFrom(error) });
      }
    },
    async runbookTextOpened(text, name) {
      set({ runbookOpening: true, runbookError: undefined });
      try {
        const plan = await transport().invoke('runbooks.open', { text, ...(name ? { name } : {}) });
        set({ runbookPlan: plan, runbookOpening: false, runbookFromLibrary: false, ...freshRun(plan) });
      } catch (error) {
        set({ runbookOpening: false, runbookError: noticeFrom(error) });
      }
    },
    runbookClosed: () =>
      set({
        runbookPlan: undefined,
        runbookVariables: {},
        runbookSteps: {},
        runbookTicks: {},
        runbookRunAll: undefined,
        runbookSqlPending: undefined,
        runbookError: undefined,
      }),
    async runbooksChanged() {
      await get().runbooksRequested();
      const path = get().runbookPlan?.path;
      if (!path || !get().runbookFromLibrary) return;
      try {
        set({ runbookPlan: await transport().invoke('runbooks.open', { path }) });
      } catch (error) {
        set({ runbookError: noticeFrom(error) });
      }
    },
  };
}
