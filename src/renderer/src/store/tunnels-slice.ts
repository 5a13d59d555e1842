import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';
import { attempt, noticeBar } from './request';
import type { TunnelsSlice } from './state/tunnels';
import { transport } from './transport-ref';

export const createTunnelsSlice: StateCreator<AppState, [], [], TunnelsSlice> = (set, get) => {
  /** Does `work`, then lists the tunnels again (what is open now). */
  const thenList = (work: () => Promise<unknown>) =>
    attempt(noticeBar(get), async () => {
      await work();
      set({ tunnels: await transport().invoke('tunnels.list', {}) });
    }).then(() => undefined);
  return {
    tunnels: [],
    tunnelsRequested: () => thenList(async () => undefined),
    tunnelOpenRequested: (profileId) => thenList(() => transport().invoke('tunnels.open', { profileId })),
    tunnelCloseRequested: (tunnelId) => thenList(() => transport().invoke('tunnels.close', { tunnelId })),
  };
};
