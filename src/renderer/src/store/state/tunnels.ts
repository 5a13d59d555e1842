import type { TunnelView } from '../../../../shared/contract';

export interface TunnelsSlice {
  tunnels: TunnelView[];
  tunnelsRequested(): Promise<void>;
  /** A local port on 127.0.0.1 forwarding to the profile's Postgres, for the operator's own psql. */
  tunnelOpenRequested(profileId: string): Promise<void>;
  tunnelCloseRequested(tunnelId: string): Promise<void>;
}
