import type { SessionState } from './contract/sessions';

/** One word per connection state, the same in the sidebar, the profile pane and everywhere else. */
export const connectionStateLabels: Record<SessionState, string> = {
  connecting: 'connecting…',
  ready: 'connected',
  degraded: 'degraded',
  reconnecting: 'reconnecting…',
  failed: 'failed',
  closed: 'not connected',
};
