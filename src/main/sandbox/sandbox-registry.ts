import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sandboxKinds, type SandboxInfo, type SandboxKind } from '../../shared/contract/sandbox';
import { OpsError } from '../errors';
import { ensureTemplate, SandboxEngine } from './sandbox-engine';

interface SandboxMeta {
  profileId: string;
  profileName: string;
  kind: SandboxKind;
  engineVersion: string;
  createdAt: string;
}

/** The embedded engine's version: a sandbox made by another one is rebuilt, never opened. */
export function engineVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export interface SandboxRegistryDeps {
  dataDir: string;
  /** Where the initialised-cluster template is kept (shared between data folders in tests). */
  templateDir?: string;
  now: () => Date;
  /** How long an unused rehearsal sandbox stays open (2 minutes by default). */
  idleMs?: number;
  /** Told when a sandbox had to be rebuilt (corrupt, or made by another engine version). */
  notice?: (message: string) => void;
}

/**
 * Sandboxes kept in the private data folder, one per profile and kind (the demo's database, a
 * profile's rehearsal copy). Opened lazily, one worker each, closed when dropped or disposed.
 */
export class SandboxRegistry {
  readonly #open = new Map<string, Promise<SandboxEngine>>();
  readonly #idle = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: SandboxRegistryDeps) {}

  /**
   * Keeps an unserved sandbox open for a while after its last use, then closes its worker so the
   * memory goes back (the demo's served database stays open while the console runs).
   */
  release(profileId: string, kind: SandboxKind, idleMs = this.deps.idleMs ?? 120_000): void {
    const key = this.key(profileId, kind);
    clearTimeout(this.#idle.get(key));
    const timer = setTimeout(() => void this.close(profileId, kind), idleMs);
    timer.unref();
    this.#idle.set(key, timer);
  }

  /** Where engine templates are cached: shared between data folders when configured. */
  get templateDir(): string {
    return this.deps.templateDir ?? join(this.root, 'templates');
  }

  get root(): string {
    return join(this.deps.dataDir, 'sandboxes');
  }

  /** The Unix socket folder of a served sandbox: short (sun_path holds ~104 bytes) and private. */
  socketDir(profileId: string): string {
    return join(this.deps.dataDir, 'run', createHash('sha256').update(profileId).digest('hex').slice(0, 12));
  }

  isOpen(profileId: string, kind: SandboxKind): boolean {
    return this.#open.has(this.key(profileId, kind));
  }

  exists(profileId: string, kind: SandboxKind): boolean {
    return existsSync(join(this.folder(profileId, kind), 'meta.json'));
  }

  /** Opens (creating from the template when new) the profile's sandbox of that kind. */
  open(
    profile: { id: string; name: string },
    kind: SandboxKind,
    options: { serve?: boolean; templatePath?: string; notice?: (message: string) => void } = {},
  ): Promise<SandboxEngine> {
    const key = this.key(profile.id, kind);
    let engine = this.#open.get(key);
    if (!engine) {
      engine = this.start(profile, kind, options.serve ?? false, options.templatePath, options.notice);
      this.#open.set(key, engine);
      engine.catch(() => this.#open.delete(key));
    }
    return engine;
  }

  /** Closes the sandbox's worker (its memory goes back); its data folder stays. */
  async close(profileId: string, kind: SandboxKind): Promise<void> {
    const key = this.key(profileId, kind);
    clearTimeout(this.#idle.get(key));
    this.#idle.delete(key);
    const engine = this.#open.get(key);
    this.#open.delete(key);
    await (await engine?.catch(() => undefined))?.close();
  }

  list(profileId?: string): SandboxInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .map((name) => this.readMeta(join(this.root, name)))
      .filter((meta): meta is SandboxMeta => !!meta && (!profileId || meta.profileId === profileId))
      .map((meta) => ({
        ...meta,
        sizeBytes: folderSize(this.folder(meta.profileId, meta.kind)),
        open: this.isOpen(meta.profileId, meta.kind),
        current: meta.engineVersion === engineVersion(),
      }));
  }

  /** Closes and deletes the profile's sandboxes (all kinds unless one is named). */
  async drop(profileId: string, kind?: SandboxKind): Promise<SandboxInfo[]> {
    const dropped = this.list(profileId).filter((s) => !kind || s.kind === kind);
    // Every folder of the kinds named, listed or not (a cached shape lives there before any sandbox).
    for (const each of kind ? [kind] : sandboxKinds) {
      await this.close(profileId, each);
      rmSync(this.folder(profileId, each), { recursive: true, force: true });
    }
    if (!kind || kind === 'demo') rmSync(this.socketDir(profileId), { recursive: true, force: true });
    return dropped;
  }

  async dispose(): Promise<void> {
    for (const key of [...this.#open.keys()].reverse()) {
      const [profileId, kind] = key.split('|') as [string, SandboxKind];
      await this.close(profileId, kind);
    }
  }

  folder(profileId: string, kind: SandboxKind): string {
    return join(this.root, `${profileId}.${kind}`);
  }

  private key(profileId: string, kind: SandboxKind): string {
    return `${profileId}|${kind}`;
  }

  private async start(
    profile: { id: string; name: string },
    kind: SandboxKind,
    serve: boolean,
    template?: string,
    notice?: (message: string) => void,
  ): Promise<SandboxEngine> {
    const folder = this.folder(profile.id, kind);
    const version = engineVersion();
    const meta = this.readMeta(folder);
    if (meta && meta.engineVersion !== version)
      this.rebuild(
        folder,
        `The ${kind} sandbox of "${profile.name}" was made by engine ${meta.engineVersion}; rebuilt for ${version}.`,
        notice,
      );
    const templatePath = template ?? (await ensureTemplate(this.templateDir, version));
    const socketPath = serve ? this.socketPath(profile.id) : undefined;
    const options = { dataDir: join(folder, 'pgdata'), templatePath, socketPath };
    let engine: SandboxEngine;
    try {
      engine = await SandboxEngine.open(options);
    } catch (error) {
      this.rebuild(
        folder,
        `The ${kind} sandbox of "${profile.name}" could not be opened (${(error as Error).message}); rebuilt from scratch.`,
        notice,
      );
      engine = await SandboxEngine.open(options).catch((again: Error) => {
        throw new OpsError(
          'internal',
          `The sandbox engine could not start: ${again.message}. Drop the sandbox (opsconsole sandbox drop) and try again.`,
          { cause: again },
        );
      });
    }
    if (!this.readMeta(folder)) {
      const fresh: SandboxMeta = {
        profileId: profile.id,
        profileName: profile.name,
        kind,
        engineVersion: version,
        createdAt: this.deps.now().toISOString(),
      };
      writeFileSync(join(folder, 'meta.json'), JSON.stringify(fresh), { mode: 0o600 });
    }
    return engine;
  }

  private socketPath(profileId: string): string {
    const dir = this.socketDir(profileId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, '.s.PGSQL.5432');
    rmSync(path, { force: true });
    return path;
  }

  /** Starts the sandbox's database over, telling the log and the caller; a cached shape stays (offline rehearsals need it). */
  private rebuild(folder: string, message: string, notice?: (message: string) => void): void {
    rmSync(join(folder, 'pgdata'), { recursive: true, force: true });
    rmSync(join(folder, 'meta.json'), { force: true });
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    this.deps.notice?.(message);
    notice?.(message);
  }

  private readMeta(folder: string): SandboxMeta | undefined {
    try {
      return JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as SandboxMeta;
    } catch {
      return undefined;
    }
  }
}

function folderSize(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + folderSize(join(path, name)), 0);
}
