import type { StateCreator } from 'zustand';
import type { TunnelView } from '../../../shared/contract';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface TunnelsSlice {
  tunnels: TunnelView[];
  tunnelsRequested(): Promise<void>;
  /** A local port on 127.0.0.1 forwarding to the profile's Postgres, for the operator's own psql. */
  tunnelOpenRequested(profileId: string): Promise<void>;
  tunnelCloseRequested(tunnelId: string): Promise<void>;
}

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
