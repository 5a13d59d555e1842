import type { StateCreator } from 'zustand';
import type { SqlResult } from '../../../shared/contract';
import { transport } from './transport-ref';
import { noticeFrom, type Notice } from './notice-slice';
import type { AppState } from './index';

export interface SqlPane {
  text: string;
  running: boolean;
  result?: SqlResult;
  error?: Notice;
}

export interface SqlSlice {
  sqlPanes: Record<string, SqlPane>;
  sqlEdited(profileId: string, text: string): void;
  sqlRunRequested(profileId: string): Promise<void>;
}

const emptyPane: SqlPane = { text: 'SELECT version();', running: false };

export function paneOf(state: AppState, profileId: string): SqlPane {
  return state.sqlPanes[profileId] ?? emptyPane;
}

export const createSqlSlice: StateCreator<AppState, [], [], SqlSlice> = (set, get) => {
  const patch = (profileId: string, change: Partial<SqlPane>) =>
    set((s) => ({ sqlPanes: { ...s.sqlPanes, [profileId]: { ...paneOf(s, profileId), ...change } } }));
  return {
    sqlPanes: {},
    sqlEdited: (profileId, text) => patch(profileId, { text }),
    async sqlRunRequested(profileId) {
      const { text } = paneOf(get(), profileId);
      patch(profileId, { running: true, error: undefined });
      try {
        const result = await transport().invoke('sql.runReadOnly', { profileId, sql: text });
        patch(profileId, { running: false, result });
      } catch (error) {
        patch(profileId, { running: false, error: noticeFrom(error) });
      }
    },
  };
};
