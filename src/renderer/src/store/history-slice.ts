import type { HistorySlice } from './state/history';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar } from './request';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let searchSeq = 0;

export const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = (set, get) => ({
  history: { filter: { grep: '', profileId: '', since: '', outcome: '' }, entries: [], loading: false },
  historyFilterEdited(change) {
    set((s) => ({ history: { ...s.history, filter: { ...s.history.filter, ...change } } }));
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().historyRequested(), 150);
  },
  async historyRequested() {
    const seq = ++searchSeq;
    const { filter } = get().history;
    set((s) => ({ history: { ...s.history, loading: true } }));
    try {
      const { entries } = await transport().invoke('sqlHistory.search', {
        ...(filter.grep.trim() ? { grep: filter.grep } : {}),
        ...(filter.profileId ? { profileId: filter.profileId } : {}),
        ...(filter.since ? { since: filter.since } : {}),
        ...(filter.outcome ? { outcome: filter.outcome } : {}),
        limit: 200,
      });
      // A slower, older search must not overwrite a newer one.
      if (seq === searchSeq) set((s) => ({ history: { ...s.history, entries, loading: false, error: undefined } }));
    } catch (error) {
      if (seq === searchSeq)
        set((s) => ({ history: { ...s.history, loading: false, error: noticeFrom(error).message } }));
    }
  },
  historyEntryReopened(entry, profileId) {
    void get().templatePicked(profileId, undefined);
    get().sqlEdited(profileId, entry.sql);
  },
  async historyCleared(profileId) {
    await attempt(noticeBar(get), async () => {
      await transport().invoke('sqlHistory.clear', profileId ? { profileId } : {});
      await get().historyRequested();
    });
  },
});
