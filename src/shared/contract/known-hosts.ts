import { z } from 'zod';
import { operation } from './define';

/** A host key the operator trusted in the app (Settings → Known hosts). */
export interface TrustedHostKeyView {
  host: string;
  port: number;
  keyType: string;
  /** Exactly as `ssh-keygen -l` prints it. */
  fingerprint: string;
  trustedAt: string;
}

export const knownHostsOperations = {
  /**
   * Host keys trusted in the app, sorted by host and port. Keys in ~/.ssh/known_hosts are
   * consulted first but are not listed: they are edited with ssh-keygen -R.
   */
  'knownHosts.list': operation<TrustedHostKeyView[]>()(z.object({}).strict(), 'List trusted host keys'),
  /**
   * Forget trusted host keys of host:port (only the given key type when keyType is set), e.g.
   * after a real key rotation; the next connection asks again.
   */
  'knownHosts.remove': operation<{ removed: number }>()(
    z
      .object({
        host: z.string().trim().min(1, 'is empty: give the host as the list shows it').max(255),
        port: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be between 1 and 65535')
          .max(65535, 'must be between 1 and 65535'),
        keyType: z.string().trim().min(1).max(64).optional(),
      })
      .strict(),
    'Forget a trusted host key',
  ),
};
