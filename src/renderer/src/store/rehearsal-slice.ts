import type { RehearsalSlice } from './state/rehearsal';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

export const createRehearsalSlice: StateCreator<AppState, [], [], RehearsalSlice> = (set, get) => ({
  sandboxes: [],
  async sandboxesRequested() {
    try {
      set({ sandboxes: await transport().invoke('sandbox.list', {}) });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  async sandboxDropped(profileId, kind) {
    try {
      await transport().invoke('sandbox.drop', { profileId, kind });
      await get().sandboxesRequested();
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  async rehearsalRequested(runId, profileId) {
    set({ rehearsal: { runId, busy: true } });
    try {
      // By the pending run: its statement is rehearsed with the values bound to it, as it would run.
      const report = await transport().invoke('sandbox.rehearse', { profileId, runId });
      if (get().rehearsal?.runId === runId) set({ rehearsal: { runId, busy: false, report } });
    } catch (error) {
      if (get().rehearsal?.runId === runId)
        set({ rehearsal: { runId, busy: false, error: noticeFrom(error).message } });
    }
  },
});
