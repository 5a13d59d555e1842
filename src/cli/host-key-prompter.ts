import { OpsError } from '../main/errors';
import type { HostKeyPrompter } from '../main/ssh/host-key-policy';

const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Checks each --trust-host-key value looks like `ssh-keygen -l` output, so a typo is a wrong command line (exit 2). */
export function parseTrustedFingerprints(values: unknown): string[] {
  const list = Array.isArray(values) ? values.map(String) : typeof values === 'string' ? [values] : [];
  for (const value of list) {
    if (!fingerprintPattern.test(value))
      throw new OpsError(
        'invalid_input',
        `--trust-host-key ${value} is not a SHA256 fingerprint: give it exactly as ssh-keygen -l prints it (SHA256: followed by 43 characters).`,
      );
  }
  return list;
}

/**
 * The CLI has nobody to ask: an unknown host key is refused (nothing is sent to that host)
 * unless its fingerprint was given with --trust-host-key, in which case it is trusted and
 * remembered in the app's trust store, as if the operator had said yes in the app.
 */
export function cliHostKeyPrompter(trusted: readonly string[], log: (message: string) => void): HostKeyPrompter {
  return {
    async ask({ host, port, keyType, fingerprint }) {
      if (trusted.includes(fingerprint)) {
        log(`Trusting the ${keyType} host key of ${host}:${port} (${fingerprint}) as --trust-host-key says.`);
        return true;
      }
      throw new OpsError(
        'host_key_unknown',
        `The host key of ${host}:${port} is unknown (${keyType} ${fingerprint}), so nothing was sent to it. Check that fingerprint with the server's administrator, then run again with --trust-host-key ${fingerprint}.`,
      );
    },
  };
}
