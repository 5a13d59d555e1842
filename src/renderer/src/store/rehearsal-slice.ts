import type { RehearsalSlice } from './state/rehearsal';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar, request } from './request';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

export const createRehearsalSlice: StateCreator<AppState, [], [], RehearsalSlice> = (set, get) => ({
  sandboxes: [],
  async sandboxesRequested() {
    const sandboxes = await request(noticeBar(get), 'sandbox.list', {});
    if (sandboxes) set({ sandboxes });
  },
  async sandboxDropped(profileId, kind) {
    await attempt(noticeBar(get), async () => {
      await transport().invoke('sandbox.drop', { profileId, kind });
      await get().sandboxesRequested();
    });
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
