import type { StateCreator } from 'zustand';
import type { HistoryEntry, HistoryOutcome } from '../../../shared/contract';
import { noticeFrom } from './notice-slice';
import { transport } from './transport-ref';
import type { AppState } from './index';

/** What the history panel searches by (text, profile, date, outcome); empty fields do not filter. */
export interface HistoryFilter {
  grep: string;
  /** A profile id, or '' for every profile. */
  profileId: string;
  /** yyyy-mm-dd, or ''. */
  since: string;
  outcome: HistoryOutcome | '';
}

export interface HistoryPanel {
  filter: HistoryFilter;
  entries: HistoryEntry[];
  loading: boolean;
  error?: string;
}

export interface HistorySlice {
  history: HistoryPanel;
  /** A filter field changed: searches again (debounced while typing). */
  historyFilterEdited(change: Partial<HistoryFilter>): void;
  historyRequested(): Promise<void>;
  /** Puts an entry's SQL into the profile's editor (free SQL), ready to run again. */
  historyEntryReopened(entry: HistoryEntry, profileId: string): void;
  historyCleared(profileId?: string): Promise<void>;
}

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
    try {
      await transport().invoke('sqlHistory.clear', profileId ? { profileId } : {});
      await get().historyRequested();
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
});
