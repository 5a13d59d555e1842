import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  defaultColors,
  defaultSafety,
  environmentKinds,
  postgresSettingsSchema,
  redisSettingsSchema,
  safetyLevels,
  secretsInUse,
  sshSettingsSchema,
  type ProfileInputParsed,
  type ProfileView,
  type SecretName,
} from '../../shared/profile';
import { OpsError } from '../errors';
import { secretContext as sealContext, type Vault } from '../vault/vault';
import type { Db } from './database';

/** The JSON kept in profiles.settings: everything but id, name, environment and secrets. */
const storedSettingsSchema = z.object({
  color: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  safety: z.enum(safetyLevels),
  // Profiles stored before assistants existed read as "not allowed".
  allowAssistants: z.boolean().default(false),
  ssh: sshSettingsSchema.optional(),
  postgres: postgresSettingsSchema.optional(),
  redis: redisSettingsSchema.optional(),
  maskPatterns: z.array(z.string()).optional(),
  rehearsalSample: z.boolean().optional(),
  demo: z.boolean().optional(),
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
      names: db.prepare<[], { name: string }>('SELECT name FROM profiles'),
      insert: db.prepare(
        'INSERT INTO profiles (id, name, environment, settings, created_at, updated_at) VALUES (@id, @name, @environment, @settings, @now, @now)',
      ),
      update: db.prepare(
        'UPDATE profiles SET name = @name, environment = @environment, settings = @settings, updated_at = @now WHERE id = @id',
      ),
      remove: db.prepare('DELETE FROM profiles WHERE id = ?'),
      secretNames: db.prepare<[string], { name: string }>('SELECT name FROM secrets WHERE profile_id = ?'),
      getSecret: db.prepare<[string, string], { sealed: Buffer }>(
        'SELECT sealed FROM secrets WHERE profile_id = ? AND name = ?',
      ),
      setSecret: db.prepare(
        'INSERT INTO secrets (profile_id, name, sealed) VALUES (?, ?, ?) ON CONFLICT (profile_id, name) DO UPDATE SET sealed = excluded.sealed',
      ),
      clearSecret: db.prepare('DELETE FROM secrets WHERE profile_id = ? AND name = ?'),
    };
  }

  list(): ProfileView[] {
    return this.statements.list.all().map((row) => this.toView(row));
  }

  get(id: string): ProfileView {
    const row = this.statements.get.get(id);
    if (!row)
      throw new OpsError('not_found', `No profile with id ${id}: it may have been removed. Reload the profile list.`);
    return this.toView(row);
  }

  findByName(name: string): ProfileView | undefined {
    const row = this.statements.byName.get(name.trim());
    return row ? this.toView(row) : undefined;
  }

  /** Every profile name, for picking a free one on import. */
  names(): string[] {
    return this.statements.names.all().map((r) => r.name);
  }

  /**
   * Runs work as one write transaction taken up front (BEGIN IMMEDIATE), so the app and a CLI
   * process writing at once queue on busy_timeout instead of failing on a stale read snapshot.
   * Nested calls become savepoints of the outer transaction.
   */
  transaction<T>(work: () => T): T {
    const run = this.db.transaction(work);
    return this.db.inTransaction ? run() : run.immediate();
  }

  /**
   * Creates (no id) or replaces (id) a profile and applies its secret changes, all in one
   * transaction. Secrets the new shape cannot use (a removed section or hop) are deleted.
   * With expectedUpdatedAt, an edit made elsewhere since (the app, another CLI) is not overwritten.
   */
  save(input: ProfileInputParsed, id?: string, expectedUpdatedAt?: string): ProfileView {
    const targetId = id ?? randomUUID();
    const settings = storedSettingsSchema.parse({
      color: input.color ?? defaultColors[input.environment],
      tags: [...new Set(input.tags)],
      notes: input.notes,
      safety: input.safety ?? defaultSafety(input.environment),
      allowAssistants: input.allowAssistants,
      ssh: input.ssh,
      postgres: input.postgres,
      redis: input.redis,
      maskPatterns: input.maskPatterns,
      rehearsalSample: input.rehearsalSample,
      demo: input.demo,
    });
    const params = {
      id: targetId,
      name: input.name,
      environment: input.environment,
      settings: JSON.stringify(settings),
      now: this.now().toISOString(),
    };
    const inUse = new Set<string>(secretsInUse(input));
    try {
      this.transaction(() => {
        const clash = this.statements.byName.get(input.name);
        if (clash && clash.id !== targetId) {
          throw new OpsError(
            'conflict',
            `name "${input.name}" is already used by another profile: choose another name.`,
          );
        }
        if (id !== undefined && expectedUpdatedAt !== undefined) {
          const current = this.statements.get.get(id);
          if (current && current.updated_at !== expectedUpdatedAt) {
            throw new OpsError(
              'conflict',
              `Profile "${current.name}" was changed elsewhere (at ${current.updated_at}) since it was opened: reload it and make the change again.`,
            );
          }
        }
        if (id === undefined) this.statements.insert.run(params);
        else if (this.statements.update.run(params).changes === 0) {
          throw new OpsError(
            'not_found',
            `No profile with id ${id} to update: it may have been removed. Reload the profile list.`,
          );
        }
        for (const [name, change] of Object.entries(input.secrets)) {
          if (!change) continue;
          if ('set' in change) {
            if (!inUse.has(name))
              throw new OpsError(
                'invalid_input',
                `secrets.${name} cannot be set: this profile has no ${sectionOf(name)}. Add that section first or leave the secret out.`,
              );
            this.statements.setSecret.run(targetId, name, this.vault.seal(change.set, sealContext(targetId, name)));
          } else this.statements.clearSecret.run(targetId, name);
        }
        for (const { name } of this.statements.secretNames.all(targetId)) {
          if (!inUse.has(name)) this.statements.clearSecret.run(targetId, name);
        }
      });
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new OpsError(
          'conflict',
          `name "${input.name}" is already used by another profile: choose another name.`,
          { cause: error },
        );
      }
      throw error;
    }
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
    const secrets = Object.fromEntries(
      secretsInUse(settings).map((n) => [n, present.has(n)]),
    ) as ProfileView['secrets'];
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

function sectionOf(secret: string): string {
  if (secret.startsWith('pg')) return 'Postgres section';
  if (secret.startsWith('redis')) return 'Redis section';
  if (secret.startsWith('jump')) return `ProxyJump hop ${secret.replace(/\D/g, '')}`;
  return 'SSH section';
}
