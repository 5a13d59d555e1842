import type { ProfileTabs, WorkbenchTab } from '../../../../shared/contract';

/**
 * Tabs host the existing consoles: a profile has one SQL pane and one Redis pane in the store, and
 * each holds the tab it is "bound" to. Choosing another tab of the same kind puts the pane (text,
 * last result) aside in memory and brings the chosen tab's back, so SqlConsole and RedisConsole stay
 * as they are. Editor text is saved with the session; results stay in memory only.
 */
export interface WorkbenchSlice {
  workbenchTabs: Record<string, ProfileTabs>;
  /** Which tab the profile's SQL and Redis panes hold now. */
  workbenchBound: Record<string, Partial<Record<'sql' | 'redis', string>>>;
  workbenchRestored: boolean;
  workbenchRestoreRequested(): Promise<void>;
  workbenchTabAdded(profileId: string, kind: WorkbenchTab['kind']): void;
  workbenchTabChosen(profileId: string, tabId: string): void;
  workbenchTabClosed(profileId: string, tabId: string): void;
}
