import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ParsedInputOf, RunbookSourceView, SourceSyncReport } from '../../shared/contract';
import { describeAge } from '../../shared/runbook-pin';
import { OpsError, toErrorPayload } from '../errors';
import { git, networkTimeoutMs } from './git';
import { SourceList, type StoredSource } from './source-list';

export interface GitSourcesDeps {
  /** Where the clones and their list live (inside the data folder). */
  root: string;
  now: () => Date;
  /** Why a runbook's text no longer imports (its first error), or null when it is fine. */
  checkRunbook: (text: string, name: string) => Promise<string | null>;
}

/** Runbook sources that are git remotes: cloned into the data folder, pulled fast-forward only. */
export class GitSources {
  readonly list: SourceList;

  constructor(private readonly deps: GitSourcesDeps) {
    this.list = new SourceList(deps.root);
  }

  /**
   * Pulls every source every `intervalMs` in the background (the app; the CLI syncs on demand).
   * Failures are kept on the source (lastError) and shown in Settings; the last pull stays in use.
   */
  startBackgroundSync(intervalMs: number, onSynced: () => void): { dispose(): void } {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void this.sync()
        .then(onSynced, () => undefined)
        .finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    return { dispose: () => clearInterval(timer) };
  }

  views(): RunbookSourceView[] {
    return this.list.all().map((s) => this.view(s));
  }

  /** The folders the runbook library reads from. */
  folders(): string[] {
    return this.list.all().map((s) => this.folderOf(s));
  }

