import type { StateCreator } from 'zustand';
import type { HostKeyPrompt, SessionStateEvent } from '../../../shared/contract';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface SessionsSlice {
  sessions: Record<string, SessionStateEvent>;
  hostKeyPrompts: HostKeyPrompt[];
  connectRequested(profileId: string): Promise<void>;
  disconnectRequested(profileId: string): Promise<void>;
  sessionStateChanged(event: SessionStateEvent): void;
  hostKeyPromptReceived(prompt: HostKeyPrompt): void;
  hostKeyAnswered(promptId: string, trust: boolean): Promise<void>;
}

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
