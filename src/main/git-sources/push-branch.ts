import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PushBranchResult } from '../../shared/contract';
import { OpsError } from '../errors';
import { git, networkTimeoutMs } from './git';
import { changedFiles, head } from './git-sources';
import type { StoredSource } from './source-list';

/**
 * Commits the clone's local edits to a new branch and pushes it for review. The commit is built
 * on a separate index, so a failure at any point leaves the edits where they were; only after
 * the push succeeded does the clone go back to the reviewed version (the edit lives on the branch).
 */
export async function pushBranch(
  source: StoredSource,
  dir: string,
  branch: string,
  message: string,
): Promise<PushBranchResult> {
  if (branch === source.branch) {
    throw new OpsError(
      'refused',
      `${branch} is the source's branch: edits go through review. Give another --branch (e.g. fix/${source.name}-runbook) and open a merge request from it.`,
    );
  }
  const files = await changedFiles(dir);
  if (files.length === 0)
    throw new OpsError(
      'invalid_input',
      `The clone of ${source.name} has no edits: change a runbook in ${dir} first (the runbook panel's "Edit in your editor").`,
    );
  const taken = (
    await git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], { cwd: dir, timeoutMs: networkTimeoutMs })
  ).stdout.trim();
  if (taken)
    throw new OpsError(
      'conflict',
      `Branch ${branch} already exists on ${source.url}: choose another name (nothing is ever force-pushed).`,
    );
  const base = await head(dir);
  const index = join(dir, '.git', `opsconsole-index-${process.pid}`);
  try {
    const env = { GIT_INDEX_FILE: index };
    await git(['read-tree', base], { cwd: dir, env });
    await git(['add', '-A', '--', '.'], { cwd: dir, env });
    const tree = (await git(['write-tree'], { cwd: dir, env })).stdout.trim();
    const commit = (
      await git(['commit-tree', tree, '-p', base, '-F', '-'], { cwd: dir, input: message })
    ).stdout.trim();
    await git(['push', '--quiet', 'origin', `${commit}:refs/heads/${branch}`], {
      cwd: dir,
      timeoutMs: networkTimeoutMs,
    });
    await git(['branch', '--force', branch, commit], { cwd: dir });
    await git(['reset', '--hard', '--quiet', base], { cwd: dir });
    await git(['clean', '-fdq'], { cwd: dir });
    return {
      source: source.name,
      branch,
      commit,
      url: source.url,
      files,
      message: `Pushed ${files.length} file(s) to branch ${branch}: open a merge request from ${branch} into ${source.branch}.`,
    };
  } finally {
    rmSync(index, { force: true });
  }
}
