import { z } from 'zod';
import { operation } from './define';
import { profileIdSchema } from './profiles';

/** A local forward the operator opened: always on 127.0.0.1, listed until closed. */
export interface TunnelView {
  tunnelId: string;
  profileId: string;
  localHost: '127.0.0.1';
  localPort: number;
  /** As seen from the profile's last SSH hop. */
  remoteHost: string;
  remotePort: number;
  openedAt: string;
  /** Client connections riding on it right now. */
  activeConnections: number;
}

const port = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const tunnelsOperations = {
  /**
   * Open a local forward through the profile's SSH session, bound to 127.0.0.1 only (never
   * another interface), so the operator can point their own psql at it. Defaults to the
   * profile's Postgres host and port; localPort 0 or absent picks a free port. It survives
   * reconnects and closes with the profile's session.
   */
  'tunnels.open': operation<TunnelView>()(
    z
      .object({
        profileId: profileIdSchema,
        remoteHost: z
          .string()
          .trim()
          .min(1, 'is empty: give the host as seen from the last SSH hop')
          .max(255)
          .regex(/^[^\s/@]+$/, 'must be a bare host name or IP address')
          .optional(),
        remotePort: port.optional(),
        localPort: z
          .number()
          .int('must be a whole number')
          .min(0, 'must be 0 (any free port) or between 1024 and 65535')
          .max(65535, 'must be between 1024 and 65535')
          .refine(
            (p) => p === 0 || p >= 1024,
            'must be 0 (any free port) or between 1024 and 65535: ports below 1024 need root',
          )
          .optional(),
      })
      .strict(),
    'Open a local forward on 127.0.0.1',
  ),
  /** Every open local forward (of one profile when profileId is given), with its live connection count. */
  'tunnels.list': operation<TunnelView[]>()(
    z.object({ profileId: profileIdSchema.optional() }).strict(),
    'List local forwards',
  ),
  /** Close a local forward and every connection riding on it. */
  'tunnels.close': operation<{ closed: true }>()(
    z.object({ tunnelId: z.string().min(1, 'is empty: name the forward by its tunnelId') }).strict(),
    'Close a local forward',
  ),
};
