import type { HistoryEntry, HistoryOutcome } from '../../../../shared/contract';

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
