import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoView } from '../../shared/contract/sandbox';
import type { ProfileView } from '../../shared/profile';
import type { ProfileRepository } from '../store/profile-repository';
import { ensureTemplate, SandboxEngine } from '../sandbox/sandbox-engine';
import { engineVersion, type SandboxRegistry } from '../sandbox/sandbox-registry';
import { demoSeedSql, demoSeedVersion } from './demo-seed';

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
    const profile = existing ?? this.deps.profiles.save({
      name: this.freeName(),
      environment: 'staging',
      color: '#7048e8',
      tags: ['demo'],
      notes: 'The demo environment: an embedded Postgres in the data folder with a made-up shop. No server, no SSH, no Redis. Remove it like any profile.',
      postgres: { host: 'localhost', port: 5432, database: 'postgres', user: 'postgres', sslmode: 'disable', applicationName: 'ops-console', statementTimeoutMs: 30_000, rowCap: 10_000, readOnlyByDefault: true, legacyPasswordAuth: false },
      demo: true,
      allowAssistants: false,
      secrets: {},
    });
    await this.socketDir(profile);
    return { profile, runbookPath: join(this.deps.bundledRunbooksDir, demoRunbookFile), created: !existing };
  }

  /** Starts the demo profile's database (serving it on its private socket) and returns the socket's folder. */
  async socketDir(profile: ProfileView): Promise<string | undefined> {
    if (!profile.demo) return undefined;
    const template = await this.seededTemplate();
    await this.deps.sandboxes.open(profile, 'demo', { serve: true, templatePath: template });
    return this.deps.sandboxes.socketDir(profile.id);
  }

  /** The seeded shop as a data-folder tarball, built once per engine and seed version. */
  private async seededTemplate(): Promise<string> {
    const version = engineVersion();
    const path = join(this.deps.templateDir, `demo-shop-${demoSeedVersion}-pglite-${version}.tar.gz`);
    if (existsSync(path)) return path;
    const base = await ensureTemplate(this.deps.templateDir, version);
    const scratch = join(this.deps.templateDir, `.demo-${process.pid}-${Date.now()}`);
    const engine = await SandboxEngine.open({ dataDir: scratch, templatePath: base });
    try {
      await engine.exec(demoSeedSql);
      await engine.dump(path);
    } finally {
      await engine.close();
      rmSync(scratch, { recursive: true, force: true });
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
