import { jumpSecretName, type ProfileView, type SecretName, type SshHop } from '../../shared/profile';
import type { HopConfig } from '../ssh/connect-chain';

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
