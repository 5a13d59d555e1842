import { jumpSecretName, type ProfileView, type SecretName, type SshHop } from '../../shared/profile';

/** One hop of a chain (src/main/ssh/connect-chain.ts), with its credentials already opened from the vault. */
export interface HopConfig {
  host: string;
  port: number;
  user: string;
  /** "password" also answers keyboard-interactive prompts that ask for the password (and no other). */
  auth: 'agent' | 'key' | 'password' | 'keyboard-interactive';
  keyPath?: string;
  /** The key file's bytes, read (bounded, async) before the chain connects. */
  keyBytes?: Buffer;
  password?: string;
  passphrase?: string;
  /** Also offer ssh-rsa (SHA-1) host-key signatures and hmac-sha1, for old servers (the profile's opt-in). */
  legacyAlgorithms?: boolean;
}

/**
 * The SSH hops of a profile, first jump first and the target last, each with its own secrets
 * opened from the vault (only the one its auth kind uses).
 */
export function profileHops(
  profile: Pick<ProfileView, 'ssh'>,
  openSecret: (name: SecretName) => string | undefined,
): HopConfig[] {
  const ssh = profile.ssh;
  if (!ssh) return [];
  const hop = (settings: SshHop, password: SecretName, passphrase: SecretName): HopConfig => ({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    auth: settings.auth,
    keyPath: settings.keyPath,
    password: settings.auth === 'password' ? openSecret(password) : undefined,
    passphrase: settings.auth === 'key' ? openSecret(passphrase) : undefined,
    legacyAlgorithms: ssh.legacyAlgorithms,
  });
  return [
    ...ssh.jumps.map((jump, i) => hop(jump, jumpSecretName(i, 'Password'), jumpSecretName(i, 'Passphrase'))),
    hop(ssh, 'sshPassword', 'sshPassphrase'),
  ];
}
