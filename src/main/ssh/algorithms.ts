import { generateKeyPairSync } from 'node:crypto';
import type { Algorithms, MacAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';

/**
 * What the app offers a server, written out rather than inherited from ssh2's defaults so a
 * review sees it: no `ssh-rsa` host-key signatures (SHA-1) and no `hmac-sha1`, as OpenSSH 8.8+
 * does. A profile marked for legacy hosts adds them back, last.
 */
const modernHostKeys: ServerHostKeyAlgorithm[] = [
  ...(ed25519Supported() ? (['ssh-ed25519'] as const) : []),
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];
const modernMacs: MacAlgorithm[] = [
  'hmac-sha2-256-etm@openssh.com',
  'hmac-sha2-512-etm@openssh.com',
  'hmac-sha2-256',
  'hmac-sha2-512',
];
const legacyHostKeys: ServerHostKeyAlgorithm[] = ['ssh-rsa'];
const legacyMacs: MacAlgorithm[] = ['hmac-sha1-etm@openssh.com', 'hmac-sha1'];

/** ssh2 offers ssh-ed25519 only where the runtime's crypto signs with it; so does this list. */
function ed25519Supported(): boolean {
  try {
    generateKeyPairSync('ed25519');
    return true;
  } catch {
    return false;
  }
}

/** The host-key algorithms that produce a key of this type (an ssh-rsa key signs with rsa-sha2-*). */
function algorithmsOfKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

/**
 * Like ssh(1), the key types already known for this host are asked for first: a server holding
 * several keys then presents the one on record, and another type means something changed.
 */
export function sshAlgorithms(options: { legacy: boolean; knownKeyTypes: string[] }): Algorithms {
  const hostKeys = options.legacy ? [...modernHostKeys, ...legacyHostKeys] : modernHostKeys;
  const known = new Set<string>(options.knownKeyTypes.flatMap(algorithmsOfKeyType));
  return {
    serverHostKey: [...hostKeys.filter((a) => known.has(a)), ...hostKeys.filter((a) => !known.has(a))],
    hmac: options.legacy ? [...modernMacs, ...legacyMacs] : modernMacs,
  };
}