  async add(input: ParsedInputOf<'runbookSources.add'>): Promise<RunbookSourceView> {
    // The URL is recorded in every pinned step and export: no credential may ride in it.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(input.url) || /^https?:\/\/[^/]*@/i.test(input.url)) {
      throw new OpsError(
        'invalid_input',
        'url carries a password or token: remove it from the URL and let your git credential helper or SSH key supply it.',
      );
    }
    const existing = this.list.all();
    if (
      existing.some(
        (s) =>
          s.url === input.url &&
          (input.branch === undefined || s.branch === input.branch) &&
          s.path === (input.path ?? null),
      )
    ) {
      throw new OpsError(
        'conflict',
        `${input.url} is already a runbook source: sync it with "opsconsole runbook sync".`,
      );
    }
    const name = uniqueName(repositoryName(input.url), existing);
    const source: StoredSource = {
      id: `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${randomBytes(3).toString('hex')}`,
      name,
      url: input.url,
      branch: input.branch ?? '',
      path: input.path ?? null,
      addedAt: this.deps.now().toISOString(),
      lastSyncAt: null,
      commit: null,
      lastError: null,
    };
    const dir = this.list.clone(source);
    try {
      await git(
        [
          'clone',
          '--no-tags',
          '--single-branch',
          ...(input.branch ? ['--branch', input.branch] : []),
          '--',
          input.url,
          dir,
        ],
        { timeoutMs: networkTimeoutMs },
      );
      source.branch = input.branch ?? (await git(['symbolic-ref', '--short', 'HEAD'], { cwd: dir })).stdout.trim();
      if (source.path && !statSync(join(dir, source.path), { throwIfNoEntry: false })?.isDirectory()) {
        throw new OpsError(
          'invalid_input',
          `path ${source.path} is not a folder of ${input.url} (branch ${source.branch}): give the subfolder that holds the runbooks.`,
        );
      }
      source.commit = await head(dir);
      source.lastSyncAt = this.deps.now().toISOString();
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      const payload = toErrorPayload(error);
      throw new OpsError(payload.code, `Could not add ${input.url}: ${payload.message}`);
    }
    this.list.put(source);
    return this.view(source);
  }

  remove(ref: string): { removed: true; source: string } {
    const source = this.list.find(ref);
    this.list.save(this.list.all().filter((s) => s.id !== source.id));
    rmSync(this.list.clone(source), { recursive: true, force: true });
    return { removed: true, source: source.name };
  }

  /** Pulls every source (or one); one source's failure never stops the others. */
  async sync(ref?: string): Promise<SourceSyncReport[]> {
    const targets = ref ? [this.list.find(ref)] : this.list.all();
    const reports: SourceSyncReport[] = [];
    for (const source of targets) reports.push(await this.syncOne(source));
    return reports;
  }

  /** The source a file belongs to, with its path relative to the clone. */
  locate(file: string): { source: StoredSource; dir: string; rel: string } | undefined {
    for (const source of this.list.all()) {
      const dir = this.list.clone(source);
      const rel = relative(dir, resolve(file));
      if (rel && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.startsWith(`.git${sep}`))
        return { source, dir, rel: rel.split(sep).join('/') };
    }
    return undefined;
  }

  private async syncOne(source: StoredSource): Promise<SourceSyncReport> {
    const dir = this.list.clone(source);
    const previous = source.commit;
    try {
      const result = await this.pull(source, dir);
      Object.assign(source, { commit: result.commit, lastSyncAt: this.deps.now().toISOString(), lastError: null });
      this.list.put(source);
      return {
        source: source.name,
        ok: true,
        previousCommit: previous,
        commit: result.commit,
        changed: result.changed,
        age: describeAge(source.lastSyncAt, this.deps.now()),
      };
    } catch (error) {
      const payload = toErrorPayload(error);
      const commit = await head(dir).catch(() => previous);
      const age = describeAge(source.lastSyncAt, this.deps.now());
      const message = `${payload.message} The library keeps ${commit ? commit.slice(0, 12) : 'the last pull'} (${age}).`;
      Object.assign(source, { commit, lastError: { code: payload.code, message, at: this.deps.now().toISOString() } });
      this.list.put(source);
      return {
        source: source.name,
        ok: false,
        previousCommit: previous,
        commit,
        changed: [],
        age,
        error: { code: payload.code, message },
      };
    }
  }

  /** Fetch, then fast-forward only: what is checked out never moves to a history nobody reviewed. */
  private async pull(source: StoredSource, dir: string): Promise<{ commit: string; changed: string[] }> {
    const files = await changedFiles(dir);
    if (files.length > 0) {
      throw new OpsError(
        'conflict',
        `The clone of ${source.name} has local edits (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}): push them for review with "opsconsole runbook source push-branch ${source.name} --branch NAME --message MSG", then sync again. Nothing was pulled.`,
      );
    }
    const tracking = `refs/remotes/origin/${source.branch}`;
    await git(['fetch', '--no-tags', 'origin', `+refs/heads/${source.branch}:${tracking}`], {
      cwd: dir,
      timeoutMs: networkTimeoutMs,
    }).catch((error: unknown) => {
      throw new OpsError(
        toErrorPayload(error).code,
        `Could not reach ${source.url} (offline, or the remote refused): ${toErrorPayload(error).message}`,
      );
    });
    const current = await head(dir);
    const remote = (await git(['rev-parse', tracking], { cwd: dir })).stdout.trim();
    if (remote === current) return { commit: current, changed: [] };
    const fastForward = await git(['merge-base', '--is-ancestor', current, remote], { cwd: dir }).then(
      () => true,
      () => false,
    );
    if (!fastForward) {
      throw new OpsError(
        'git_failed',
        `${source.branch} of ${source.url} was rewritten (force-pushed): it no longer contains ${current.slice(0, 12)}, so it was not merged. Ask the runbook owners what changed; to take the new history, remove the source and add it again.`,
      );
    }
    const changed = await this.changedRunbooks(source, dir, current, remote);
    await git(['merge', '--ff-only', '--quiet', remote], { cwd: dir });
    return { commit: remote, changed };
  }

  /** The runbooks a pull changes; refuses the pull when one that imported before no longer does. */
  private async changedRunbooks(source: StoredSource, dir: string, from: string, to: string): Promise<string[]> {
    const out = await git(['diff', '--name-only', '--no-renames', from, to, '--', source.path ?? '.'], { cwd: dir });
    const changed = out.stdout.split('\n').filter((f) => f.toLowerCase().endsWith('.md'));
    for (const file of changed) {
      const after = await git(['show', `${to}:${file}`], { cwd: dir }).then(
        (r) => r.stdout,
        () => null,
      );
      if (after === null) continue;
      const broken = await this.deps.checkRunbook(after, file);
      const before = await git(['show', `${from}:${file}`], { cwd: dir }).then(
        (r) => r.stdout,
        () => null,
      );
      if (broken && (before === null || !(await this.deps.checkRunbook(before, file)))) {
        throw new OpsError(
          'git_failed',
          `${file} at ${to.slice(0, 12)} no longer imports (${broken}): the pull was not applied. Fix the runbook upstream, then sync again.`,
        );
      }
    }
    return source.path ? changed.map((f) => f.slice(source.path!.replace(/\/$/, '').length + 1)) : changed;
  }

  folderOf(source: StoredSource): string {
    return source.path ? join(this.list.clone(source), source.path) : this.list.clone(source);
  }

  private view(source: StoredSource): RunbookSourceView {
    return { ...source, folder: this.folderOf(source), age: describeAge(source.lastSyncAt, this.deps.now()) };
  }
}

/** Files with local edits (tracked or new), as `git status` names them. */
export async function changedFiles(dir: string): Promise<string[]> {
  const out = await git(['status', '--porcelain', '--untracked-files=all'], { cwd: dir });
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

export async function head(dir: string): Promise<string> {
  return (await git(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
}

function repositoryName(url: string): string {
  const last =
    url
      .replace(/[/\\]+$/, '')
      .split(/[/:\\]/)
      .pop() ?? 'runbooks';
  return last.replace(/\.git$/, '') || 'runbooks';
}

function uniqueName(base: string, existing: StoredSource[]): string {
  let name = base;
  for (let n = 2; existing.some((s) => s.name === name); n++) name = `${base}-${n}`;
  return name;
}
