import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';
import { noticeBar, request } from './request';
import type { SessionsSlice } from './state/sessions';

export const createSessionsSlice: StateCreator<AppState, [], [], SessionsSlice> = (set, get) => ({
  sessions: {},
  hostKeyPrompts: [],
  async connectRequested(profileId) {
    await request(noticeBar(get), 'sessions.connect', { profileId });
  },
  async disconnectRequested(profileId) {
    await request(noticeBar(get), 'sessions.disconnect', { profileId });
  },
  sessionStateChanged: (event) => set((s) => ({ sessions: { ...s.sessions, [event.profileId]: event } })),
  hostKeyPromptReceived: (prompt) => set((s) => ({ hostKeyPrompts: [...s.hostKeyPrompts, prompt] })),
  async hostKeyAnswered(promptId, trust) {
    set((s) => ({ hostKeyPrompts: s.hostKeyPrompts.filter((p) => p.promptId !== promptId) }));
    await request(noticeBar(get), 'sessions.answerHostKey', { promptId, trust });
  },
});
