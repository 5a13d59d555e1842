import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileInput } from '../../src/shared/profile';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { tempCore, type TempCore } from './temp-core';

/**
 * A bastion whose shell is a bare interactive bash (no profile, no rc files: predictable output),
 * its host key known, and a core with a profile for it: the harness's password-only account when
 * we are root, else its key account.
 */
export async function bareShellBastion(): Promise<{ sshd: SshdServer; temp: TempCore; profileId: string }> {
  const sshd = await startSshd({ config: ['ForceCommand exec /bin/bash --noprofile --norc -i'] });
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  const temp = tempCore({ knownHostsFiles: [knownHosts] });
  const account = passwordUser();
  const profile: ProfileInput = account
    ? {
        name: 'bastion-eu',
        environment: 'staging',
        ssh: { host: sshd.host, port: sshd.port, user: account.user, auth: 'password' },
        secrets: { sshPassword: { set: account.password } },
      }
    : {
        name: 'bastion-eu',
        environment: 'staging',
        ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'key', keyPath: sshd.clientKeyPath },
      };
  const saved = await temp.core.invoke('profiles.save', { profile });
  return { sshd, temp, profileId: saved.id };
}
