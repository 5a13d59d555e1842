import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  defaultColors,
  defaultSafety,
  postgresSettingsSchema,
  redisSettingsSchema,
  safetyLevels,
  secretNames,
  sshSettingsSchema,
  environmentKinds,
  type ProfileInputParsed,
  type ProfileView,
  type SecretName,
} from '../../shared/profile';
import { OpsError } from '../errors';
import type { Vault } from '../vault/vault';
import type { Db } from './database';

/** The JSON kept in profiles.settings: everything but id, name, environment and secrets. */
const storedSettingsSchema = z.object({
  color: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  safety: z.enum(safetyLevels),
  ssh: sshSettingsSchema.optional(),
  postgres: postgresSettingsSchema.optional(),
  redis: redisSettingsSchema.optional(),
});

interface ProfileRow {
  id: string;
  name: string;
  environment: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

/** Profiles and their sealed secrets, through named operations only. */
export class ProfileRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      list: db.prepare<[], ProfileRow>('SELECT * FROM profiles ORDER BY name COLLATE NOCASE'),
      get: db.prepare<[string], ProfileRow>('SELECT * FROM profiles WHERE id = ?'),
      byName: db.prepare<[string], ProfileRow>('SELECT * FROM profiles WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare('INSERT INTO profiles (id, name, environment, settings, created_at, updated_at) VALUES (@id, @name, @environment, @settings, @now, @now)'),
      update: db.prepare('UPDATE profiles SET name = @name, environment = @environment, settings = @settings, updated_at = @now WHERE id = @id'),
      remove: db.prepare('DELETE FROM profiles WHERE id = ?'),
      secretNames: db.prepare<[string], { name: string }>('SELECT name FROM secrets WHERE profile_id = ?'),
      getSecret: db.prepare<[string, string], { sealed: Buffer }>('SELECT sealed FROM secrets WHERE profile_id = ? AND name = ?'),
      setSecret: db.prepare('INSERT INTO secrets (profile_id, name, sealed) VALUES (?, ?, ?) ON CONFLICT (profile_id, name) DO UPDATE SET sealed = excluded.sealed'),
      clearSecret: db.prepare('DELETE FROM secrets WHERE profile_id = ? AND name = ?'),
    };
  }

  list(): ProfileView[] {
    return this.statements.list.all().map((row) => this.toView(row));
  }

  get(id: string): ProfileView {
    const row = this.statements.get.get(id);
    if (!row) throw new OpsError('not_found', `No profile with id ${id}: it may have been removed. Reload the profile list.`);
    return this.toView(row);
  }

  findByName(name: string): ProfileView | undefined {
    const row = this.statements.byName.get(name);
    return row ? this.toView(row) : undefined;
  }

  /** Creates (no id) or replaces (id) a profile and applies its secret changes, all in one transaction. */
  save(input: ProfileInputParsed, id?: string): ProfileView {
    const targetId = id ?? randomUUID();
    const clash = this.statements.byName.get(input.name);
    if (clash && clash.id !== targetId) {
      throw new OpsError('conflict', `A profile named "${input.name}" already exists: choose another name.`);
    }
    const settings = storedSettingsSchema.parse({
      color: input.color ?? defaultColors[input.environment],
      tags: input.tags,
      notes: input.notes,
      safety: input.safety ?? defaultSafety(input.environment),
      ssh: input.ssh,
      postgres: input.postgres,
      redis: input.redis,
    });
    const params = { id: targetId, name: input.name, environment: input.environment, settings: JSON.stringify(settings), now: this.now().toISOString() };
    this.db.transaction(() => {
      if (id === undefined) this.statements.insert.run(params);
      else if (this.statements.update.run(params).changes === 0) {
        throw new OpsError('not_found', `No profile with id ${id} to update: it may have been removed.`);
      }
      for (const [name, change] of Object.entries(input.secrets)) {
        if (!change) continue;
        if ('set' in change) this.statements.setSecret.run(targetId, name, this.vault.seal(change.set, sealContext(targetId, name)));
        else this.statements.clearSecret.run(targetId, name);
      }
    })();
    return this.get(targetId);
  }

  remove(id: string): void {
    if (this.statements.remove.run(id).changes === 0) {
      throw new OpsError('not_found', `No profile with id ${id}: it may already have been removed.`);
    }
  }

  /** Opens one secret; only main-side services call this, never a transport. */
  secret(id: string, name: SecretName): string | undefined {
    const row = this.statements.getSecret.get(id, name);
    return row ? this.vault.open(row.sealed, sealContext(id, name)) : undefined;
  }

  private toView(row: ProfileRow): ProfileView {
    const settings = storedSettingsSchema.parse(JSON.parse(row.settings));
    const present = new Set(this.statements.secretNames.all(row.id).map((r) => r.name));
    const secrets = Object.fromEntries(secretNames.map((n) => [n, present.has(n)])) as Record<SecretName, boolean>;
    return {
      id: row.id,
      name: row.name,
      environment: z.enum(environmentKinds).parse(row.environment),
      ...settings,
      secrets,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function sealContext(profileId: string, name: string): string {
  return `profile:${profileId}:${name}`;
}
