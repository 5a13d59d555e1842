import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, removeDir } from './processes';
import { passwordUser, type SshdServer } from './sshd';

/**
 * A bare git repository served over the harness's sshd (git over SSH with the harness key), and
 * a working clone beside it standing for the team pushing upstream. Started only by the tests
 * that need it: it is not part of the default harness.
 */
export interface GitRemote {
  /** ssh://user@127.0.0.1:port/…/runbooks.git */
  url: string;
  /** The bare repository on disk. */
  bareDir: string;
  /** What git needs to reach the remote without touching ~/.ssh, and an author identity. */
  env: Record<string, string>;
  /** Writes files in the team's clone, commits and pushes them; returns the new commit. */
  commit(files: Record<string, string>, message: string): string;
  /** Rewrites the last commit upstream with these files and force-pushes: a rewritten history. */
  forcePush(files: Record<string, string>, message: string): string;
  /** The commit a branch of the bare repository points at ('' when it does not exist). */
  head(branch?: string): string;
  dispose(): void;
}

/** Reading the bare repository as another user than its owner: git's ownership check must not refuse it. */
const anyOwner = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*' };

export function startGitRemote(sshd: SshdServer, files: Record<string, string>): GitRemote {
  const dir = makeTempDir('git');
  const bareDir = join(dir, 'runbooks.git');
  const work = join(dir, 'team');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  // As root, git is served to the plain test account (/bin/sh, an empty home): root's own shell
  // start-up files are the developer's, and may be slow or print text into the git protocol.
  const account = passwordUser()?.user ?? sshd.user;
  const identity = {
    GIT_AUTHOR_NAME: 'On Call',
    GIT_AUTHOR_EMAIL: 'oncall@example.com',
    GIT_COMMITTER_NAME: 'On Call',
    GIT_COMMITTER_EMAIL: 'oncall@example.com',
  };
  const env = {
    ...identity,
    GIT_SSH_COMMAND: `ssh -F /dev/null -i ${sshd.clientKeyPath} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`,
  };
  const git = (args: string[], cwd = work) => {
    const [command, argv] =
      account === sshd.user ? ['/usr/bin/git', args] : ['runuser', ['-u', account, '--', '/usr/bin/git', ...args]];
    const result = spawnSync(command, argv, { cwd, env: { ...process.env, ...identity }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    return result.stdout.trim();
  };
  const write = (changes: Record<string, string>) => {
    for (const [path, text] of Object.entries(changes)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    if (account !== sshd.user) spawnSync('chown', ['-R', account, work]);
    git(['add', '-A']);
  };
  // The team's side runs as the serving account too, so every file of the bare repository is its own.
  if (account !== sshd.user) {
    spawnSync('chown', [account, dir]);
    // sshd reads authorized_keys as the account logging in; public keys are no secret.
    chmodSync(join(sshd.dir, 'authorized_keys'), 0o644);
  }
  git(['init', '--quiet', '--bare', '--initial-branch=main', bareDir], dir);
  git(['init', '--quiet', '--initial-branch=main', work], dir);
  git(['remote', 'add', 'origin', bareDir]);
  write(files);
  git(['commit', '--quiet', '-m', 'Initial runbooks']);
  git(['push', '--quiet', 'origin', 'main']);
  return {
    url: `ssh://${account}@127.0.0.1:${sshd.port}${bareDir}`,
    bareDir,
    env,
    commit(changes, message) {
      write(changes);
      git(['commit', '--quiet', '-m', message]);
      git(['push', '--quiet', 'origin', 'main']);
      return git(['rev-parse', 'HEAD']);
    },
    forcePush(changes, message) {
      git(['reset', '--quiet', '--hard', 'HEAD~1']);
      write(changes);
      git(['commit', '--quiet', '-m', message]);
      git(['push', '--quiet', '--force', 'origin', 'main']);
      return git(['rev-parse', 'HEAD']);
    },
    head: (branch = 'main') => {
      const result = spawnSync('/usr/bin/git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
        cwd: bareDir,
        env: { ...process.env, ...anyOwner },
        encoding: 'utf8',
      });
      return result.status === 0 ? result.stdout.trim() : '';
    },
    dispose: () => removeDir(dir),
  };
}
