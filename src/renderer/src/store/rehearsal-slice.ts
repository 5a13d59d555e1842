import type { StateCreator } from 'zustand';
import type { RehearsalReport, SandboxInfo } from '../../../shared/contract';
import { noticeFrom } from './notice-slice';
import { transport } from './transport-ref';
import type { AppState } from './index';

/** A rehearsal asked for from the break-glass dialog, keyed by the pending run it rehearses. */
export interface RehearsalState {
  runId: string;
  busy: boolean;
  report?: RehearsalReport;
  error?: string;
}

export interface RehearsalSlice {
  rehearsal?: RehearsalState;
  /** "Rehearse first": the pending write's SQL in the profile's sandbox (nothing reaches the server). */
  rehearsalRequested(runId: string, profileId: string): Promise<void>;
  sandboxes: SandboxInfo[];
  sandboxesRequested(): Promise<void>;
  /** Drops one sandbox (Settings → Sandboxes); the profile stays. */
  sandboxDropped(profileId: string, kind: SandboxInfo['kind']): Promise<void>;
}

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
