import { z } from 'zod';
import { event, operation } from './define';
import { profileIdSchema } from './profiles';

export const sessionStates = ['connecting', 'ready', 'degraded', 'reconnecting', 'failed', 'closed'] as const;
export type SessionState = (typeof sessionStates)[number];

/**
 * connecting: first attempt in flight; ready: every hop answers; degraded: up, but the server
 * has not answered for a few seconds; reconnecting: lost, being rebuilt with backoff; failed:
 * the operator must act (reason says what); closed: disconnected on purpose.
 */
export interface SessionStateEvent {
  profileId: string;
  state: SessionState;
  /** Why the state changed, in words the operator can act on. */
  reason?: string;
  at: string;
}

/** An unknown host key waiting for the operator's decision. */
export interface HostKeyPrompt {
  promptId: string;
  profileId: string;
  host: string;
  port: number;
  keyType: string;
  /** Exactly as `ssh-keygen -l` prints it: SHA256:base64-without-padding. */
  fingerprint: string;
}

export const sessionsOperations = {
  /** Open the profile's SSH session (checking every hop's host key); resolves once it is ready. */
  'sessions.connect': operation<SessionStateEvent>()(
    z.object({ profileId: profileIdSchema }).strict(),
    'Connect a profile',
  ),
  /** Answer a host-key prompt: trust (remembered in the app's trust store) or reject. */
  'sessions.answerHostKey': operation<{ answered: true }>()(
    z.object({ promptId: z.string().min(1), trust: z.boolean() }).strict(),
    'Answer a host-key prompt',
  ),
  /** Close the profile's session and everything riding on it. */
  'sessions.disconnect': operation<{ closed: true }>()(
    z.object({ profileId: profileIdSchema }).strict(),
    'Disconnect a profile',
  ),
  /** Current state of every session. */
  'sessions.list': operation<SessionStateEvent[]>()(z.object({}).strict(), 'List sessions'),
  /**
   * Check every session at once: each open one must answer within 5 s or it is dropped and
   * rebuilt; those waiting to reconnect try now. What the app runs when the computer wakes up
   * (Electron powerMonitor "resume") or the network changes; resolves with every state after.
   */
  'sessions.checkAll': operation<SessionStateEvent[]>()(z.object({}).strict(), 'Check every session now'),
};

export const sessionsEvents = {
  onSessionState: event<SessionStateEvent>('A session changed state'),
  onHostKeyPrompt: event<HostKeyPrompt>('An unknown host key needs the operator'),
};
