import type { TunnelsSlice } from './state/tunnels';
import type { StateCreator } from 'zustand';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './app-state';

export const createTunnelsSlice: StateCreator<AppState, [], [], TunnelsSlice> = (set, get) => {
  const attempt = async (work: () => Promise<unknown>) => {
    try {
      await work();
      set({ tunnels: await transport().invoke('tunnels.list', {}) });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  };
  return {
    tunnels: [],
    tunnelsRequested: () => attempt(async () => undefined),
    tunnelOpenRequested: (profileId) => attempt(() => transport().invoke('tunnels.open', { profileId })),
    tunnelCloseRequested: (tunnelId) => attempt(() => transport().invoke('tunnels.close', { tunnelId })),
  };
};
