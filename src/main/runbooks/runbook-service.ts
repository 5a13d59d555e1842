import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { worstRisk } from '../../shared/risk';
import type { RunbookLintReport, RunbookSummary } from '../../shared/contract/runbooks';
import type { RunbookPlan } from '../../shared/runbook';
import { fileCaps, readBoundedFile } from '../bounded-file';
import { OpsError } from '../errors';
import { defaultSqlClassifier, type SqlClassifier } from './classifier';
import { runbookFolderProblem } from './folder-check';
import { importRunbook } from './importer';
import { lintPlan } from './lint';

export interface RunbookServiceDeps {
  /** The runbooks shipped with the app. */
  bundledDir: string;
  /** The operator's folders (Settings → runbookFolders), read on every call. */
  folders: () => string[];
  classify?: SqlClassifier;
  /** Told when a markdown file in a watched folder changes. */
  onChange?: (event: { folder: string }) => void;
}

/** Largest markdown file the console imports: runbooks are documents, not data dumps. */
/** Runbooks of a few MB (pasted sessions, long scripts) import; past 10 MB it is not a runbook to follow at 3 a.m. */
export const maxRunbookBytes = 10 * 1024 * 1024;

/** The runbook library: the bundled folder plus the operator's, imported on demand and cached by mtime. */
export class RunbookService {
  private readonly cache = new Map<string, { mtimeMs: number; plan: RunbookPlan }>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly classify: SqlClassifier;

  constructor(private readonly deps: RunbookServiceDeps) {
    this.classify = deps.classify ?? defaultSqlClassifier;
  }

  /** Every runbook of the library with what the library view filters and sorts on. */
  async list(): Promise<RunbookSummary[]> {
    const summaries: RunbookSummary[] = [];
    for (const { folder, source } of this.libraryFolders()) {
      this.watchFolder(folder);
      for (const path of await markdownFiles(folder)) {
        const plan = await this.importFile(path).catch(() => undefined);
        if (!plan) continue;
        const findings = lintPlan(plan);
        summaries.push({
          path, folder, source, title: plan.title, ...(plan.metadata.service ? { service: plan.metadata.service } : {}),
          tags: plan.metadata.tags, environments: plan.metadata.environments, owners: plan.metadata.owners,
          steps: plan.steps.length, risk: worstRisk(plan.steps.map((s) => s.risk)),
          errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length,
        });
      }
    }
    return summaries.sort((a, b) => a.title.localeCompare(b.title));
  }

  /** A library runbook by path, or markdown text the operator pasted or dropped. */
  async open(input: { path: string } | { text: string; name?: string }): Promise<RunbookPlan> {
    if ('text' in input) return importRunbook(input.text, { classify: this.classify, ...(input.name ? { path: input.name } : {}) });
    const path = resolve(input.path);
    if (!this.libraryFolders().some(({ folder }) => isInside(folder, path))) {
      throw new OpsError('not_found', `path ${input.path} is not in the runbook library: add its folder in Settings → Runbook folders, or open the file's text.`);
    }
    return this.importFile(path);
  }

  /** Any markdown file (the CLI's inspect and lint). */
  async importFile(path: string): Promise<RunbookPlan> {
    const info = await stat(path).catch(() => {
      throw new OpsError('not_found', `path ${path} does not exist: check the file name.`);
    });
    if (!info.isFile()) throw new OpsError('invalid_input', `path ${path} is not a file: give a markdown file.`);
    if (info.size > maxRunbookBytes) {
      throw new OpsError('invalid_input', `path ${path} is ${(info.size / 1024 / 1024).toFixed(1)} MB, more than the 10 MB a runbook can be: it is not imported. Split it into several runbooks.`);
    }
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.plan;
    const plan = await importRunbook((await readBoundedFile(path, { what: 'The runbook', maxBytes: fileCaps.runbook })).toString('utf8'), { path, classify: this.classify });
    this.cache.set(path, { mtimeMs: info.mtimeMs, plan });
    return plan;
  }

  /**
   * Lints files and folders (folders are walked for *.md); the library when no path is given.
   * `libraryOnly` (the contract's use) refuses paths outside the library folders, so the renderer
   * cannot read arbitrary files through lint messages.
   */
  async lint(paths: string[], options: { libraryOnly?: boolean } = {}): Promise<RunbookLintReport> {
    const targets = paths.length > 0 ? paths.map((p) => resolve(p)) : this.libraryFolders().map((f) => f.folder);
    if (options.libraryOnly) {
      const outside = targets.find((target) => !this.libraryFolders().some(({ folder }) => target === folder || isInside(folder, target) || isInside(folder, `${target}${sep}x.md`)));
      if (outside) throw new OpsError('not_found', `path ${outside} is not in the runbook library: add its folder in Settings → Runbook folders.`);
    }
    const files: RunbookLintReport['files'] = [];
    for (const target of targets) {
      const info = await stat(target).catch(() => undefined);
      if (!info) throw new OpsError('not_found', `path ${target} does not exist: give a markdown file or a folder.`);
      for (const path of info.isDirectory() ? await markdownFiles(target) : [target]) {
        const plan = await this.importFile(path);
        files.push({ path, findings: lintPlan(plan) });
      }
    }
    const count = (severity: string) => files.reduce((n, f) => n + f.findings.filter((x) => x.severity === severity).length, 0);
    return { files, errors: count('error'), warnings: count('warning') };
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private libraryFolders(): { folder: string; source: 'bundled' | 'folder' }[] {
    // A folder stored before the check existed (/, the home folder) is skipped, never walked.
    return [{ folder: resolve(this.deps.bundledDir), source: 'bundled' as const }, ...this.deps.folders().filter((f) => runbookFolderProblem(f) === null).map((f) => ({ folder: resolve(f), source: 'folder' as const }))];
  }

  /** Watches a folder once (recursively) so the library refreshes when a runbook changes. */
  private watchFolder(folder: string): void {
    if (!this.deps.onChange || this.watchers.has(folder)) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      const watcher = watch(folder, { recursive: true, persistent: false }, (_event, name) => {
        if (name && !String(name).endsWith('.md')) return;
        clearTimeout(timer);
        timer = setTimeout(() => this.deps.onChange?.({ folder }), 200);
      });
      watcher.on('error', () => this.watchers.delete(folder));
      this.watchers.set(folder, watcher);
    } catch {
      // A folder that vanished or cannot be watched still lists; it just does not refresh by itself.
    }
  }
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && path.endsWith('.md');
}

/** Markdown files under a folder, sorted, skipping dot-folders and node_modules. */
export async function markdownFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(path);
    }
  };
  await walk(folder);
  return found;
}
