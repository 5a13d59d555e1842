import type { HostKeyPrompt, SessionStateEvent } from '../../../../shared/contract';

export interface SessionsSlice {
  sessions: Record<string, SessionStateEvent>;
  hostKeyPrompts: HostKeyPrompt[];
  connectRequested(profileId: string): Promise<void>;
  disconnectRequested(profileId: string): Promise<void>;
  sessionStateChanged(event: SessionStateEvent): void;
  hostKeyPromptReceived(prompt: HostKeyPrompt): void;
  hostKeyAnswered(promptId: string, trust: boolean): Promise<void>;
}
