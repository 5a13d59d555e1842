import type { Notice, NoticeSlice } from './state/notice';
import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notice: undefined,
  noticeShown: (notice) => set({ notice }),
  noticeDismissed: () => set({ notice: undefined }),
});

/** Turns anything thrown by an action into the notice the operator sees. */
export function noticeFrom(error: unknown): Notice {
  const e = error as { message?: string; code?: string };
  return { kind: 'error', message: e.message ?? String(error), code: e.code };
}
