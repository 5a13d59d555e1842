import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from './profiles';
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
  const profile = harnessProfile('bastion-eu', { sshd }, 'staging', { sshAccount: account });
  const saved = await temp.core.invoke('profiles.save', { profile });
  return { sshd, temp, profileId: saved.id };
}
