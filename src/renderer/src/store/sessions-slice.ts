import type { SessionsSlice } from './state/sessions';
import type { StateCreator } from 'zustand';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './app-state';

export const createSessionsSlice: StateCreator<AppState, [], [], SessionsSlice> = (set, get) => ({
  sessions: {},
  hostKeyPrompts: [],
  async connectRequested(profileId) {
    try {
      await transport().invoke('sessions.connect', { profileId });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  async disconnectRequested(profileId) {
    try {
      await transport().invoke('sessions.disconnect', { profileId });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  sessionStateChanged: (event) => set((s) => ({ sessions: { ...s.sessions, [event.profileId]: event } })),
  hostKeyPromptReceived: (prompt) => set((s) => ({ hostKeyPrompts: [...s.hostKeyPrompts, prompt] })),
  async hostKeyAnswered(promptId, trust) {
    set((s) => ({ hostKeyPrompts: s.hostKeyPrompts.filter((p) => p.promptId !== promptId) }));
    try {
      await transport().invoke('sessions.answerHostKey', { promptId, trust });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
});
