import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoView } from '../../shared/contract/sandbox';
import type { ProfileView } from '../../shared/profile';
import type { ProfileRepository } from '../store/profile-repository';
import { ensureTemplate, SandboxEngine } from '../sandbox/sandbox-engine';
import { engineVersion, type SandboxRegistry } from '../sandbox/sandbox-registry';
import { ShapeCache } from '../sandbox/shape-cache';
import { readShapeReadOnly } from '../sandbox/shape-reader';
import { demoSeedSql, demoSeedVersion } from './demo-seed';
import { pgDriver } from '../drivers';

export const demoProfileName = 'Demo shop';
export const demoRunbookFile = 'demo-shop.md';
/** The shop's tables (demo-seed.ts), shaped for rehearsals as soon as the demo exists. */
export const demoTables = ['customers', 'products', 'orders', 'order_items', 'sessions'];

export interface DemoServiceDeps {
  profiles: ProfileRepository;
  sandboxes: SandboxRegistry;
  /** Where templates are cached (the seeded demo database is one). */
  templateDir: string;
  bundledRunbooksDir: string;
}

/**
 * The demo environment: a profile marked `demo` whose Postgres is an embedded database in the
 * data folder, seeded from the project's own shop schema. Removing the profile drops it.
 */
export class DemoService {
  constructor(private readonly deps: DemoServiceDeps) {}

  async create(): Promise<DemoView> {
    const existing = this.deps.profiles.list().find((p) => p.demo);
    const profile =
      existing ??
      this.deps.profiles.save({
        name: this.freeName(),
        environment: 'staging',
        color: '#7048e8',
        tags: ['demo'],
        notes:
          'The demo environment: an embedded Postgres in the data folder with a made-up shop. No server, no SSH, no Redis. Remove it like any profile.',
        postgres: {
          host: 'localhost',
          port: 5432,
          database: 'postgres',
          user: 'postgres',
          sslmode: 'disable',
          applicationName: 'ops-console',
          statementTimeoutMs: 30_000,
          rowCap: 10_000,
          readOnlyByDefault: true,
          legacyPasswordAuth: false,
        },
        demo: true,
        allowAssistants: false,
        secrets: {},
      });
    const template = await this.seededTemplate();
    this.seedShapeCache(profile, template);
    await this.deps.sandboxes.open(profile, 'demo', { serve: true, templatePath: template });
    return { profile, runbookPath: join(this.deps.bundledRunbooksDir, demoRunbookFile), created: !existing };
  }

  /** Starts the demo profile's database (serving it on its private socket) and returns the socket's folder. */
  async socketDir(profile: ProfileView): Promise<string | undefined> {
    if (!profile.demo) return undefined;
    const template = await this.seededTemplate();
    await this.deps.sandboxes.open(profile, 'demo', { serve: true, templatePath: template });
    return this.deps.sandboxes.socketDir(profile.id);
  }

  /**
   * A new demo's rehearsal shape is the template's, taken when it was built: the demo database
   * is an exact copy of it, and reading it again would cost the first minute a second or so.
   */
  private seedShapeCache(profile: ProfileView, template: string): void {
    const cached = join(this.deps.sandboxes.folder(profile.id, 'rehearsal'), 'shape.json');
    if (existsSync(cached) || !existsSync(shapeOf(template))) return;
    const shape = new ShapeCache(shapeOf(template)).read();
    if (shape) new ShapeCache(cached).write(shape);
  }

  /** The seeded shop as a data-folder tarball (and its shape), built once per engine and seed version. */
  private async seededTemplate(): Promise<string> {
    const version = engineVersion();
    const path = join(this.deps.templateDir, `demo-shop-${demoSeedVersion}-pglite-${version}.tar.gz`);
    if (existsSync(path)) return path;
    const base = await ensureTemplate(this.deps.templateDir, version);
    const scratch = join(this.deps.templateDir, `.demo-${process.pid}-${Date.now()}`);
    // A short private socket folder: sun_path holds ~104 bytes, the data folder may be deep.
    const socketDir = mkdtempSync(join(tmpdir(), 'opsconsole-demo-'));
    const engine = await SandboxEngine.open({
      dataDir: scratch,
      templatePath: base,
      socketPath: join(socketDir, '.s.PGSQL.5432'),
    });
    try {
      await engine.exec(demoSeedSql);
      await writeDemoShape(socketDir, `${shapeOf(path)}.partial`);
      await engine.dump(`${path}.partial`);
      renameSync(`${shapeOf(path)}.partial`, shapeOf(path));
      renameSync(`${path}.partial`, path);
    } finally {
      await engine.close();
      rmSync(scratch, { recursive: true, force: true });
      rmSync(socketDir, { recursive: true, force: true });
    }
    return path;
  }

  private freeName(): string {
    const taken = new Set(this.deps.profiles.list().map((p) => p.name.toLowerCase()));
    for (let n = 1; ; n++) {
      const name = n === 1 ? demoProfileName : `${demoProfileName} ${n}`;
      if (!taken.has(name.toLowerCase())) return name;
    }
  }
}

function shapeOf(template: string): string {
  return template.replace(/\.tar\.gz$/, '.shape.json');
}

/** Reads the seeded shop's shape through the read-only path, as a rehearsal would. */
async function writeDemoShape(socketDir: string, path: string): Promise<void> {
  const client = new (pgDriver().Client)({ host: socketDir, database: 'postgres', user: 'postgres' });
  await client.connect();
  try {
    new ShapeCache(path).write(await readShapeReadOnly(client, demoTables, new Date().toISOString()));
  } finally {
    await client.end();
  }
}
